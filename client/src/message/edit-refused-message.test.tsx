import { buildJointMessageDraftCommand, buildMessageContent } from '@lagesbild/shared/test-factories';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { loadDraft } from '../domain/drafts';
import { editRefusedCommand, isEditable } from '../features/edit-refused';
import type { OutboxItem } from '../outbox';
import { useView } from '../stores/view';
import { MESSAGE_SCENE, sessionOf, stockholmBy } from '../test/message-scene';
import { KeptMessageDraft, messageDraftKey } from './message-form';

vi.mock('../outbox', () => ({ discardItem: vi.fn(async () => true) }));

describe('editing a refused version of a joint message', () => {
  beforeEach(() => {
    localStorage.clear();
    useView.getState().reset();
  });
  afterEach(() => vi.clearAllMocks());

  it('keeps its text as the editor’s draft, on the version it was written on, and opens the message tab', async () => {
    const session = sessionOf(stockholmBy);
    const command = buildJointMessageDraftCommand({
      messageId: MESSAGE_SCENE.messageId,
      incidentId: MESSAGE_SCENE.incidentId,
      content: buildMessageContent({ exercise: true }),
      baseVersion: 2,
    });
    expect(isEditable(command)).toBe(true);
    const item = {
      id: command.id,
      command,
      status: 'failed',
      error: { code: 'stale', message: 'Version 3 has been saved since', fromHub: true },
    } as OutboxItem;
    await editRefusedCommand(session, item);
    const kept = loadDraft(messageDraftKey(session.user.id, MESSAGE_SCENE.incidentId), KeptMessageDraft);
    expect(kept).toMatchObject({ messageId: MESSAGE_SCENE.messageId, baseVersion: 2 });
    expect(kept?.form.exercise).toBe(true);
    expect(kept?.form.texts.sv.headline).toBe(command.payload.content.texts.sv.headline);
    expect(useView.getState()).toMatchObject({
      incidentId: MESSAGE_SCENE.incidentId,
      tab: 'message',
      draftEpoch: 1,
    });
  });
});
