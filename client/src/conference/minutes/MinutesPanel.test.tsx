import { initialState, type Conference, type State } from '@lagesbild/shared';
import { buildIncident, TEST_NOW } from '@lagesbild/shared/test-factories';
import { act, render, screen, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { useOutbox } from '../../stores/outbox';
import { usePicture } from '../../stores/picture';
import { keptDrafts, markOnlySent } from '../../test/conference-ui';
import { buildSessionInfo } from '../../test/fixtures';
import { setUpUiTests } from '../../test/ui';
import {
  buildClosedConference,
  buildMinutesVersion,
  buildTestMinutes,
  INCIDENT_ID,
  lansstyrelsenChair,
} from './minutes-fixtures';
import { MinutesPanel } from './MinutesPanel';

vi.mock('../../realtime', () => ({
  sendCommand: vi.fn(async () => ({
    ok: false,
    error: { code: 'offline', message: 'offline', fromHub: false },
  })),
}));

setUpUiTests();
afterEach(() => vi.restoreAllMocks());

const chair = buildSessionInfo({
  user: { id: 'user-lan', username: 'tib.lansstyrelsen', name: 'Lena Lindqvist' },
  actorId: 'lansstyrelsen',
});
const nacka = buildSessionInfo();

const sentCommands = () => Object.values(useOutbox.getState().items).map((i) => i.command);

/** The picture holding Storm Ylva, acknowledged by Länsstyrelsen and Nacka, and the conference. */
function showConference(conference: Conference, session = chair) {
  const incident = buildIncident({
    id: INCIDENT_ID,
    acknowledgements: {
      lansstyrelsen: { at: TEST_NOW, by: lansstyrelsenChair, seq: 3 },
      nacka: { at: TEST_NOW, by: { ...lansstyrelsenChair, actorId: 'nacka' }, seq: 4 },
    },
  });
  const state: State = {
    ...initialState(),
    incidents: { [incident.id]: incident },
    conferences: { [conference.id]: conference },
  };
  usePicture.setState({ state, lastSeq: 50 });
  return render(<MinutesPanel session={session} conference={conference} />);
}

const approved = (...versions: ReturnType<typeof buildMinutesVersion>[]) =>
  buildClosedConference({ minutes: versions });

describe('MinutesPanel before approval', () => {
  it('previews the minutes from the log, and the chair approves them as version 1', async () => {
    const user = userEvent.setup();
    showConference(buildClosedConference());
    const document = screen.getByTestId('minutes-document');
    expect(within(document).getAllByText('Förslag – inte godkänt')).not.toHaveLength(0);
    const nackaRow = within(document).getByTestId('minutes-participant-nacka');
    expect(nackaRow.textContent).toMatch('Nacka kommun');
    expect(nackaRow.textContent).toMatch('Närvarande');
    expect(within(document).getByTestId('minutes-participant-botkyrka').textContent).toMatch(
      'Ej uppropadNej',
    );
    expect(within(document).getByText('Träd över Värmdöleden.')).toBeTruthy();

    await user.click(screen.getByRole('button', { name: 'Godkänn protokollet' }));
    await vi.waitFor(() => expect(sentCommands()).toHaveLength(1));
    expect(sentCommands()[0]).toMatchObject({
      type: 'conference.approveMinutes',
      payload: { conferenceId: buildClosedConference().id, version: 1, correction: '' },
    });
    // Not sent twice while it is on its way.
    expect(screen.getByRole('button', { name: 'Godkänn protokollet' })).toHaveProperty('disabled', true);
  });

  it('lets everyone read the preview but only the chair approve', () => {
    showConference(buildClosedConference(), nacka);
    expect(screen.getByTestId('minutes-document')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Godkänn protokollet' })).toBeNull();
  });

  it('offers nothing to approve while the conference runs', () => {
    showConference(
      buildClosedConference({ status: 'open', closedAt: null, closedBy: null, closedSeq: null }),
    );
    expect(screen.getByText('Protokollet kan godkännas när konferensen är avslutad.')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Godkänn protokollet' })).toBeNull();
  });
});

describe('MinutesPanel after approval', () => {
  it('shows the approved version read-only, with no control that edits it', () => {
    showConference(approved(buildMinutesVersion()), nacka);
    const document = screen.getByTestId('minutes-document');
    expect(within(document).getAllByText(/Version 1, godkänd .* av Lena Lindqvist/)).not.toHaveLength(0);
    expect(screen.queryByRole('textbox')).toBeNull();
    expect(screen.queryByRole('button', { name: 'Godkänn protokollet' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Rätta protokollet' })).toBeNull();
    expect(screen.getByRole('button', { name: 'Skriv ut' })).toBeTruthy();
  });

  it('is the approved text, not the log as it is now', () => {
    // The round note changed in the log after approval; the minutes keep the approved one.
    const conference = approved(buildMinutesVersion());
    showConference({
      ...conference,
      rounds: {
        nacka: { reported: true, note: 'Ändrat efteråt.', at: TEST_NOW, by: lansstyrelsenChair, seq: 45 },
      },
    });
    expect(screen.getByText('Träd över Värmdöleden.')).toBeTruthy();
    expect(screen.queryByText('Ändrat efteråt.')).toBeNull();
  });

  it('lists every version with who approved it and what it corrected, and shows an earlier one', async () => {
    const user = userEvent.setup();
    const v2Minutes = buildTestMinutes({
      rounds: buildTestMinutes().rounds.map((r) =>
        r.actorId === 'nacka' ? { ...r, note: 'Rättad not.' } : r,
      ),
    });
    showConference(
      approved(
        buildMinutesVersion(),
        buildMinutesVersion({ version: 2, minutes: v2Minutes, correction: 'Nackas anteckning rättad.' }),
      ),
    );
    const versions = screen.getByTestId('minutes-versions');
    expect(within(versions).getByTestId('minutes-version-1').textContent).toMatch(
      /v1 – .*Lena Lindqvist \(Länsstyrelsen i Stockholms län\): Första godkännandet/,
    );
    expect(within(versions).getByTestId('minutes-version-2').textContent).toMatch(
      'Nackas anteckning rättad.',
    );
    expect(screen.getByText('Rättad not.')).toBeTruthy();

    await user.click(screen.getByRole('button', { name: 'Visa: v1' }));
    expect(screen.getByText('Träd över Värmdöleden.')).toBeTruthy();
    expect(screen.queryByText('Rättad not.')).toBeNull();
  });

  it('refuses a correction that does not say what it changes, and sends nothing', async () => {
    const user = userEvent.setup();
    showConference(approved(buildMinutesVersion()));
    await user.click(screen.getByRole('button', { name: 'Rätta protokollet' }));
    await user.click(screen.getByRole('button', { name: 'Godkänn rättelsen' }));
    expect(screen.getByText('Skriv vad rättelsen ändrar.')).toBeTruthy();
    expect(screen.getByLabelText(/Vad rättelsen ändrar/).getAttribute('aria-invalid')).toBe('true');
    expect(sentCommands()).toHaveLength(0);
  });

  it('sends a correction as the next version with only what was changed', { timeout: 20_000 }, async () => {
    const user = userEvent.setup();
    showConference(
      approved(buildMinutesVersion(), buildMinutesVersion({ version: 2, correction: 'Första rättelsen.' })),
    );
    await user.click(screen.getByRole('button', { name: 'Rätta protokollet' }));
    await user.type(screen.getByLabelText(/Vad rättelsen ändrar/), 'Nackas anteckning var fel.');
    const note = screen.getByLabelText('Anteckning: Nacka kommun');
    await user.clear(note);
    await user.type(note, 'Två träd över Värmdöleden.');
    await user.click(screen.getByRole('button', { name: 'Godkänn rättelsen' }));

    await vi.waitFor(() => expect(sentCommands()).toHaveLength(1));
    const command = sentCommands()[0];
    expect(command).toMatchObject({
      type: 'conference.approveMinutes',
      payload: {
        version: 3,
        correction: 'Nackas anteckning var fel.',
        roundNotes: { nacka: 'Två träd över Värmdöleden.' },
      },
    });
    expect(command?.payload).not.toHaveProperty('assessment');
    // Queued, not yet approved: the form stays, with no second send, in case the hub refuses.
    expect(screen.getByTestId('minutes-correction')).toBeTruthy();
    await vi.waitFor(() =>
      expect(screen.getByRole('button', { name: 'Godkänn rättelsen' })).toHaveProperty('disabled', true),
    );
    // The hub has it: the form closes and its draft is dropped.
    await markOnlySent();
    await vi.waitFor(() => expect(screen.queryByTestId('minutes-correction')).toBeNull());
    expect(keptDrafts()).toEqual([]);
  });

  it(
    'keeps a correction being written across a reload, and opens it again',
    { timeout: 20_000 },
    async () => {
      const user = userEvent.setup();
      const conference = approved(buildMinutesVersion());
      const first = showConference(conference);
      await user.click(screen.getByRole('button', { name: 'Rätta protokollet' }));
      await user.type(screen.getByLabelText(/Vad rättelsen ändrar/), 'Fel tid i protokollet.');
      first.unmount();

      showConference(conference);
      expect((screen.getByLabelText(/Vad rättelsen ändrar/) as HTMLTextAreaElement).value).toBe(
        'Fel tid i protokollet.',
      );
      // Cancelling throws the draft away.
      await user.click(screen.getByRole('button', { name: 'Avbryt' }));
      expect(keptDrafts()).toEqual([]);
    },
  );

  it('prints with the browser, marking the page as printing minutes only while it prints', async () => {
    const user = userEvent.setup();
    let classDuringPrint = '';
    const print = vi.spyOn(window, 'print').mockImplementation(() => {
      classDuringPrint = document.body.className;
    });
    const { unmount } = showConference(approved(buildMinutesVersion()), nacka);
    await user.click(screen.getByRole('button', { name: 'Skriv ut' }));
    expect(print).toHaveBeenCalledOnce();
    expect(classDuringPrint).toContain('printing-minutes');
    act(() => void window.dispatchEvent(new Event('afterprint')));
    expect(document.body.classList.contains('printing-minutes')).toBe(false);

    // Leaving the minutes while the dialog is open leaves no print rules behind either.
    await user.click(screen.getByRole('button', { name: 'Skriv ut' }));
    unmount();
    expect(document.body.classList.contains('printing-minutes')).toBe(false);
  });

  it('downloads the shown version as Markdown and JSON under a telling name', async () => {
    const user = userEvent.setup();
    const blobs: Blob[] = [];
    const names: string[] = [];
    URL.createObjectURL = vi.fn((blob: Blob) => {
      blobs.push(blob);
      return 'blob:minutes';
    });
    URL.revokeObjectURL = vi.fn();
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      names.push(this.download);
    });
    showConference(approved(buildMinutesVersion()), nacka);

    await user.click(screen.getByRole('button', { name: 'Ladda ner som Markdown' }));
    await user.click(screen.getByRole('button', { name: 'Ladda ner som JSON' }));
    expect(names).toEqual([
      'protokoll-2024-05-01-storm-ylva-v1.md',
      'protokoll-2024-05-01-storm-ylva-v1.json',
    ]);
    const [markdownBlob, jsonBlob] = blobs;
    const markdown = (await markdownBlob?.text()) ?? '';
    expect(markdown).toContain('| Nacka kommun | Närvarande | Ja |');
    const json = JSON.parse((await jsonBlob?.text()) ?? '') as {
      version: number;
      minutes: { decisions: unknown[] };
    };
    expect(json.version).toBe(1);
    expect(json.minutes.decisions).toHaveLength(1);
  });
});
