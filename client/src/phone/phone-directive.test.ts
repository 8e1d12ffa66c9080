import type { Command } from '@lagesbild/shared';
import { buildDirectiveContent, freshUuid, TEST_NOW, testUuid } from '@lagesbild/shared/test-factories';
import { describe, expect, it } from 'vitest';
import type { OutboxItem, OutboxStatus } from '../outbox/outbox-item';
import { byId } from '../wall/conference-test-data';
import { buildDirective, buildDirectiveVersion, buildFollowUp } from '../wall/directive-test-data';
import { pendingDirectiveCommands, phoneDirective } from './phone-directive';

const incidentId = testUuid(0xaa);
const nackaItem = testUuid(0xd1);

describe('the directive on the phone', () => {
  it('asks for a new confirmation of an item a later version changed', () => {
    const v1 = buildDirectiveVersion();
    const changed = buildDirectiveContent({
      items: [{ id: nackaItem, text: 'Öppna trygghetspunkter och värmestugor', ownerActorId: 'nacka' }],
    });
    const v2 = buildDirectiveVersion({ version: 2, content: changed, seq: 20 });
    const directive = buildDirective({
      incidentId,
      versions: [v1, v2],
      followUps: { [`${nackaItem}@1`]: buildFollowUp({ version: 1 }) },
    });
    const shown = phoneDirective({ directives: byId([directive]) }, incidentId, 'nacka', TEST_NOW);
    expect(shown?.items).toEqual([{ item: changed.items[0], followUp: undefined }]);
  });

  it('keeps a confirmation while later versions leave the item as it was', () => {
    const followUp = buildFollowUp({ version: 1 });
    const directive = buildDirective({
      incidentId,
      versions: [buildDirectiveVersion(), buildDirectiveVersion({ version: 2, seq: 20 })],
      followUps: { [`${nackaItem}@1`]: followUp },
    });
    const shown = phoneDirective({ directives: byId([directive]) }, incidentId, 'nacka', TEST_NOW);
    expect(shown?.items.map((i) => i.followUp)).toEqual([followUp]);
  });
});

describe('pendingDirectiveCommands', () => {
  const item = (status: OutboxStatus, command: Command): OutboxItem => ({
    id: freshUuid(),
    userId: 'user-nacka-tib',
    command,
    status,
    order: 1,
    createdAt: 0,
    updatedAt: 0,
    attempts: 0,
    seq: null,
    error: null,
    unconfirmed: false,
  });
  const directiveId = testUuid(0xdd);

  it('names the items whose confirmation or report is still on its way, not those sent or refused', () => {
    const [a, b, c, d] = [testUuid(1), testUuid(2), testUuid(3), testUuid(4)];
    const confirm = (itemId: string): Command => ({
      id: freshUuid(),
      type: 'directive.confirm',
      payload: { directiveId, itemId },
    });
    const report = (itemId: string): Command => ({
      id: freshUuid(),
      type: 'directive.reportItem',
      payload: { directiveId, itemId, outcome: 'done', text: '' },
    });
    const pending = pendingDirectiveCommands([
      item('queued', confirm(a)),
      item('failed', confirm(b)),
      item('sending', report(c)),
      item('sent', report(d)),
    ]);
    expect(pending).toEqual({ confirm: new Set([a]), report: new Set([c]) });
  });
});
