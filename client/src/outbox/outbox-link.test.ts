import 'fake-indexeddb/auto';
import { buildLogEntryCommand, testUuid } from '@lagesbild/shared/test-factories';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { sendCommand } from '../realtime';
import { useConnection } from '../stores/connection';
import { useOutbox } from '../stores/outbox';
import { startOutbox, stopOutbox, submitCommand } from './index';
import { shownStatus } from './outbox-item';

// The app's outbox on the realtime link: the socket can still look connected for a while
// after the browser has lost the network, and what is written into it then is never acked.

vi.mock('../realtime', () => ({
  sendCommand: vi.fn(async () => ({ ok: true, data: { seq: 7 } })),
}));

const USER = 'user-nacka';
const shownOf = (id: string) => {
  const item = useOutbox.getState().items[id];
  return item && shownStatus(item);
};

afterEach(() => stopOutbox());

describe('the outbox on the realtime link', () => {
  it('does not write into the socket while the browser is offline: the command stays queued (not “not confirmed”) and goes once the link is back', async () => {
    useConnection.getState().reset();
    useConnection.getState().setStatus('offline');
    startOutbox(USER);
    const command = buildLogEntryCommand({ commandId: testUuid(1), text: 'Skrivet utan nät' });

    await submitCommand(USER, command);
    await vi.waitFor(() => expect(useOutbox.getState().items[command.id]?.error?.code).toBe('offline'));

    expect(sendCommand).not.toHaveBeenCalled();
    expect(shownOf(command.id)).toBe('queued');

    useConnection.getState().setStatus('online');
    await vi.waitFor(() => expect(shownOf(command.id)).toBe('sent'));
    expect(sendCommand).toHaveBeenCalledTimes(1);
    expect(vi.mocked(sendCommand).mock.calls[0]?.[0]).toEqual(command);
  });
});
