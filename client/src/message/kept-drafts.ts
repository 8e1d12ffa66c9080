import type { JointMessage, MessageContent } from '@lagesbild/shared';
import { clearDraft, loadDraft } from '../domain/drafts';
import { useOutbox } from '../stores/outbox';
import { formFromContent, KeptMessageDraft, messageDraftKey, type MessageForm } from './message-form';

// A draft is kept on the device until its save is accepted. The editor drops it then, but
// only while it is open: a save still on its way when the editor closed (the user went to
// another tab, the link was down) left the draft behind, and opening the editor again
// offered the saved text once more as the next version, a duplicate. So the draft is
// dropped here as soon as the outbox marks its save sent, editor or not, and on opening
// when it says exactly what a version this user saved says.

/** The form as it reaches the server: no channel row ids, text trimmed, approvers as a set. */
function normalised(form: MessageForm) {
  const trim = (text: MessageForm['texts']['sv'] | null) =>
    text && { headline: text.headline.trim(), core: text.core.trim(), whatToDo: text.whatToDo.trim() };
  return {
    ...form,
    texts: { sv: trim(form.texts.sv), en: trim(form.texts.en), svEasy: trim(form.texts.svEasy) },
    channels: form.channels.map((c) => ({ actorId: c.actorId, url: c.url.trim() })),
    municipalityCodes: [...new Set(form.municipalityCodes)],
    areaDescription: form.areaDescription.trim(),
    approverActorIds: [...new Set(form.approverActorIds)].sort(),
  };
}

/** Whether the kept form says what the saved content says, with the same approvers. */
export function keptFormSaysThe(
  form: MessageForm,
  content: MessageContent,
  approverActorIds: readonly string[],
): boolean {
  return (
    JSON.stringify(normalised(form)) ===
    JSON.stringify(normalised(formFromContent(content, approverActorIds)))
  );
}

/** Whether the kept draft is a version of the message this user has saved already. */
export const isSavedAlready = (kept: KeptMessageDraft, message: JointMessage, userId: string): boolean =>
  kept.messageId === message.id &&
  message.versions.some(
    (v) => v.draftedBy.userId === userId && keptFormSaysThe(kept.form, v.content, v.approverActorIds),
  );

let stop: (() => void) | null = null;

/**
 * Drops a user's kept draft of a message once the outbox has a save of that text sent. Started
 * once, when the message views load; the outbox store lives as long as the page.
 */
export function dropKeptDraftsWhenSaved(): void {
  stop ??= useOutbox.subscribe((state, previous) => {
    for (const item of Object.values(state.items)) {
      if (item.status !== 'sent' || item.command.type !== 'jointMessage.draft') continue;
      if (previous.items[item.id]?.status === 'sent') continue;
      const { payload } = item.command;
      const key = messageDraftKey(item.userId, payload.incidentId);
      const kept = loadDraft(key, KeptMessageDraft);
      // A draft changed after that save is newer text: it stays.
      if (
        kept?.messageId === payload.messageId &&
        keptFormSaysThe(kept.form, payload.content, payload.approverActorIds)
      ) {
        clearDraft(key);
      }
    }
  });
}

/**
 * The user's draft of the incident's message kept on this device, or null. One that says
 * what a version the user saved already says is dropped: its save went through after the
 * editor had closed, so it is no new text.
 */
export function keptDraftOf(
  userId: string,
  incidentId: string,
  message: JointMessage | undefined,
): KeptMessageDraft | null {
  const key = messageDraftKey(userId, incidentId);
  const kept = loadDraft(key, KeptMessageDraft);
  if (kept && message && isSavedAlready(kept, message, userId)) {
    clearDraft(key);
    return null;
  }
  return kept;
}
