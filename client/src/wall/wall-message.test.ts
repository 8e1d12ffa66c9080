import { initialState, type JointMessage } from '@lagesbild/shared';
import { minutesAfterNow, TEST_NOW, testUuid } from '@lagesbild/shared/test-factories';
import { describe, expect, it } from 'vitest';
import { byId } from './conference-test-data';
import {
  buildAgreedVersion,
  buildCancellation,
  buildDraftVersion,
  buildJointMessage,
  buildMessageContent,
} from './message-test-data';
import {
  initialMessageWatch,
  messageOnWall,
  messageTextFor,
  notYetValid,
  watchMessages,
  WITHDRAWN_NOTICE_MS,
} from './wall-message';

const incidentId = testUuid(0x1001);
const now = Date.parse(TEST_NOW);
const picture = (...messages: JointMessage[]) => ({ jointMessages: byId(messages) });
const withHeadline = (headline: string) =>
  buildMessageContent({ texts: { sv: { headline, core: 'Kärna', whatToDo: '' }, en: null, svEasy: null } });

describe('which joint message the wall and the phone show', () => {
  it('shows the agreed version, and keeps it while a later edit is being signed off', () => {
    const agreed = buildAgreedVersion({ content: withHeadline('Överenskommen') });
    const draft = buildDraftVersion({ version: 2, content: withHeadline('Utkast'), seq: 30 });
    const shown = messageOnWall(
      picture(buildJointMessage({ incidentId, versions: [agreed, draft] })),
      incidentId,
      now,
    );
    expect(shown?.kind).toBe('agreed');
    expect(shown?.version.content.texts.sv.headline).toBe('Överenskommen');
  });

  it('shows nothing for a message that is still a draft, nor for another incident', () => {
    const draft = buildJointMessage({ incidentId, versions: [buildDraftVersion()] });
    expect(messageOnWall(picture(draft), incidentId, now)).toBeUndefined();
    expect(messageOnWall(picture(buildJointMessage()), incidentId, now)).toBeUndefined();
  });

  it('shows nothing once the agreed version has run out', () => {
    const message = buildJointMessage({
      incidentId,
      versions: [buildAgreedVersion({ content: buildMessageContent({ validUntil: minutesAfterNow(30) }) })],
    });
    expect(messageOnWall(picture(message), incidentId, now + 29 * 60_000)?.kind).toBe('agreed');
    expect(messageOnWall(picture(message), incidentId, now + 30 * 60_000)).toBeUndefined();
  });

  it('says a withdrawn message was withdrawn for ten minutes, then shows nothing', () => {
    const message = buildJointMessage({ incidentId, cancelled: buildCancellation(minutesAfterNow(5)) });
    const shown = messageOnWall(picture(message), incidentId, now + 6 * 60_000);
    expect(shown).toMatchObject({ kind: 'withdrawn', withdrawnAt: minutesAfterNow(5) });
    expect(
      messageOnWall(picture(message), incidentId, now + 5 * 60_000 + WITHDRAWN_NOTICE_MS),
    ).toBeUndefined();
    // A wall clock behind the server's still shows a fresh withdrawal.
    expect(messageOnWall(picture(message), incidentId, now)?.kind).toBe('withdrawn');
  });

  it('never announces the withdrawal of a message that was never agreed', () => {
    const message = buildJointMessage({
      incidentId,
      versions: [buildDraftVersion()],
      cancelled: buildCancellation(minutesAfterNow(1)),
    });
    expect(messageOnWall(picture(message), incidentId, now + 60_000)).toBeUndefined();
  });

  it('shows the new agreed message that replaced a withdrawn one, and the withdrawal while the new one is a draft', () => {
    const old = buildJointMessage({
      id: testUuid(0xa1),
      incidentId,
      versions: [buildAgreedVersion({ content: withHeadline('Gammalt'), seq: 10 })],
      cancelled: buildCancellation(minutesAfterNow(1), 20),
    });
    const replacementDraft = buildJointMessage({
      id: testUuid(0xa2),
      incidentId,
      versions: [buildDraftVersion({ content: withHeadline('Nytt'), seq: 30 })],
    });
    expect(messageOnWall(picture(old, replacementDraft), incidentId, now + 120_000)).toMatchObject({
      kind: 'withdrawn',
      message: { id: old.id },
    });
    const replacement = {
      ...replacementDraft,
      versions: [buildAgreedVersion({ content: withHeadline('Nytt'), seq: 30 })],
    };
    const shown = messageOnWall(picture(old, replacement), incidentId, now + 120_000);
    expect(shown?.kind).toBe('agreed');
    expect(shown?.version.content.texts.sv.headline).toBe('Nytt');
  });

  it('reads English on an English screen when the message has it, else Swedish', () => {
    const en = { headline: 'Stay indoors tonight', core: 'A severe storm.', whatToDo: 'Charge your phone.' };
    const bilingual = buildAgreedVersion({
      content: buildMessageContent({ texts: { ...buildMessageContent().texts, en } }),
    });
    expect(messageTextFor(bilingual, 'en').headline).toBe('Stay indoors tonight');
    expect(messageTextFor(bilingual, 'sv').headline).toBe('Stanna inomhus i kväll');
    expect(messageTextFor(buildAgreedVersion(), 'en').headline).toBe('Stanna inomhus i kväll');
  });

  it('says "from" only for a validity that begins after the agreement', () => {
    const later = buildAgreedVersion({ content: buildMessageContent({ validFrom: minutesAfterNow(60) }) });
    expect(notYetValid(later, now)).toBe(true);
    expect(notYetValid(later, now + 60 * 60_000)).toBe(false);
    // Valid from the moment of agreement: begun, even by a screen clock a little behind.
    expect(notYetValid(buildAgreedVersion({ agreedAt: minutesAfterNow(1) }), now - 30_000)).toBe(false);
  });
});

