import { describe, expect, it } from 'vitest';
import { applyInPlace, decide, initialState, stateHash, type StoredEvent } from '@lagesbild/shared';
import {
  buildActionItemRecordCommand,
  buildActivateCommand,
  buildAttribution,
  buildCheckinCommand,
  buildConferenceOpenCommand,
  buildConferenceRollCallCommand,
  buildConferenceScheduleCommand,
  buildNeedSettleCommand,
  buildOfferMakeCommand,
  buildReportCommand,
  buildEvent,
  buildLogEntryCommand,
  buildRequestCommand,
  freshUuid,
  runCommands,
  stockholmRegion,
  TEST_NOW,
} from '@lagesbild/shared/test-factories';
import { provisionalState } from './provisional-state.js';

const region = stockholmRegion();
const by = buildAttribution();

describe('provisionalState', () => {
  it('reads as the base plus what is folded into it, and leaves the base untouched', () => {
    const { state: base } = runCommands([
      { command: buildRequestCommand() },
      { command: buildLogEntryCommand() },
      { command: buildCheckinCommand() },
    ]);
    const before = stateHash(base);
    const working = provisionalState(base);
    const events: StoredEvent[] = [];
    let seq = 4;
    for (const command of [buildLogEntryCommand(), buildCheckinCommand(), buildRequestCommand()]) {
      const decision = decide(working, command, by, TEST_NOW, region);
      if (!decision.ok) throw new Error(decision.error.message);
      const folded = decision.data.map((draft) =>
        buildEvent(draft, { seq: seq++, at: TEST_NOW, by, commandId: command.id }),
      );
      applyInPlace(working, folded);
      events.push(...folded);
    }

    expect(stateHash(base)).toBe(before);
    // The same as folding the events into a copy of the base.
    const expected = applyInPlace(structuredClone(base), events);
    expect(stateHash(JSON.parse(JSON.stringify(working)))).toBe(stateHash(expected));
    expect(Object.keys(working.logEntries)).toEqual(Object.keys(expected.logEntries));
    // The check-in command ended the first check-in in the working state only.
    expect(Object.values(working.checkins).filter((c) => c.checkedOutAt === null)).toHaveLength(1);
    expect(Object.values(base.checkins).filter((c) => c.checkedOutAt === null)).toHaveLength(1);
  });

  it('keeps a conference, its decisions, offers and judgements of needs out of the base', () => {
    const incidentId = freshUuid();
    const conferenceId = freshUuid();
    const reportId = freshUuid();
    const nacka = buildAttribution({ userId: 'user-nacka-tib', actorId: 'nacka' });
    const { state: base, events: history } = runCommands([
      { command: buildActivateCommand({ incidentId }) },
      { command: buildReportCommand({ reportId, incidentId }), by: nacka },
      { command: buildConferenceScheduleCommand({ conferenceId, incidentId, dialIn: 'Tel 08-555 00' }) },
    ]);
    const before = stateHash(base);
    const working = provisionalState(base);
    const steps = [
      { command: buildConferenceOpenCommand({ conferenceId }), sender: by },
      { command: buildConferenceRollCallCommand({ conferenceId, actorId: 'nacka' }), sender: nacka },
      { command: buildActionItemRecordCommand({ conferenceId }), sender: by },
      { command: buildOfferMakeCommand({ incidentId, reportId }), sender: by },
      { command: buildNeedSettleCommand({ incidentId, reportId, coverage: 'partlyCovered' }), sender: nacka },
    ];
    const events: StoredEvent[] = [];
    let seq = history.length + 1;
    for (const { command, sender } of steps) {
      const decision = decide(working, command, sender, TEST_NOW, region);
      if (!decision.ok) throw new Error(`${command.type}: ${decision.error.message}`);
      const folded = decision.data.map((draft) =>
        buildEvent(draft, { seq: seq++, at: TEST_NOW, by: sender, commandId: command.id }),
      );
      applyInPlace(working, folded);
      events.push(...folded);
    }

    expect(stateHash(base)).toBe(before);
    expect(base.conferences[conferenceId]?.status).toBe('scheduled');
    expect(working.conferences[conferenceId]?.rollCall.nacka?.presence).toBe('present');
    const expected = applyInPlace(structuredClone(base), events);
    expect(stateHash(JSON.parse(JSON.stringify(working)))).toBe(stateHash(expected));
    for (const map of ['actionItems', 'offers', 'needSettlements'] as const) {
      expect(Object.keys(working[map]), map).toHaveLength(1);
      expect(Object.keys(base[map]), map).toHaveLength(0);
    }
  });

  it('refuses deletes, as the reducer never deletes', () => {
    const working = provisionalState(initialState());
    const id = freshUuid();
    expect(Reflect.deleteProperty(working.logEntries, id)).toBe(false);
    expect(id in working.logEntries).toBe(false);
  });
});
