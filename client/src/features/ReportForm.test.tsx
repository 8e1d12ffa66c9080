import { LIMITS } from '@lagesbild/shared';
import { buildIncident, buildReport, buildState } from '@lagesbild/shared/test-factories';
import { render, screen, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { useOutbox } from '../stores/outbox';
import { usePicture } from '../stores/picture';
import { buildSessionInfo } from '../test/fixtures';
import { MapStub } from '../test/map-stub';
import { setUpUiTests } from '../test/ui';
import { ReportForm } from './ReportForm';

vi.mock('../map/LazyMap', () => ({ LazyMap: MapStub }));
vi.mock('../realtime', () => ({
  sendCommand: vi.fn(async () => ({
    ok: false,
    error: { code: 'offline', message: 'offline', fromHub: false },
  })),
}));

setUpUiTests();

const session = buildSessionInfo();
const incident = buildIncident({ title: 'Storm Ylva' });

function renderForm() {
  usePicture
    .getState()
    .replaceWithSnapshot({ epoch: 'e', seq: 1, state: buildState({ incidents: [incident] }) });
  return render(<ReportForm session={session} incident={incident} />);
}

const queuedReports = () =>
  Object.values(useOutbox.getState().items).filter((i) => i.command.type === 'report.submit');

describe('ReportForm', () => {
  it('warns that security-classified information does not belong here', () => {
    renderForm();
    expect(screen.getByTestId('classification-warning').textContent).toContain(
      'Säkerhetsskyddsklassificerade',
    );
  });

  it('refuses to send an empty report and says why, next to the field', async () => {
    const user = userEvent.setup();
    renderForm();
    await user.click(screen.getByRole('button', { name: 'Skicka lägesrapport' }));

    expect(screen.getAllByText('Skriv något i minst ett av textfälten.').length).toBeGreaterThan(0);
    expect(screen.getByLabelText(/Vad har hänt/).getAttribute('aria-invalid')).toBe('true');
    expect(queuedReports()).toHaveLength(0);
  });

  it('stops each text at the limit the hub enforces', () => {
    renderForm();
    for (const label of [/Vad har hänt/, /Konsekvenser/, /åtgärder/, /^Behov/, /Bedömning/]) {
      expect(screen.getByLabelText(label).getAttribute('maxlength')).toBe(String(LIMITS.maxTextLength));
    }
  });

  it('asks for an actor when the report is shared with named actors only', async () => {
    const user = userEvent.setup();
    renderForm();
    await user.type(screen.getByLabelText(/Vad har hänt/), 'Träd över vägen');
    await user.click(screen.getByLabelText('Utvalda aktörer'));
    await user.click(screen.getByRole('button', { name: 'Skicka lägesrapport' }));
    expect(screen.getAllByText('Välj minst en aktör som får läsa.').length).toBeGreaterThan(0);

    await user.click(screen.getByLabelText('Solna stad'));
    await user.click(screen.getByRole('button', { name: 'Skicka lägesrapport' }));
    await vi.waitFor(() => expect(queuedReports()).toHaveLength(1));
    expect(queuedReports()[0]?.command.payload).toMatchObject({
      sharing: { scope: 'actors', actorIds: ['solna'] },
    });
  });

  it('sends the report with a polygon drawn on the map through the outbox', async () => {
    const user = userEvent.setup();
    renderForm();
    await user.type(screen.getByLabelText(/Vad har hänt/), 'Översvämning vid Sickla');
    await user.type(screen.getByLabelText(/^Behov/), 'Pumpar');
    await user.click(screen.getByLabelText('Ansträngd'));
    const features = screen.getByRole('group', { name: 'Kartobjekt' });
    await user.type(within(features).getByLabelText('Benämning'), 'Sickla');
    const add = within(features).getByRole('button', { name: 'Lägg till kartobjekt' });
    for (let i = 0; i < 2; i++) await user.click(screen.getByText('stub-map-click'));
    expect((add as HTMLButtonElement).disabled).toBe(true);
    await user.click(screen.getByText('stub-map-click'));
    await user.click(add);
    await user.click(screen.getByRole('button', { name: 'Skicka lägesrapport' }));

    await vi.waitFor(() => expect(queuedReports()).toHaveLength(1));
    const payload = queuedReports()[0]?.command.payload;
    expect(payload).toMatchObject({
      incidentId: incident.id,
      happened: 'Översvämning vid Sickla',
      needs: 'Pumpar',
      status: 'strained',
      sharing: { scope: 'region' },
      features: [{ kind: 'affectedArea', label: 'Sickla', geometry: { type: 'Polygon' } }],
    });
    // Offline: it waits in the outbox, and the form says so.
    await screen.findByText('Köad – skickas när anslutningen finns.');
    expect((screen.getByLabelText(/Vad har hänt/) as HTMLTextAreaElement).value).toBe('');
  });

  it('keeps the draft across a reload', async () => {
    const user = userEvent.setup();
    const first = renderForm();
    await user.type(screen.getByLabelText(/Bedömning/), 'Vinden avtar under natten');
    first.unmount();

    renderForm();
    expect((screen.getByLabelText(/Bedömning/) as HTMLTextAreaElement).value).toBe(
      'Vinden avtar under natten',
    );
  });

  it("names the actor's newest confirmed report as the one it supersedes, never one still queued", async () => {
    const user = userEvent.setup();
    const own = buildReport({ incidentId: incident.id, actorId: session.actorId });
    usePicture.getState().replaceWithSnapshot({
      epoch: 'e',
      seq: 1,
      state: buildState({ incidents: [incident], reports: [own] }),
    });
    render(<ReportForm session={session} incident={incident} />);
    await user.type(screen.getByLabelText(/Vad har hänt/), 'Träd');
    await user.click(screen.getByRole('button', { name: 'Skicka lägesrapport' }));
    await vi.waitFor(() => expect(queuedReports()).toHaveLength(1));
    const first = queuedReports()[0]?.command;
    expect(first?.payload).toMatchObject({ supersedes: own.id });

    // The first is still queued (the hub may refuse it): the next supersedes what was seen.
    await user.type(screen.getByLabelText(/Vad har hänt/), 'Röjt');
    await user.click(screen.getByRole('button', { name: 'Skicka lägesrapport' }));
    await vi.waitFor(() => expect(queuedReports()).toHaveLength(2));
    const second = queuedReports().find((i) => i.command.id !== first?.id)?.command;
    expect(second?.payload).toMatchObject({ supersedes: own.id });
  }, 20_000);

  it('supersedes the sent report once the hub has confirmed it before the next is begun', async () => {
    const user = userEvent.setup();
    renderForm();
    await user.type(screen.getByLabelText(/Vad har hänt/), 'Träd');
    await user.click(screen.getByRole('button', { name: 'Skicka lägesrapport' }));
    await vi.waitFor(() => expect(queuedReports()).toHaveLength(1));
    const first = queuedReports()[0]?.command;
    const firstId = first?.type === 'report.submit' ? first.payload.reportId : 'none';

    // The hub accepted it and the picture now shows it.
    const confirmed = buildReport({ id: firstId, incidentId: incident.id, actorId: session.actorId });
    usePicture.getState().replaceWithSnapshot({
      epoch: 'e',
      seq: 2,
      state: buildState({ incidents: [incident], reports: [confirmed] }),
    });
    await user.type(screen.getByLabelText(/Vad har hänt/), 'Röjt');
    await user.click(screen.getByRole('button', { name: 'Skicka lägesrapport' }));
    await vi.waitFor(() => expect(queuedReports()).toHaveLength(2));
    const second = queuedReports().find((i) => i.command.id !== first?.id)?.command;
    expect(second?.payload).toMatchObject({ supersedes: firstId });
  }, 20_000);
});
