import { apply, type Command, type NewOffer, type Report, type State } from '@lagesbild/shared';
import {
  buildAttribution,
  buildEvent,
  buildIncident,
  buildReport,
  buildState,
  freshUuid,
} from '@lagesbild/shared/test-factories';
import { act, render, screen, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { useOutbox } from '../../stores/outbox';
import { usePicture } from '../../stores/picture';
import { buildSessionInfo } from '../../test/fixtures';
import { markOnlySent } from '../../test/conference-ui';
import { setUpUiTests } from '../../test/ui';
import { NeedsList } from '../NeedsList';

vi.mock('../../realtime', () => ({
  sendCommand: vi.fn(async () => ({
    ok: false,
    error: { code: 'offline', message: 'offline', fromHub: false },
  })),
}));

setUpUiTests();

// Nacka's duty officer is signed in (buildSessionInfo); Huddinge and Solna state needs too.
const nackaTib = buildSessionInfo();
const incident = buildIncident();

const by = (actorId: string, userName = `TiB ${actorId}`) =>
  buildAttribution({ userId: `user-${actorId}`, userName, actorId, functionId: 'dutyOfficer' });

const needReport = (actorId: string, needs: string, seq: number): Report =>
  buildReport({ incidentId: incident.id, by: by(actorId), needs, seq, status: 'strained' });

let seq = 100;
const fold = (state: State, draft: Parameters<typeof buildEvent>[0], actorId: string) =>
  apply(state, buildEvent(draft, { seq: seq++, by: by(actorId) }));

function offerOn(report: Report, fromActorId: string, overrides: Partial<NewOffer> = {}): NewOffer {
  return {
    id: freshUuid(),
    incidentId: report.incidentId,
    needActorId: report.actorId,
    reportId: report.id,
    fromActorId,
    what: 'Länspumpar',
    quantity: '2 st',
    availableAt: '2024-05-01T09:30:00.000Z',
    note: 'Hämtas vid brandstationen',
    sharing: report.sharing,
    at: '2024-05-01T08:10:00.000Z',
    by: by(fromActorId),
    ...overrides,
  };
}

function showPicture(state: State, session = nackaTib) {
  usePicture.setState({ state });
  return render(<NeedsList session={session} incidentId={incident.id} />);
}

const needOf = (actorName: string) => {
  const item = screen.getAllByTestId('need').find((li) => li.textContent?.includes(actorName));
  if (!item) throw new Error(`no need of ${actorName}`);
  return item;
};

const valueOf = (el: HTMLElement) =>
  el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement ? el.value : null;
const isDisabled = (el: HTMLElement) => el instanceof HTMLButtonElement && el.disabled;
const isChecked = (el: HTMLElement) => el instanceof HTMLInputElement && el.checked;

const sent = () => Object.values(useOutbox.getState().items).map((i) => i.command);
const sentOf = <T extends Command['type']>(type: T) =>
  sent().filter((c): c is Extract<Command, { type: T }> => c.type === type);

describe('NeedsList', () => {
  it('shows each need with its status and who offered what', () => {
    const nacka = needReport('nacka', 'Två länspumpar', 1);
    const huddinge = needReport('huddinge', 'Reservkraft till äldreboende', 2);
    const solna = needReport('solna', 'Personal till trygghetspunkt', 3);
    const sollentuna = needReport('sollentuna', 'Sandsäckar', 4);
    let state = buildState({ incidents: [incident], reports: [nacka, huddinge, solna, sollentuna] });
    state = fold(
      state,
      { type: 'offer.made', payload: { offer: offerOn(huddinge, 'stockholm') } },
      'stockholm',
    );
    state = fold(state, { type: 'offer.made', payload: { offer: offerOn(solna, 'nacka') } }, 'nacka');
    state = fold(
      state,
      {
        type: 'need.settled',
        payload: {
          incidentId: incident.id,
          actorId: 'solna',
          reportId: solna.id,
          coverage: 'partlyCovered',
          note: 'Kvällspasset saknas',
          sharing: solna.sharing,
        },
      },
      'solna',
    );
    const declined = offerOn(sollentuna, 'nacka', { what: 'Sand' });
    state = fold(state, { type: 'offer.made', payload: { offer: declined } }, 'nacka');
    state = fold(
      state,
      {
        type: 'offer.answered',
        payload: {
          offerId: declined.id,
          answer: 'declined',
          needActorId: 'sollentuna',
          fromActorId: 'nacka',
          sharing: sollentuna.sharing,
        },
      },
      'sollentuna',
    );
    showPicture(state);

    const status = (name: string) => within(needOf(name)).getByTestId('need-status').textContent;
    expect(status('Nacka kommun')).toBe('Öppet');
    expect(status('Huddinge kommun')).toBe('Erbjudanden finns');
    expect(status('Solna stad')).toBe('Delvis täckt');
    // Only a declined offer: nobody is giving anything, the need is open again.
    expect(status('Sollentuna kommun')).toBe('Öppet');

    const offer = within(needOf('Huddinge kommun')).getByTestId('offer');
    expect(offer.textContent).toContain('Från Stockholms stad');
    expect(offer.textContent).toContain('Länspumpar');
    expect(offer.textContent).toContain('2 st');
    expect(offer.textContent).toContain('Hämtas vid brandstationen');
    expect(offer.textContent).toContain('Erbjudet');
    expect(within(needOf('Solna stad')).getByTestId('need-settlement').textContent).toContain(
      'Kvällspasset saknas',
    );
    expect(within(needOf('Sollentuna kommun')).getByTestId('offer').textContent).toContain('Avböjt');
  });

  it(
    "sends an offer on another actor's need, made on the report the person read",
    { timeout: 20_000 },
    async () => {
      const user = userEvent.setup();
      const huddinge = needReport('huddinge', 'Reservkraft till äldreboende', 1);
      showPicture(buildState({ incidents: [incident], reports: [huddinge] }));

      await user.click(screen.getByRole('button', { name: 'Erbjud stöd till Huddinge kommun' }));
      const form = screen.getByTestId('offer-form');
      // Available now unless the person says otherwise.
      expect(valueOf(within(form).getByLabelText(/Tillgängligt från/))).not.toBe('');
      await user.type(within(form).getByLabelText(/Vad ni kan erbjuda/), 'Reservelverk 100 kVA');
      await user.type(within(form).getByLabelText(/Hur mycket/), '1 st');
      await user.clear(within(form).getByLabelText(/Tillgängligt från/));
      await user.type(within(form).getByLabelText(/Tillgängligt från/), '2024-05-01T12:00');
      await user.type(within(form).getByLabelText(/Kommentar/), 'Med operatör');
      await user.click(within(form).getByRole('button', { name: 'Skicka erbjudandet' }));

      await vi.waitFor(() => expect(sentOf('offer.make')).toHaveLength(1));
      expect(sentOf('offer.make')[0]?.payload).toMatchObject({
        incidentId: incident.id,
        needActorId: 'huddinge',
        reportId: huddinge.id,
        what: 'Reservelverk 100 kVA',
        quantity: '1 st',
        availableAt: '2024-05-01T12:00:00.000Z',
        note: 'Med operatör',
      });
      // Queued: the form stays (without a second send) until the hub has the offer.
      await vi.waitFor(() =>
        expect(within(form).getByRole('button', { name: 'Skicka erbjudandet' })).toHaveProperty(
          'disabled',
          true,
        ),
      );
      await markOnlySent();
      await vi.waitFor(() => expect(screen.queryByTestId('offer-form')).toBeNull());
    },
  );

  it('says why an open offer form went away when the need was covered meanwhile', async () => {
    const user = userEvent.setup();
    const huddinge = needReport('huddinge', 'Reservkraft till äldreboende', 1);
    const state = buildState({ incidents: [incident], reports: [huddinge] });
    showPicture(state);
    await user.click(screen.getByRole('button', { name: 'Erbjud stöd till Huddinge kommun' }));
    await user.type(screen.getByLabelText(/Vad ni kan erbjuda/), 'Reservelverk');
    // Huddinge judges its need covered while the offer is being written.
    const covered = fold(
      state,
      {
        type: 'need.settled',
        payload: {
          incidentId: incident.id,
          actorId: 'huddinge',
          reportId: huddinge.id,
          coverage: 'covered',
          note: '',
          sharing: huddinge.sharing,
        },
      },
      'huddinge',
    );
    act(() => usePicture.setState({ state: covered }));
    expect(screen.queryByTestId('offer-form')).toBeNull();
    expect(screen.getByTestId('need-form-gone').textContent).toContain(
      'Formuläret stängdes: behovet har bedömts som täckt.',
    );
    await user.click(screen.getByRole('button', { name: 'Stäng' }));
    expect(screen.queryByTestId('need-form-gone')).toBeNull();
    expect(sent()).toHaveLength(0);
  });

  it('rejects an offer that does not say what is offered, and sends nothing', async () => {
    const user = userEvent.setup();
    showPicture(buildState({ incidents: [incident], reports: [needReport('huddinge', 'Reservkraft', 1)] }));
    await user.click(screen.getByRole('button', { name: 'Erbjud stöd till Huddinge kommun' }));
    await user.type(screen.getByLabelText(/Hur mycket/), '3');
    await user.click(screen.getByRole('button', { name: 'Skicka erbjudandet' }));
    expect(screen.queryByText('Skriv vad ni kan erbjuda.')).not.toBeNull();
    expect(screen.getByLabelText(/Vad ni kan erbjuda/).getAttribute('aria-invalid')).toBe('true');
    expect(sent()).toHaveLength(0);
  });

  it('says clearly when the need was updated before the offer arrived, and resends on the newer need', async () => {
    const user = userEvent.setup();
    const older = needReport('huddinge', 'Reservkraft', 1);
    showPicture(buildState({ incidents: [incident], reports: [older] }));
    await user.click(screen.getByRole('button', { name: 'Erbjud stöd till Huddinge kommun' }));
    await user.type(screen.getByLabelText(/Vad ni kan erbjuda/), 'Reservelverk');
    await user.click(screen.getByRole('button', { name: 'Skicka erbjudandet' }));
    await vi.waitFor(() => expect(sentOf('offer.make')).toHaveLength(1));

    const newer = needReport('huddinge', 'Reservkraft och bränsle för tre dygn', 2);
    const item = Object.values(useOutbox.getState().items)[0];
    if (!item) throw new Error('nothing was sent');
    act(() =>
      useOutbox.getState().upsert({
        ...item,
        status: 'failed',
        error: {
          code: 'stale',
          message: 'The report has been superseded',
          fromHub: true,
          stale: { item: 'report', report: newer },
        },
      }),
    );
    const notice = await screen.findByTestId('offer-stale');
    expect(notice.getAttribute('role')).toBe('alert');
    expect(notice.textContent).toContain('behovet har uppdaterats');
    expect(notice.textContent).toContain('Reservkraft och bränsle för tre dygn');

    await user.click(within(notice).getByRole('button', { name: 'Läs behovet igen' }));
    // What was written is kept; the refused offer leaves the outbox.
    expect(valueOf(screen.getByLabelText(/Vad ni kan erbjuda/))).toBe('Reservelverk');
    await vi.waitFor(() => expect(sentOf('offer.make')).toHaveLength(0));
    await user.click(screen.getByRole('button', { name: 'Skicka erbjudandet' }));
    await vi.waitFor(() => expect(sentOf('offer.make')).toHaveLength(1));
    expect(sentOf('offer.make')[0]?.payload.reportId).toBe(newer.id);
  });

  it('warns when the need changes while the offer is written, and answers the need read again', async () => {
    const user = userEvent.setup();
    const older = needReport('huddinge', 'Reservkraft', 1);
    showPicture(buildState({ incidents: [incident], reports: [older] }));
    await user.click(screen.getByRole('button', { name: 'Erbjud stöd till Huddinge kommun' }));
    await user.type(screen.getByLabelText(/Vad ni kan erbjuda/), 'Reservelverk');
    const newer = needReport('huddinge', 'Reservkraft och bränsle', 2);
    act(() => usePicture.setState({ state: buildState({ incidents: [incident], reports: [older, newer] }) }));

    const warning = screen.getByTestId('offer-changed-meanwhile');
    expect(warning.getAttribute('role')).toBe('alert');
    expect(needOf('Huddinge kommun').textContent).toContain('Reservkraft och bränsle');
    await user.click(within(warning).getByRole('button', { name: 'Jag har läst det nya behovet' }));
    expect(screen.queryByTestId('offer-changed-meanwhile')).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Skicka erbjudandet' }));
    await vi.waitFor(() => expect(sentOf('offer.make')).toHaveLength(1));
    expect(sentOf('offer.make')[0]?.payload.reportId).toBe(newer.id);
  });

  it('lets the needing actor accept or decline each offer', async () => {
    const user = userEvent.setup();
    const nacka = needReport('nacka', 'Två länspumpar', 1);
    const fromSolna = offerOn(nacka, 'solna', { what: 'Pumpar' });
    const fromHuddinge = offerOn(nacka, 'huddinge', { what: 'Slangar' });
    let state = buildState({ incidents: [incident], reports: [nacka] });
    state = fold(state, { type: 'offer.made', payload: { offer: fromSolna } }, 'solna');
    state = fold(state, { type: 'offer.made', payload: { offer: fromHuddinge } }, 'huddinge');
    showPicture(state);

    await user.click(screen.getByRole('button', { name: 'Acceptera erbjudandet från Solna stad: Pumpar' }));
    await user.click(screen.getByRole('button', { name: 'Avböj erbjudandet från Huddinge kommun: Slangar' }));
    await vi.waitFor(() => expect(sentOf('offer.answer')).toHaveLength(2));
    expect(sentOf('offer.answer').map((c) => c.payload)).toEqual([
      { offerId: fromSolna.id, answer: 'accepted' },
      { offerId: fromHuddinge.id, answer: 'declined' },
    ]);
  });

  it('lets the needing actor judge how far the need is covered, with a note', async () => {
    const user = userEvent.setup();
    const nacka = needReport('nacka', 'Två länspumpar', 1);
    showPicture(buildState({ incidents: [incident], reports: [nacka] }));
    await user.click(screen.getByRole('button', { name: 'Bedöm täckningen' }));
    const form = screen.getByTestId('settle-form');
    const save = within(form).getByRole('button', { name: 'Spara bedömningen' });
    expect(isDisabled(save)).toBe(true);
    await user.click(within(form).getByRole('radio', { name: 'Delvis täckt' }));
    await user.type(within(form).getByLabelText(/Kommentar/), 'En pump saknas');
    await user.click(save);
    await vi.waitFor(() => expect(sentOf('need.settle')).toHaveLength(1));
    expect(sentOf('need.settle')[0]?.payload).toEqual({
      incidentId: incident.id,
      reportId: nacka.id,
      coverage: 'partlyCovered',
      note: 'En pump saknas',
    });
  });

  it('does not offer to send the judgement already made again', async () => {
    const user = userEvent.setup();
    const nacka = needReport('nacka', 'Två länspumpar', 1);
    const state = fold(
      buildState({ incidents: [incident], reports: [nacka] }),
      {
        type: 'need.settled',
        payload: {
          incidentId: incident.id,
          actorId: 'nacka',
          reportId: nacka.id,
          coverage: 'notCovered',
          note: 'Ingen har pumpar',
          sharing: nacka.sharing,
        },
      },
      'nacka',
    );
    showPicture(state);
    await user.click(screen.getByRole('button', { name: 'Bedöm täckningen' }));
    expect(isChecked(screen.getByRole('radio', { name: 'Ej täckt' }))).toBe(true);
    expect(isDisabled(screen.getByRole('button', { name: 'Spara bedömningen' }))).toBe(true);
  });

  it('has no offer controls on a covered need nor on one’s own, and no answer to an answered offer', () => {
    const nacka = needReport('nacka', 'Två länspumpar', 1);
    const huddinge = needReport('huddinge', 'Reservkraft', 2);
    const answered = offerOn(nacka, 'solna');
    let state = buildState({ incidents: [incident], reports: [nacka, huddinge] });
    state = fold(state, { type: 'offer.made', payload: { offer: answered } }, 'solna');
    state = fold(
      state,
      {
        type: 'offer.answered',
        payload: {
          offerId: answered.id,
          answer: 'accepted',
          needActorId: 'nacka',
          fromActorId: 'solna',
          sharing: nacka.sharing,
        },
      },
      'nacka',
    );
    state = fold(
      state,
      {
        type: 'need.settled',
        payload: {
          incidentId: incident.id,
          actorId: 'huddinge',
          reportId: huddinge.id,
          coverage: 'covered',
          note: '',
          sharing: huddinge.sharing,
        },
      },
      'huddinge',
    );
    showPicture(state);
    expect(within(needOf('Huddinge kommun')).getByTestId('need-status').textContent).toBe('Täckt');
    expect(screen.queryByRole('button', { name: /Erbjud stöd/ })).toBeNull();
    expect(screen.queryByRole('button', { name: /Acceptera|Avböj/ })).toBeNull();
    // One's own need: judged, never offered to.
    expect(within(needOf('Nacka kommun')).queryByRole('button', { name: 'Bedöm täckningen' })).not.toBeNull();
  });

  it.each([
    ['a viewer', buildSessionInfo({ functionIds: ['viewer'] }), incident],
    ['anyone once the incident is closed', nackaTib, { ...incident, status: 'closed' as const }],
  ])('shows %s the needs and offers, read only', (_name, session, shownIncident) => {
    const nacka = needReport('nacka', 'Två länspumpar', 1);
    const huddinge = needReport('huddinge', 'Reservkraft', 2);
    const state = fold(
      buildState({ incidents: [shownIncident], reports: [nacka, huddinge] }),
      { type: 'offer.made', payload: { offer: offerOn(nacka, 'solna') } },
      'solna',
    );
    showPicture(state, session);
    expect(screen.getAllByTestId('need')).toHaveLength(2);
    expect(screen.getByTestId('offer').textContent).toContain('Länspumpar');
    expect(screen.queryAllByRole('button')).toHaveLength(0);
  });
});
