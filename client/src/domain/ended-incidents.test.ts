import { buildAttribution, buildIncident, minutesAfterNow, testUuid } from '@lagesbild/shared/test-factories';
import { describe, expect, it } from 'vitest';
import { endedIncidents, isDeclinedRequest } from './ended-incidents';

const closed = (n: number, closedAfter: number, activated: boolean) =>
  buildIncident({
    id: testUuid(n),
    title: `Händelse ${n}`,
    status: 'closed',
    activatedAt: activated ? minutesAfterNow(0) : null,
    activatedBy: activated ? buildAttribution() : null,
    closedAt: minutesAfterNow(closedAfter),
    closedBy: buildAttribution(),
  });

describe('ended incidents', () => {
  it('lists every closed incident that was activated, the most recently closed first', () => {
    const first = closed(1, 10, true);
    const second = closed(2, 20, true);
    const ended = endedIncidents({ [first.id]: first, [second.id]: second }, 5);
    expect(ended.map((i) => i.title)).toEqual(['Händelse 2', 'Händelse 1']);
  });

  it('leaves out a declined request, which was never an incident in activated mode', () => {
    const declined = closed(3, 30, false);
    const ended = closed(4, 5, true);
    expect(isDeclinedRequest(declined)).toBe(true);
    expect(isDeclinedRequest(ended)).toBe(false);
    expect(endedIncidents({ [declined.id]: declined, [ended.id]: ended }, 5).map((i) => i.title)).toEqual([
      'Händelse 4',
    ]);
  });

  it('shows no more than the limit', () => {
    const all = Object.fromEntries([1, 2, 3].map((n) => closed(n, n, true)).map((i) => [i.id, i]));
    expect(endedIncidents(all, 2)).toHaveLength(2);
  });
});
