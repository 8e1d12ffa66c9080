import { decide, initialState } from '@lagesbild/shared';
import { buildAttribution, stockholmRegion, TEST_NOW } from '@lagesbild/shared/test-factories';
import { activate } from '../../support/commands.js';

/**
 * The `sync.events` payload the hub sends for one activation, with `__COMMAND_ID__` where
 * the command id goes: the baselines broadcast exactly this, so every system moves the
 * same bytes.
 */
export function activationBatchTemplate(): string {
  const command = activate();
  const decision = decide(initialState(), command, buildAttribution(), TEST_NOW, stockholmRegion());
  if (!decision.ok) throw new Error(`activation refused: ${decision.error.message}`);
  const events = decision.data.map((draft, i) => ({
    seq: i + 1,
    type: draft.type,
    at: TEST_NOW,
    by: buildAttribution(),
    commandId: '__COMMAND_ID__',
    payload: draft.payload,
  }));
  return JSON.stringify({ epoch: '00000000-0000-4000-8000-000000000000', events, headSeq: events.length });
}
