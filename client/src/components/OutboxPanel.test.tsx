import { buildLogEntryCommand, buildReportCommand, testUuid } from '@lagesbild/shared/test-factories';
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
  it("shows each command as queued, sent or refused, with the hub's reason", () => {
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
    expect(within(rows[1] as HTMLElement).getByText(/Krockar med en annan ändring/).textContent).toContain(
      'The incident is closed',
    );
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
});
