import type { Command, CommandPayload, CommandType, SessionInfo } from '@lagesbild/shared';
import { newId } from '../domain/ids';
import { submitCommand } from '../outbox';
import { useView } from '../stores/view';

/**
 * Sends a command from the UI: through the outbox, with a new idempotency key. The id of
 * the outbox item is remembered so the page can say what became of it.
 */
export async function submit<T extends CommandType>(
  session: SessionInfo,
  type: T,
  payload: CommandPayload<T>,
): Promise<string> {
  // The pair is consistent by the signature; TypeScript cannot narrow the mapped union.
  const command = { id: newId(), type, payload } as Command;
  const item = await submitCommand(session.user.id, command);
  useView.getState().setLastSubmitted(item.id);
  return item.id;
}
