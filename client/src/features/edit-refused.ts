import type { Command, SessionInfo } from '@lagesbild/shared';
import { saveDraft } from '../domain/drafts';
import { newId } from '../domain/ids';
import { draftFromPayload, reportDraftKey } from '../domain/report-draft';
import { formFromContent, messageDraftKey, type KeptMessageDraft } from '../message/message-form';
import { discardItem, type OutboxItem } from '../outbox';
import { useView } from '../stores/view';
import { logDraftKey, REQUEST_DRAFT_KEY } from './draft-keys';

/** Commands whose form can take a refused command back for editing. */
export const isEditable = (command: Command): boolean =>
  command.type === 'report.submit' ||
  command.type === 'logEntry.add' ||
  command.type === 'incident.request' ||
  command.type === 'jointMessage.draft';

/**
 * Turns a refused command back into its form's draft and opens that form. The edited
 * command is a new one, with a new id: the refused id stays the refused answer.
 */
export async function editRefusedCommand(session: SessionInfo, item: OutboxItem): Promise<void> {
  const { command } = item;
  const view = useView.getState();
  if (!(await discardItem(item.id))) return;
  const userId = session.user.id;
  switch (command.type) {
    case 'report.submit':
      saveDraft(
        reportDraftKey(userId, command.payload.incidentId),
        draftFromPayload(
          command.payload,
          newId(),
          // Refused as stale: the edited report is written over the newer one it was shown.
          item.error?.stale?.item === 'report' ? item.error.stale.report.id : command.payload.supersedes,
        ),
      );
      view.bumpDraftEpoch();
      view.openIncident(command.payload.incidentId, 'newReport');
      return;
    case 'logEntry.add':
      saveDraft(logDraftKey(userId, command.payload.incidentId), {
        text: command.payload.text,
        sharingScope: command.payload.sharing.scope,
        sharingActorIds: command.payload.sharing.scope === 'actors' ? command.payload.sharing.actorIds : [],
      });
      view.bumpDraftEpoch();
      if (command.payload.incidentId) view.openIncident(command.payload.incidentId, 'log');
      else view.openIncident(null);
      return;
    case 'incident.request':
      saveDraft(`${REQUEST_DRAFT_KEY}.${userId}`, {
        title: command.payload.title,
        reason: command.payload.reason,
      });
      view.openDialog({ kind: 'request' });
      return;
    case 'jointMessage.draft': {
      // The message tab opens its editor on the kept draft, on the version it was written on:
      // a version saved since shows as such, with this text kept.
      const kept: KeptMessageDraft = {
        messageId: command.payload.messageId,
        baseVersion: command.payload.baseVersion,
        form: formFromContent(command.payload.content, command.payload.approverActorIds),
      };
      saveDraft(messageDraftKey(userId, command.payload.incidentId), kept);
      view.bumpDraftEpoch();
      view.openIncident(command.payload.incidentId, 'message');
      return;
    }
    default:
      return;
  }
}