describe('which incidents the wall turns to for a joint message', () => {
  const draft = buildJointMessage({ id: testUuid(0xb1), incidentId, versions: [buildDraftVersion()] });
  const agreed = { ...draft, versions: [buildAgreedVersion()] };

  it('turns to nothing agreed before the wall started, nor while the picture is being replaced', () => {
    const first = watchMessages(initialMessageWatch(), picture(agreed), true);
    expect(first.news).toEqual([]);
    const replacing = watchMessages(first.watch, initialState(), false);
    expect(replacing.news).toEqual([]);
    expect(watchMessages(replacing.watch, picture(agreed), true).news).toEqual([]);
  });

  it('turns to an incident when its message is agreed, not when a draft is saved', () => {
    const started = watchMessages(initialMessageWatch(), initialState(), true);
    const drafted = watchMessages(started.watch, picture(draft), true);
    expect(drafted.news).toEqual([]);
    expect(watchMessages(drafted.watch, picture(agreed), true).news).toEqual([incidentId]);
  });

  it('turns again for a later agreed version and for a withdrawal, but not for the draft between', () => {
    const started = watchMessages(initialMessageWatch(), picture(agreed), true);
    const v2Draft = { ...agreed, versions: [...agreed.versions, buildDraftVersion({ version: 2, seq: 30 })] };
    const drafted = watchMessages(started.watch, picture(v2Draft), true);
    expect(drafted.news).toEqual([]);
    const v2 = { ...agreed, versions: [...agreed.versions, buildAgreedVersion({ version: 2, seq: 30 })] };
    const second = watchMessages(drafted.watch, picture(v2), true);
    expect(second.news).toEqual([incidentId]);
    const withdrawn = { ...v2, cancelled: buildCancellation(minutesAfterNow(5), 50) };
    expect(watchMessages(second.watch, picture(withdrawn), true).news).toEqual([incidentId]);
  });

  it('does not turn for the withdrawal of a draft', () => {
    const started = watchMessages(initialMessageWatch(), picture(draft), true);
    const withdrawn = { ...draft, cancelled: buildCancellation(minutesAfterNow(5), 50) };
    expect(watchMessages(started.watch, picture(withdrawn), true).news).toEqual([]);
  });
});
