import { buildIncident, buildState, freshUuid, testUuid } from '@lagesbild/shared/test-factories';
import { describe, expect, it } from 'vitest';
import type { OutboxItem, OutboxStatus } from '../outbox/outbox-item';
import { buildConference, byId } from '../wall/conference-test-data';
import { dialInHref, pendingDone, runningConferences } from './phone-picture';

describe('dialInHref', () => {
  it('dials a Swedish number, with the PIN after two pauses so one tap joins', () => {
    expect(dialInHref('08-123 456 78')).toBe('tel:0812345678');
    expect(dialInHref('Ring +46 8 123 456 78, PIN: 4321')).toBe('tel:+46812345678,,4321%23');
    expect(dialInHref('Telefon 010-456 00 00 kod 998877')).toBe('tel:0104560000,,998877%23');
  });

  it('links a meeting address, and leaves other text as it is', () => {
    expect(dialInHref('https://meet.example.se/ssr-stab PIN 1234')).toBe('https://meet.example.se/ssr-stab');
    expect(dialInHref('Rakel talgrupp SSR-1')).toBeNull();
    expect(dialInHref('Rum 12, plan 3')).toBeNull();
    expect(dialInHref('')).toBeNull();
    // A script address is never made a link.
    expect(dialInHref('javascript:alert(1)')).toBeNull();
  });

  it('keeps a PIN written in groups whole, so the bridge gets all of it', () => {
    expect(dialInHref('Ring 08-123 456 78, kod: 123 456 789#')).toBe('tel:0812345678,,123456789%23');
    expect(dialInHref('PIN 55 66 77 – ring +46 10 123 45 67')).toBe('tel:+46101234567,,556677%23');
  });

  it('recognises a conference ID as the code to send after the number', () => {
    expect(dialInHref('Tel 08-555 000 11 Konferens-ID: 987 654 321')).toBe('tel:0855500011,,987654321%23');
    expect(dialInHref('Call +46 8 555 000 11, Meeting ID 4455 6677')).toBe('tel:+46855500011,,44556677%23');
  });

  it('never dials the digits of a meeting link', () => {
    expect(dialInHref('https://meet.example.se/j/0812345678')).toBe('https://meet.example.se/j/0812345678');
    expect(dialInHref('https://teams.example.com/l/meetup-join/19%3a0701234567 ID 123 456')).toBe(
      'https://teams.example.com/l/meetup-join/19%3a0701234567',
    );
    // With a number beside the link, the number is dialled and the link's digits are not.
    expect(dialInHref('https://meet.example.se/0701234567 eller ring 08-123 456 78')).toBe('tel:0812345678');
  });
});

describe('runningConferences', () => {
  const storm = buildIncident();
  const closedIncident = buildIncident({ status: 'closed' });

  it('lists the open conferences of active incidents and of ordinary mode, the dial-in only for the summoned', () => {
    const incidentConference = buildConference({ incidentId: storm.id });
    const weekly = buildConference({ incidentId: null, summonedActorIds: ['lansstyrelsen', 'solna'] });
    const stale = buildConference({ incidentId: closedIncident.id });
    const dialIn = (conferenceId: string, summonedActorIds: string[]) => ({
      conferenceId,
      dialIn: '08-123 456 78',
      summonedActorIds,
      seq: 1,
    });
    const state = {
      ...buildState({ incidents: [storm, closedIncident] }),
      conferences: byId([incidentConference, weekly, stale]),
      conferenceDialIns: {
        [incidentConference.id]: dialIn(incidentConference.id, ['lansstyrelsen', 'nacka']),
        [weekly.id]: dialIn(weekly.id, ['lansstyrelsen', 'solna']),
      },
    };
    expect(runningConferences(state, 'nacka').map((r) => [r.conference.id, r.dialIn])).toEqual([
      [incidentConference.id, '08-123 456 78'],
      [weekly.id, null],
    ]);
  });
});

describe('pendingDone', () => {
  const item = (status: OutboxStatus, done: boolean, itemId: string): OutboxItem => ({
    id: freshUuid(),
    userId: 'user-nacka-tib',
    command: {
      id: freshUuid(),
      type: 'actionItem.setStatus',
      payload: { itemId, status: done ? 'done' : 'open' },
    },
    status,
    order: 1,
    createdAt: 0,
    updatedAt: 0,
    attempts: 0,
    seq: null,
    error: null,
    unconfirmed: false,
  });

  it('names the items whose "done" is still on its way, not those sent, refused or reopened', () => {
    const [a, b, c, d, e] = [testUuid(1), testUuid(2), testUuid(3), testUuid(4), testUuid(5)];
    expect(
      pendingDone([
        item('queued', true, a),
        item('sending', true, b),
        item('failed', true, c),
        item('sent', true, d),
        item('queued', false, e),
      ]),
    ).toEqual(new Set([a, b]));
  });
});
