import { describe, expect, it } from 'vitest';
import { COMMAND_TYPES, type CommandType } from './commands.js';
import { parseRegionConfig } from './region.js';
import { authorize, type Sender } from './rights.js';
import { stockholmRegion } from './testing/test-factories.js';

const region = stockholmRegion();
const LEAD = 'lansstyrelsen';
const MUNICIPALITY = 'nacka';
const FUNCTIONS = [
  'directing',
  'dutyOfficer',
  'coordinator',
  'communicator',
  'field',
  'viewer',
  'admin',
] as const;
type FunctionId = (typeof FUNCTIONS)[number];

/**
 * What the region's agreement intends, written out independently of the config file: the
 * lead actor's duty officer or coordinator decides on activation, any duty officer may ask
 * for it and acknowledges it, duty officers and coordinators report, field staff send
 * field reports from the scene (with duty officers and coordinators), everyone working in
 * the response checks in, viewers never write, and administrators write only the prepared
 * directives. Every actor's duty officer or coordinator may call and chair a conference
 * (decide checks that the sender's actor convenes it), say "present", follow up its action
 * items, and offer or settle resources. Joint directives follow the agreement's levels: the
 * coordinating level drafts them and follows up its actor's items, and only the directing
 * level (a head or deputy, at any actor) decides or co-signs them. Joint messages to the public
 * are drafted by communicators, coordinators and duty officers, and signed off, published and
 * cancelled by communicators and duty officers (decide checks that their actor takes part).
 */
function intended(functionId: FunctionId, actorId: string, type: CommandType): boolean {
  const lead = actorId === LEAD;
  const is = (...ids: FunctionId[]) => ids.includes(functionId);
  switch (type) {
    case 'incident.request':
    case 'activation.acknowledge':
      return is('dutyOfficer');
    case 'incident.activate':
    case 'incident.update':
    case 'incident.close':
      return lead && is('dutyOfficer', 'coordinator');
    case 'readiness.set':
      return lead && is('dutyOfficer');
    case 'report.submit':
      return is('dutyOfficer', 'coordinator');
    case 'fieldReport.submit':
      return is('dutyOfficer', 'coordinator', 'field');
    case 'checkin.create':
    case 'checkin.checkout':
      return is('directing', 'dutyOfficer', 'coordinator', 'communicator', 'field');
    case 'logEntry.add':
      return is('dutyOfficer', 'coordinator', 'communicator');
    case 'conference.schedule':
    case 'conference.reschedule':
    case 'conference.open':
    case 'conference.step':
    case 'conference.rollCall':
    case 'conference.round':
    case 'conference.assess':
    case 'conference.setNext':
    case 'conference.close':
    case 'conference.approveMinutes':
    case 'actionItem.record':
    case 'actionItem.setStatus':
    case 'offer.make':
    case 'offer.answer':
    case 'need.settle':
    case 'directive.draft':
    case 'directive.confirm':
    case 'directive.reportItem':
      return is('dutyOfficer', 'coordinator');
    case 'directive.decide':
    case 'directive.cosign':
      return is('directing');
    case 'directiveTemplate.save':
    case 'directiveTemplate.remove':
    case 'directiveTemplate.restore':
      return is('admin');
    case 'jointMessage.draft':
      return is('communicator', 'coordinator', 'dutyOfficer');
    case 'jointMessage.approve':
    case 'jointMessage.requestChange':
    case 'jointMessage.publish':
    case 'jointMessage.cancel':
      return is('communicator', 'dutyOfficer');
  }
}

const sender = (actorId: string, functionIds: readonly string[]): Sender => ({
  userId: `user-${actorId}`,
  userName: 'Test Person',
  actorId,
  functionIds,
});

const matrix = FUNCTIONS.flatMap((functionId) =>
  [LEAD, MUNICIPALITY].flatMap((actorId) =>
    COMMAND_TYPES.map((type) => ({
      functionId,
      actorId,
      type,
      allowed: intended(functionId, actorId, type),
    })),
  ),
);

describe('authorize (Stockholm region)', () => {
  it('knows exactly the functions the matrix covers', () => {
    expect(region.functions.map((f) => f.id).sort()).toEqual([...FUNCTIONS].sort());
    expect(region.leadActorId).toBe(LEAD);
  });

  it.each(matrix)(
    '$functionId at $actorId: $type allowed=$allowed',
    ({ functionId, actorId, type, allowed }) => {
      const result = authorize(region, sender(actorId, [functionId]), type);
      if (allowed) {
        expect(result).toEqual({ ok: true, functionId });
      } else {
        expect(result).toEqual({
          ok: false,
          error: { code: 'forbidden', message: `Your functions (${functionId}) may not ${type}` },
        });
      }
    },
  );

  it('attributes the command to the first of several functions that allows it', () => {
    const result = authorize(
      region,
      sender(LEAD, ['viewer', 'coordinator', 'dutyOfficer']),
      'incident.activate',
    );
    expect(result).toEqual({ ok: true, functionId: 'coordinator' });
  });

  it('refuses a person without any function, saying so', () => {
    expect(authorize(region, sender(LEAD, []), 'checkin.create')).toEqual({
      ok: false,
      error: { code: 'forbidden', message: 'Your functions (none) may not checkin.create' },
    });
  });

  it('refuses every command whose right the region config leaves out', () => {
    const { rights: _rights, ...rest } = region;
    const withoutRights = parseRegionConfig({ ...rest, rights: {} });
    for (const type of COMMAND_TYPES) {
      expect(authorize(withoutRights, sender(LEAD, ['dutyOfficer']), type).ok).toBe(false);
    }
  });
});
