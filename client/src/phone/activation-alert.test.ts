import type { Command } from '@lagesbild/shared';
import {
  buildAcknowledgeCommand,
  buildAttribution,
  buildIncident,
  buildState,
  minutesAfterNow,
  stockholmRegion,
  testUuid,
} from '@lagesbild/shared/test-factories';
import { describe, expect, it } from 'vitest';
import type { OutboxItem, OutboxStatus } from '../outbox';
import { pendingActivations } from './activation-alert';

const region = stockholmRegion();
const item = (command: Command, status: OutboxStatus = 'queued'): OutboxItem => ({
  id: command.id,
  userId: 'u',
  command,
  status,
  order: 1,
  createdAt: 1,
  updatedAt: 1,
  attempts: 0,
  seq: null,
  error: null,
  unconfirmed: false,
});

const storm = buildIncident({ id: testUuid(1), title: 'Storm', summonedActorIds: ['nacka', 'solna'] });
const flood = buildIncident({
  id: testUuid(2),
  title: 'Flood',
  summonedActorIds: [],
  activatedAt: minutesAfterNow(5),
});
const elsewhere = buildIncident({ id: testUuid(3), title: 'Elsewhere', summonedActorIds: ['solna'] });

describe('pendingActivations', () => {
  it("alerts to activations that summon the user's actor, including a summons of everyone", () => {
    const state = buildState({ incidents: [flood, storm, elsewhere] });
    expect(pendingActivations(state, region, 'nacka', [], new Set()).map((i) => i.title)).toEqual([
      'Storm',
      'Flood',
    ]);
  });

  it('stops alerting once the actor has acknowledged, from any phone or desk', () => {
    const acked = {
      ...storm,
      acknowledgements: { nacka: { at: minutesAfterNow(1), by: buildAttribution(), seq: 2 } },
    };
    expect(pendingActivations(buildState({ incidents: [acked] }), region, 'nacka', [], new Set())).toEqual(
      [],
    );
  });

  it('stops alerting when the acknowledgement is waiting in the outbox, but not when it was refused', () => {
    const state = buildState({ incidents: [storm] });
    const ack = buildAcknowledgeCommand({ incidentId: storm.id });
    expect(pendingActivations(state, region, 'nacka', [item(ack)], new Set())).toEqual([]);
    expect(pendingActivations(state, region, 'nacka', [item(ack, 'failed')], new Set())).toHaveLength(1);
  });

  it('leaves out alerts the user put away, requests, and closed incidents', () => {
    const state = buildState({
      incidents: [
        storm,
        { ...flood, status: 'requested' },
        { ...elsewhere, summonedActorIds: [], status: 'closed' },
      ],
    });
    expect(pendingActivations(state, region, 'nacka', [], new Set([storm.id]))).toEqual([]);
  });
});
