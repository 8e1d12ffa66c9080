import { initialState, type SavedTemplate, type State } from '@lagesbild/shared';
import { TEST_NOW, buildAttribution, stockholmRegion } from '@lagesbild/shared/test-factories';
import { act, render, screen, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { useOutbox } from '../stores/outbox';
import { usePicture } from '../stores/picture';
import { buildSessionInfo } from '../test/fixtures';
import { setUpUiTests } from '../test/ui';
import { TemplatesAdminControl } from './TemplatesAdminControl';

vi.mock('../realtime', () => ({
  sendCommand: vi.fn(async () => ({
    ok: false,
    error: { code: 'offline', message: 'offline', fromHub: false },
  })),
}));

setUpUiTests();

const admin = buildSessionInfo({
  user: { id: 'admin.lansstyrelsen', username: 'admin.lansstyrelsen', name: 'Ada Administratör' },
  actorId: 'lansstyrelsen',
  functionIds: ['admin'],
});
const region = stockholmRegion();
const showState = (state: State) => usePicture.getState().replaceWithSnapshot({ epoch: 'e', seq: 1, state });
const sent = (type: string) =>
  Object.values(useOutbox.getState().items)
    .map((i) => i.command)
    .filter((c) => c.type === type);
const row = (id: string) => {
  const found = screen.getAllByTestId('template-row').find((r) => r.getAttribute('data-template-id') === id);
  if (!found) throw new Error(`no row for ${id}`);
  return found;
};

async function openAdmin() {
  const user = userEvent.setup();
  render(<TemplatesAdminControl session={admin} />);
  await user.click(screen.getByTestId('open-templates-admin'));
  await screen.findAllByTestId('template-row');
  return user;
}

// Forms with many fields: slow on a busy two-core machine, never a wait on time.
describe('Förberedda inriktningar', { timeout: 20_000 }, () => {
  it('is there for administrators only', () => {
    showState(initialState());
    render(<TemplatesAdminControl session={buildSessionInfo()} />);
    expect(screen.queryByTestId('open-templates-admin')).toBeNull();
  });

  it("lists the region file's templates and tells changed and removed ones apart, in words", async () => {
    const [storm, flood] = region.directiveTemplates;
    if (!storm || !flood) throw new Error('the Stockholm region has prepared directives');
    const saved = (template: SavedTemplate['template']): SavedTemplate => ({
      template,
      at: TEST_NOW,
      by: buildAttribution({ userName: 'Ada Administratör' }),
      seq: 4,
    });
    showState({
      ...initialState(),
      directiveTemplates: { storm: saved({ ...storm, validityHours: 96 }), [flood.id]: saved(null) },
    });
    await openAdmin();

    expect(screen.getAllByTestId('template-row')).toHaveLength(region.directiveTemplates.length);
    expect(within(row('storm')).getByTestId('template-origin').textContent).toBe('Ändrad i appen');
    expect(within(row('storm')).getByText(/giltig 96 h/)).toBeTruthy();
    expect(within(row('storm')).getByText(/Senast ändrad av Ada Administratör/)).toBeTruthy();
    expect(within(row(flood.id)).getByTestId('template-origin').textContent).toBe('Borttagen');
    expect(within(row('pandemi')).getByTestId('template-origin').textContent).toBe('Från regionfilen');
    // A removed one can only be restored: the app's removal is dropped, not a copy saved.
    expect(within(row(flood.id)).queryByRole('button', { name: /Ändra/ })).toBeNull();
    const user = userEvent.setup();
    await user.click(
      within(row(flood.id)).getByRole('button', { name: `Återställ ${flood.name.sv} från regionfilen` }),
    );
    await vi.waitFor(() => expect(sent('directiveTemplate.restore')).toHaveLength(1));
    expect(sent('directiveTemplate.restore')[0]?.payload).toEqual({ templateId: flood.id });
    expect(sent('directiveTemplate.save')).toHaveLength(0);
    // A changed one may be edited further (naming the saving it was read on) or restored.
    expect(
      within(row('storm')).getByRole('button', { name: 'Återställ Storm från regionfilen' }),
    ).toBeTruthy();
    expect(within(row('pandemi')).queryByRole('button', { name: /Återställ/ })).toBeNull();
    await user.click(within(row('storm')).getByRole('button', { name: 'Ändra Storm' }));
    await user.click(screen.getByRole('button', { name: 'Spara' }));
    await vi.waitFor(() => expect(sent('directiveTemplate.save')).toHaveLength(1));
    expect(sent('directiveTemplate.save')[0]?.payload).toMatchObject({
      baseSeq: 4,
      template: { validityHours: 96 },
    });
  });

  it('changes a priority and a responsibility of the storm template and saves the whole template', async () => {
    showState(initialState());
    const user = await openAdmin();
    await user.click(within(row('storm')).getByRole('button', { name: 'Ändra Storm' }));

    const priorities = screen.getByLabelText('Prioriteringar');
    await user.click(priorities);
    await user.keyboard('{Control>}{End}{/Control}');
    await user.paste('\nÅterställning: el och tele före övrigt.');
    await user.selectOptions(screen.getByLabelText('Typ av aktör för ansvar 1'), 'rescueService');
    await user.clear(screen.getByLabelText('Giltig i (timmar)'));
    await user.type(screen.getByLabelText('Giltig i (timmar)'), '96');
    await user.click(screen.getByRole('button', { name: 'Spara' }));

    await vi.waitFor(() => expect(sent('directiveTemplate.save')).toHaveLength(1));
    const storm = region.directiveTemplates[0];
    const template = sent('directiveTemplate.save')[0]?.payload;
    expect(template).toMatchObject({
      // The region file's own was edited: no saving of the app's to name.
      baseSeq: null,
      template: {
        id: 'storm',
        validityHours: 96,
        priorities: [...(storm?.priorities ?? []), 'Återställning: el och tele före övrigt.'],
      },
    });
    expect(JSON.stringify(template)).toContain('"actorKind":"rescueService"');
    // Back at the list.
    expect(screen.getAllByTestId('template-row').length).toBeGreaterThan(0);
  });

  it('adds a new template with a responsibility, refusing it first while it lacks a purpose', async () => {
    showState(initialState());
    const user = await openAdmin();
    await user.click(screen.getByRole('button', { name: 'Ny förberedd inriktning' }));

    await user.type(screen.getByLabelText(/^Id/), 'snostorm');
    await user.type(screen.getByLabelText(/Namn på svenska/), 'Snöstorm');
    await user.type(screen.getByLabelText(/Namn på engelska/), 'Snowstorm');
    await user.click(screen.getByLabelText('Väder'));
    await user.click(screen.getByRole('button', { name: 'Lägg till ansvar' }));
    await user.selectOptions(screen.getByLabelText('Typ av aktör för ansvar 1'), 'transport');
    await user.click(screen.getByLabelText('Ansvar 1'));
    await user.paste('Prioritera plogning av utryckningsvägar.');
    await user.click(screen.getByRole('button', { name: 'Spara' }));

    expect(screen.getByText('Rätta de markerade fälten.')).toBeTruthy();
    expect(sent('directiveTemplate.save')).toHaveLength(0);

    await user.click(screen.getByLabelText(/Syfte/));
    await user.paste('Hålla vägar och omsorg i gång under snöstormen.');
    await user.click(screen.getByRole('button', { name: 'Spara' }));
    await vi.waitFor(() => expect(sent('directiveTemplate.save')).toHaveLength(1));
    expect(sent('directiveTemplate.save')[0]?.payload).toEqual({
      template: {
        id: 'snostorm',
        name: { sv: 'Snöstorm', en: 'Snowstorm' },
        incidentKinds: ['weather'],
        purpose: 'Hålla vägar och omsorg i gång under snöstormen.',
        priorities: [],
        items: [{ actorKind: 'transport', text: 'Prioritera plogning av utryckningsvägar.' }],
        limits: '',
        reviewIntervalHours: 12,
        validityHours: 72,
      },
      baseSeq: null,
    });
  });

  it('removes a template and shows the change as it arrives', async () => {
    showState(initialState());
    const user = await openAdmin();
    await user.click(within(row('pandemi')).getByRole('button', { name: 'Ta bort Pandemi' }));
    // Asked once more, with the confirming button focused; cancelling sends nothing.
    const confirm = within(row('pandemi')).getByTestId('remove-confirm');
    expect(confirm.textContent).toContain('Ta bort Pandemi? Samordnare erbjuds den inte längre.');
    expect(document.activeElement).toBe(within(confirm).getByRole('button', { name: 'Ja, ta bort' }));
    await user.click(within(confirm).getByRole('button', { name: 'Avbryt' }));
    expect(sent('directiveTemplate.remove')).toHaveLength(0);
    await user.click(within(row('pandemi')).getByRole('button', { name: 'Ta bort Pandemi' }));
    await user.click(within(row('pandemi')).getByRole('button', { name: 'Ja, ta bort' }));
    await vi.waitFor(() => expect(sent('directiveTemplate.remove')).toHaveLength(1));
    expect(sent('directiveTemplate.remove')[0]?.payload).toEqual({ templateId: 'pandemi' });

    act(() =>
      showState({
        ...initialState(),
        directiveTemplates: {
          pandemi: {
            template: null,
            at: TEST_NOW,
            by: buildAttribution({ userName: 'Ada Administratör' }),
            seq: 5,
          },
        },
      }),
    );
    expect(within(row('pandemi')).getByTestId('template-origin').textContent).toBe('Borttagen');
  });
});
