import {
  buildLogEntryCommand,
  buildReport,
  buildReportCommand,
  buildAttribution,
  testUuid,
} from '@lagesbild/shared/test-factories';
import { render, screen, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { loadDraft } from '../domain/drafts';
import { ReportDraft, reportDraftKey } from '../domain/report-draft';
import type { OutboxItem } from '../outbox';
import { unsentCount, useOutbox, userItems } from '../stores/outbox';
import { useView } from '../stores/view';
import { buildSessionInfo } from '../test/fixtures';
import { setLanguage } from '../i18n/i18n';
import { setUpUiTests } from '../test/ui';
import { CommandStatus } from './CommandStatus';
import { OutboxButton } from './OutboxButton';
import { OutboxPanel } from './OutboxPanel';

vi.mock('../realtime', () => ({
  sendCommand: vi.fn(async () => ({
    ok: false,
    error: { code: 'offline', message: 'offline', fromHub: false },
  })),
}));

setUpUiTests();

const session = buildSessionInfo();
const USER = session.user.id;

const item = (overrides: Partial<OutboxItem> & Pick<OutboxItem, 'command'>): OutboxItem => ({
  id: overrides.command.id,
  userId: USER,
  status: 'queued',
  order: 1,
  createdAt: Date.parse('2024-05-01T08:00:00Z'),
  updatedAt: Date.parse('2024-05-01T08:00:00Z'),
  attempts: 0,
  seq: null,
  error: null,
  unconfirmed: false,
  ...overrides,
});

const refusedReport = buildReportCommand({
  commandId: testUuid(1),
  incidentId: testUuid(50),
  happened: 'Vägen avstängd',
});
const queuedEntry = buildLogEntryCommand({ commandId: testUuid(2), text: 'Konferens kl 14' });

function show(items: OutboxItem[]) {
  useOutbox.getState().replaceAll(items);
  useView.getState().setOutboxOpen(true);
  return render(<OutboxPanel session={session} />);
}

describe('the outbox store', () => {
  it("lists a user's items in sending order and counts what has not reached the hub", () => {
    const items = [
      item({ command: queuedEntry, order: 2 }),
      item({ command: refusedReport, order: 1, status: 'failed' }),
      item({ command: buildLogEntryCommand({ commandId: testUuid(3) }), order: 3, status: 'sent' }),
      item({ command: buildLogEntryCommand({ commandId: testUuid(4) }), userId: 'someone-else' }),
    ];
    useOutbox.getState().replaceAll(items);
    const state = useOutbox.getState().items;
    expect(userItems(state, USER).map((i) => i.id)).toEqual([testUuid(1), testUuid(2), testUuid(3)]);
    expect(unsentCount(state, USER)).toBe(2);
  });
});

describe('OutboxButton', () => {
  const button = (items: OutboxItem[]) => {
    useOutbox.getState().replaceAll(items);
    render(<OutboxButton session={session} />);
    return screen.getByTestId('outbox-button');
  };
  const timedOut = { code: 'timeout', message: 'no ack', fromHub: false } as const;
  const entry = (n: number) => buildLogEntryCommand({ commandId: testUuid(n) });

  it('names commands the server may have as not confirmed, apart from those not sent', () => {
    const door = button([
      item({ command: entry(11), order: 1 }),
      item({ command: entry(12), order: 2 }),
      item({ command: entry(13), order: 3, unconfirmed: true, error: timedOut }),
      item({ command: entry(14), order: 4, status: 'sent' }),
    ]);
    expect(door.textContent).toContain('2 ej skickade, 1 ej bekräftad');
    // The badge still counts everything that needs to reach the server.
    expect(door.querySelector('.badge')?.textContent).toBe('3');
  });

  it('never calls a command the server may have “not sent”', () => {
    const door = button([
      item({ command: entry(11), order: 1, unconfirmed: true, error: timedOut }),
      item({ command: entry(12), order: 2, status: 'sending', unconfirmed: true, error: timedOut }),
    ]);
    expect(door.textContent).toContain('2 ej bekräftade');
    expect(door.textContent).not.toContain('ej skickad');
  });

  it('says it in English too', () => {
    setLanguage('en');
    const door = button([
      item({ command: entry(11), order: 1 }),
      item({ command: entry(12), order: 2, unconfirmed: true, error: timedOut }),
    ]);
    expect(door.textContent).toContain('1 not sent, 1 not confirmed');
  });
});

describe('OutboxPanel', () => {
  it('shows each command as queued, sent or refused, with the reason in Swedish only', () => {
    show([
      item({ command: queuedEntry, order: 2 }),
      item({
        command: refusedReport,
        order: 1,
        status: 'failed',
        error: { code: 'conflict', message: 'The incident is closed', fromHub: true },
      }),
    ]);
    const rows = screen.getAllByTestId('outbox-item');
    expect(rows.map((r) => r.getAttribute('data-status'))).toEqual(['queued', 'failed']);
    // The hub's reason is English, for logs and API users: the Swedish page says it in Swedish only.
    const reason = within(rows[1] as HTMLElement).getByText(/Krockar med en annan ändring/).textContent;
    expect(reason).not.toContain('The incident is closed');
  });

  it('discards a refused command', async () => {
    const user = userEvent.setup();
    show([
      item({
        command: refusedReport,
        status: 'failed',
        error: { code: 'forbidden', message: 'No', fromHub: true },
      }),
    ]);
    await user.click(screen.getByRole('button', { name: 'Ta bort' }));
    await vi.waitFor(() => expect(useOutbox.getState().items).toEqual({}));
  });

  it('puts a refused report back into the form for editing', async () => {
    const user = userEvent.setup();
    show([
      item({
        command: refusedReport,
        status: 'failed',
        error: { code: 'conflict', message: 'x', fromHub: true },
      }),
    ]);
    await user.click(screen.getByRole('button', { name: 'Redigera' }));

    await vi.waitFor(() => expect(useOutbox.getState().items).toEqual({}));
    const draft = loadDraft(reportDraftKey(USER, testUuid(50)), ReportDraft);
    expect(draft?.happened).toBe('Vägen avstängd');
    // A new report id: the refused one stays refused.
    expect(draft?.reportId).not.toBe(refusedReport.payload.reportId);
    expect(useView.getState()).toMatchObject({
      incidentId: testUuid(50),
      tab: 'newReport',
      outboxOpen: false,
    });
  });

  describe('a report refused because the actor reported meanwhile', () => {
    const mine = buildReportCommand({
      commandId: testUuid(70),
      reportId: testUuid(71),
      incidentId: testUuid(50),
      happened: 'Min bild: vägen avstängd',
      supersedes: null,
    });
    const newer = buildReport({
      id: testUuid(72),
      incidentId: testUuid(50),
      happened: 'Kollegans bild: vägen öppen igen',
      by: buildAttribution({ userName: 'Nils Nord', actorId: 'nacka' }),
    });
    const staleItem = () =>
      item({
        command: mine,
        status: 'failed',
        error: {
          code: 'stale',
          message: 'Your actor has reported on this incident since this report was begun',
          fromHub: true,
          stale: { item: 'report', report: newer },
        },
      });

    it('shows the newer report beside the person’s own and offers no plain retry', () => {
      show([staleItem()]);
      const choice = screen.getByRole('group', { name: 'Välj vilken version som ska gälla' });
      expect(choice.textContent).toContain('Din aktör har lämnat en nyare lägesrapport');
      expect(choice.textContent).toContain('Den lämnades av Nils Nord');
      expect(within(choice).getAllByTestId('stale-newer')[0]?.textContent).toContain('Kollegans bild');
      expect(within(choice).getAllByTestId('stale-mine')[0]?.textContent).toContain('Min bild');
      expect(screen.queryByRole('button', { name: 'Försök igen' })).toBeNull();
    });

    it('sends the person’s report over the newer one, as a new command, when they keep theirs', async () => {
      const user = userEvent.setup();
      show([staleItem()]);
      await user.click(screen.getByRole('button', { name: 'Skicka min ändå' }));
      await vi.waitFor(() => {
        expect(useOutbox.getState().items[mine.id]).toBeUndefined();
        expect(Object.values(useOutbox.getState().items)[0]?.status).toBe('queued');
      });
      const [resent] = Object.values(useOutbox.getState().items);
      expect(resent?.id).not.toBe(mine.id);
      expect(resent?.status).toBe('queued');
      expect(resent?.command).toEqual({
        id: resent?.id,
        type: 'report.submit',
        payload: { ...mine.payload, supersedes: newer.id },
      });
    });

    it('points from the form to the choice in the outbox', async () => {
      const user = userEvent.setup();
      useOutbox.getState().replaceAll([staleItem()]);
      useView.getState().setOutboxOpen(false);
      render(<CommandStatus itemId={mine.id} />);
      expect(screen.getByRole('status').textContent).toContain('Någon annan har ändrat detta');
      await user.click(screen.getByRole('button', { name: 'Välj version i utkorgen' }));
      expect(useView.getState().outboxOpen).toBe(true);
    });

    it('drops the person’s report when they keep the newer one', async () => {
      const user = userEvent.setup();
      show([staleItem()]);
      await user.click(screen.getByRole('button', { name: 'Behåll den nyare, släng min' }));
      await vi.waitFor(() => expect(useOutbox.getState().items).toEqual({}));
    });
  });

  it('shows a stale refusal without the newer item as refused, with no choice, no retry and no pointer to a choice', () => {
    const decide = {
      id: testUuid(80),
      type: 'directive.decide',
      payload: { directiveId: testUuid(81), baseVersion: 0, draftSeq: 12 },
    } as const;
    const refused = item({
      command: decide,
      status: 'failed',
      error: {
        code: 'stale',
        message: 'The draft has been saved since by Lars Lund: read it again before deciding',
        fromHub: true,
      },
    });
    show([refused]);
    const row = screen.getByTestId('outbox-item');
    expect(row.textContent).toContain('Någon annan har ändrat detta under tiden');
    expect(screen.queryByRole('group', { name: 'Välj vilken version som ska gälla' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Försök igen' })).toBeNull();
    expect(within(row).getByRole('button', { name: 'Ta bort' })).toBeTruthy();
    render(<CommandStatus itemId={decide.id} />);
    expect(screen.getByTestId('command-status').textContent).toContain('Någon annan har ändrat detta');
    expect(screen.queryByRole('button', { name: 'Välj version i utkorgen' })).toBeNull();
  });

  it('shows an id conflict as refused, in Swedish, without a way to send the same id again', () => {
    show([
      item({
        command: queuedEntry,
        status: 'failed',
        error: { code: 'id_conflict', message: 'This command id was already used', fromHub: true },
      }),
    ]);
    expect(screen.getByRole('note').textContent).toContain(
      'Ändringen har redan skickats med ett annat innehåll',
    );
    expect(screen.queryByRole('button', { name: 'Försök igen' })).toBeNull();
    expect(screen.getByRole('button', { name: 'Ta bort' })).toBeTruthy();
  });

  describe('“not confirmed” is said as such', () => {
    const timedOut = buildLogEntryCommand({ commandId: testUuid(80), text: 'Ambulans på väg' });
    const neverSent = buildLogEntryCommand({ commandId: testUuid(81), text: 'Väg 222 avstängd' });
    const unconfirmed = (overrides: Partial<OutboxItem> = {}) =>
      item({
        command: timedOut,
        order: 1,
        attempts: 1,
        unconfirmed: true,
        error: { code: 'timeout', message: 'no ack within 10000 ms', fromHub: false },
        ...overrides,
      });
    const rowOf = (text: string) => {
      const row = screen.getAllByTestId('outbox-item').find((r) => r.textContent?.includes(text));
      if (!row) throw new Error(`no outbox row with “${text}”`);
      return row;
    };

    it('shows a command the server may have as not confirmed and being sent again, never refused, and one never sent as queued', () => {
      show([
        unconfirmed(),
        item({
          command: neverSent,
          order: 2,
          error: { code: 'offline', message: 'not connected', fromHub: false },
        }),
      ]);
      const sentUnknown = rowOf('Ambulans på väg');
      expect(sentUnknown.getAttribute('data-status')).toBe('unconfirmed');
      expect(sentUnknown.textContent).toContain('Ej bekräftad – skickas igen');
      expect(within(sentUnknown).getByRole('note').textContent).toContain(
        'Servern har inte bekräftat att den sparats',
      );
      expect(sentUnknown.textContent).not.toMatch(/Avvisad|Köad|Skäl/);
      // Neither resent by hand nor dropped: the server may already have it on the picture.
      expect(within(sentUnknown).queryByRole('button')).toBeNull();

      const queued = rowOf('Väg 222 avstängd');
      expect(queued.getAttribute('data-status')).toBe('queued');
      expect(queued.textContent).toContain('Köad');
      expect(queued.textContent).toContain('skickas när anslutningen är tillbaka');
      expect(queued.textContent).not.toContain('Ej bekräftad');
      expect(within(queued).getByRole('button', { name: 'Ta bort' })).toBeTruthy();
    });

    it('says the server’s “cannot store now” as not confirmed too, while the next resend is on its way', () => {
      show([
        unconfirmed({
          status: 'sending',
          attempts: 2,
          error: { code: 'log_unavailable', message: 'The log is unavailable', fromHub: true },
        }),
      ]);
      const row = rowOf('Ambulans på väg');
      expect(row.getAttribute('data-status')).toBe('unconfirmed');
      expect(row.textContent).toContain('Ej bekräftad – skickas igen');
      // The error text for log_unavailable says it cannot be saved: not shown for this one.
      expect(row.textContent).not.toContain('kan inte sparas');
    });

    it('says what a command waits for when the session has ended, whether or not the server may have it', () => {
      show([
        unconfirmed({ error: { code: 'unauthenticated', message: 'Sign in first', fromHub: true } }),
        item({
          command: neverSent,
          order: 2,
          error: { code: 'unauthenticated', message: 'Sign in first', fromHub: true },
        }),
      ]);
      const sentUnknown = rowOf('Ambulans på väg');
      expect(sentUnknown.textContent).toContain('Ej bekräftad – skickas igen');
      expect(sentUnknown.textContent).toContain('skickas när du har loggat in igen');
      const queued = rowOf('Väg 222 avstängd');
      expect(queued.textContent).toContain('Köad');
      expect(queued.textContent).toContain('skickas när du har loggat in igen');
      expect(queued.textContent).not.toContain('anslutningen');
    });

    it('says it in English too', () => {
      setLanguage('en');
      show([unconfirmed()]);
      const row = rowOf('Ambulans på väg');
      expect(row.textContent).toContain('Not confirmed – sending again');
      expect(row.textContent).not.toMatch(/Refused|Queued/);
    });

    it('tells the form the same: not confirmed, sent again until the server answers', () => {
      useOutbox.getState().replaceAll([unconfirmed()]);
      render(<CommandStatus itemId={timedOut.id} />);
      expect(screen.getByRole('status').textContent).toBe(
        'Ej bekräftad – skickas igen tills servern svarar.',
      );
    });
  });
});
