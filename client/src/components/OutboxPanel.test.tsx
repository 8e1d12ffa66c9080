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
import { setUpUiTests } from '../test/ui';
import { CommandStatus } from './CommandStatus';
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
});
