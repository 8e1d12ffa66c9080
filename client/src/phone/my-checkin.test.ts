import type { Command } from '@lagesbild/shared';
import {
  buildAttribution,
  buildCheckin,
  buildCheckinCommand,
  buildCheckoutCommand,
  buildState,
  testUuid,
} from '@lagesbild/shared/test-factories';
import { describe, expect, it } from 'vitest';
import type { OutboxItem, OutboxStatus } from '../outbox';
import { myCheckin } from './my-checkin';

const ME = 'user-nacka-field';
const me = buildAttribution({ userId: ME, actorId: 'nacka', functionId: 'field' });

let order = 0;
const item = (command: Command, status: OutboxStatus = 'queued', userId = ME): OutboxItem => ({
  id: command.id,
  userId,
  command,
  status,
  order: ++order,
  createdAt: 1_000 + order,
  updatedAt: 1_000 + order,
  attempts: 0,
  seq: null,
  error: null,
  unconfirmed: false,
});

describe('myCheckin', () => {
  it('is the open check-in of the picture when the outbox holds nothing', () => {
    const open = buildCheckin({ id: testUuid(1), by: me, status: 'onSite' });
    expect(myCheckin(buildState({ checkins: [open] }), [], ME)).toMatchObject({
      checkinId: testUuid(1),
      status: 'onSite',
      since: open.at,
      inPicture: true,
    });
    expect(myCheckin(buildState(), [], ME)).toBeNull();
  });

  it('counts a check-in made offline before the hub has it', () => {
    const open = buildCheckin({ id: testUuid(1), by: me, status: 'onSite' });
    const offline = buildCheckinCommand({ checkinId: testUuid(2), status: 'onTheWay' });
    const result = myCheckin(buildState({ checkins: [open] }), [item(offline)], ME);
    expect(result).toMatchObject({ checkinId: testUuid(2), status: 'onTheWay', inPicture: false });
  });

  it('ends the check-in as soon as the check-out is in the outbox', () => {
    const open = buildCheckin({ id: testUuid(1), by: me });
    const checkout = buildCheckoutCommand({ checkinId: testUuid(1) });
    expect(myCheckin(buildState({ checkins: [open] }), [item(checkout)], ME)).toBeNull();
  });

  it('ignores refused commands and other people', () => {
    const refused = buildCheckinCommand({ checkinId: testUuid(3) });
    const theirs = buildCheckinCommand({ checkinId: testUuid(4) });
    expect(
      myCheckin(buildState(), [item(refused, 'failed'), item(theirs, 'queued', 'someone-else')], ME),
    ).toBeNull();
  });

  it('uses the picture once the hub has applied the check-in', () => {
    const sent = buildCheckinCommand({ checkinId: testUuid(5), status: 'available' });
    const applied = buildCheckin({ id: testUuid(5), by: me, status: 'available' });
    expect(myCheckin(buildState({ checkins: [applied] }), [item(sent, 'sent')], ME)).toMatchObject({
      checkinId: testUuid(5),
      since: applied.at,
      inPicture: true,
    });
  });
});
