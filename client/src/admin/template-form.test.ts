import { stockholmRegion } from '@lagesbild/shared/test-factories';
import { describe, expect, it } from 'vitest';
import { emptyTemplateForm, formFromTemplate, templateFormProblems, templateOf } from './template-form';

const [storm] = stockholmRegion().directiveTemplates;
if (!storm) throw new Error('the Stockholm region has prepared directives');

describe('the prepared-directive form', () => {
  it('gives back the very template it was opened on', () => {
    const form = formFromTemplate(storm);
    expect(templateFormProblems(form)).toEqual({});
    expect(templateOf(form)).toEqual(storm);
  });

  it('reads priorities one per line, skipping empty lines, and trims what was typed', () => {
    const form = {
      ...formFromTemplate(storm),
      priorities: '  Liv och hälsa först \n\n Samordnad information ',
      items: [{ actorKind: 'police' as const, text: '  Spärra av  ' }],
    };
    expect(templateOf(form)).toMatchObject({
      priorities: ['Liv och hälsa först', 'Samordnad information'],
      items: [{ actorKind: 'police', text: 'Spärra av' }],
    });
  });

  it('says what is missing in a new template, and sends nothing until it is there', () => {
    const problems = templateFormProblems(emptyTemplateForm(), new Set(), true);
    expect(problems).toEqual({ id: 'required', nameSv: 'required', nameEn: 'required', purpose: 'required' });
    expect(templateOf(emptyTemplateForm())).toBeNull();
  });

  it('refuses an id that is taken or malformed, an item without text and hours out of bounds', () => {
    const form = formFromTemplate(storm);
    expect(templateFormProblems(form, new Set(['storm']), true).id).toBe('idTaken');
    expect(templateFormProblems({ ...form, id: 'Snö storm' }, new Set(), true).id).toBe('badId');
    const emptyItem = { ...form, items: [...form.items, { actorKind: 'port' as const, text: ' ' }] };
    expect(templateFormProblems(emptyItem).items).toBe('itemText');
    expect(templateFormProblems({ ...form, validityHours: '2161' }).validityHours).toBe('hours');
    expect(templateFormProblems({ ...form, reviewIntervalHours: '1.5' }).reviewIntervalHours).toBe('hours');
    expect(templateFormProblems({ ...form, reviewIntervalHours: '100', validityHours: '48' })).toEqual({
      reviewIntervalHours: 'reviewAfterValidity',
    });
  });

  it('refuses more responsibilities than a directive may hold', () => {
    const items = Array.from({ length: 101 }, () => ({ actorKind: 'police' as const, text: 'Uppgift' }));
    expect(templateFormProblems({ ...formFromTemplate(storm), items }).items).toBe('tooMany');
  });
});
