import { buildDirectiveContent, stockholmRegion } from '@lagesbild/shared/test-factories';
import { describe, expect, it } from 'vitest';
import { toLocalInput } from '../domain/format';
import { contentFromForm, formFromContent, moved } from './directive-form';

const region = stockholmRegion();
const content = buildDirectiveContent();

describe('the drafting form', () => {
  it('gives back the content it was made from, times to the millisecond', () => {
    const exact = buildDirectiveContent({ validFrom: '2024-05-01T08:00:30.500Z' });
    expect(contentFromForm(formFromContent(exact), exact, region)).toEqual({ ok: true, content: exact });
  });

  it('refuses an empty purpose, an item without an owner and a period that ends before it starts', () => {
    const form = formFromContent(content);
    const result = contentFromForm(
      {
        ...form,
        purpose: '  ',
        items: [{ id: content.items[0]?.id ?? '', text: 'Öppna trygghetspunkter', ownerActorId: '' }],
        validUntil: toLocalInput('2024-05-01T07:00:00.000Z'),
      },
      content,
      region,
    );
    expect(result).toEqual({
      ok: false,
      problems: {
        purpose: 'required',
        itemOwner: { [content.items[0]?.id ?? '']: 'noOwner' },
        validUntil: 'endsBeforeStart',
      },
    });
  });

  it('refuses an empty priority, an owner the region does not know and a review before the start', () => {
    const form = formFromContent(content);
    const id = content.items[0]?.id ?? '';
    const result = contentFromForm(
      {
        ...form,
        priorities: ['Liv och hälsa', ''],
        items: [{ id, text: 'Öppna', ownerActorId: 'atlantis' }],
        reviewAt: toLocalInput('2024-05-01T06:00:00.000Z'),
      },
      content,
      region,
    );
    expect(result.ok === false && result.problems).toEqual({
      priorities: { 1: 'required' },
      itemOwner: { [id]: 'unknownOwner' },
      reviewAt: 'reviewBeforeStart',
    });
  });

  it('takes an area of three corners, refuses two, and reads none as no area', () => {
    const form = formFromContent(content);
    const corners: [number, number][] = [
      [18.0, 59.3],
      [18.1, 59.3],
      [18.1, 59.4],
    ];
    const three = contentFromForm({ ...form, area: corners }, content, region);
    expect(three.ok && three.content.area?.coordinates[0]).toEqual([...corners, corners[0]]);
    const two = contentFromForm({ ...form, area: corners.slice(0, 2) }, content, region);
    expect(two.ok === false && two.problems.area).toBe('areaTooSmall');
    const none = contentFromForm({ ...form, area: [] }, content, region);
    expect(none.ok && none.content.area).toBeNull();
  });

  it('reads an empty review time as none', () => {
    const result = contentFromForm({ ...formFromContent(content), reviewAt: '' }, content, region);
    expect(result.ok && result.content.reviewAt).toBeNull();
  });

  it('moves a priority up and down, and leaves the list alone past its ends', () => {
    expect(moved(['a', 'b', 'c'], 2, 0)).toEqual(['c', 'a', 'b']);
    expect(moved(['a', 'b', 'c'], 0, 1)).toEqual(['b', 'a', 'c']);
    expect(moved(['a', 'b'], 0, -1)).toEqual(['a', 'b']);
  });
});
