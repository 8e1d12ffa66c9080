import { buildCheckinCommand, buildFieldReportCommand, testUuid } from '@lagesbild/shared/test-factories';
import { render, screen, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type { OutboxItem } from '../outbox';
import { useOutbox } from '../stores/outbox';
import { buildSessionInfo } from '../test/fixtures';
import { setUpUiTests } from '../test/ui';
import { PhoneOutbox } from './PhoneOutbox';

vi.mock('../realtime', () => ({
  sendCommand: vi.fn(async () => ({
    ok: false,
    error: { code: 'offline', message: 'offline', fromHub: false },
  })),
}));

setUpUiTests();

const session = buildSessionInfo();

const item = (n: number, overrides: Partial<OutboxItem>): OutboxItem => {
  const command = buildCheckinCommand({ commandId: testUuid(n) });
  return {
    id: command.id,
    userId: session.user.id,
    command,
    status: 'queued',
    order: n,
    createdAt: Date.parse('2024-05-01T08:00:00Z'),
    updatedAt: Date.parse('2024-05-01T08:00:00Z'),
    attempts: 1,
    seq: null,
    error: null,
    unconfirmed: false,
    ...overrides,
  };
};

function show(items: OutboxItem[]) {
  useOutbox.getState().replaceAll(items);
  render(<PhoneOutbox session={session} />);
  return screen.getAllByTestId('outbox-item');
}

const chipOf = (row: HTMLElement) => row.querySelector('.chip');

describe('PhoneOutbox', () => {
  it('says what each queued command waits for, as the outbox on a laptop does', () => {
    // Newest first, as the page lists them.
    const [rateLimited, signIn, offline] = show([
      item(1, { error: { code: 'offline', message: 'not connected', fromHub: false } }),
      item(2, { error: { code: 'unauthenticated', message: 'Sign in first', fromHub: true } }),
      item(3, { error: { code: 'rate_limited', message: 'Too many', fromHub: true } }),
    ]);
    expect(offline?.textContent).toContain('skickas när anslutningen är tillbaka');
    expect(signIn?.textContent).toContain('skickas när du har loggat in igen');
    expect(signIn?.textContent).not.toContain('anslutningen');
    expect(rateLimited?.textContent).toContain('skickas igen om en stund');
    expect(rateLimited?.textContent).not.toContain('anslutningen');
  });

  it('promises nothing about the connection for a command simply on its way', () => {
    const [sending, fresh] = show([
      item(1, { status: 'queued', attempts: 0 }),
      item(2, { status: 'sending', error: { code: 'offline', message: 'not connected', fromHub: false } }),
    ]);
    for (const row of [fresh, sending]) expect(row?.textContent).not.toContain('skickas när');
  });

  it('shows a command the server may have as not confirmed, styled apart from queued, and not removable', () => {
    const [unconfirmed, queued] = show([
      item(1, { error: { code: 'offline', message: 'not connected', fromHub: false } }),
      item(2, {
        command: buildFieldReportCommand({ commandId: testUuid(2) }),
        unconfirmed: true,
        error: { code: 'timeout', message: 'no ack', fromHub: false },
      }),
    ]);
    if (!unconfirmed || !queued) throw new Error('two rows expected');
    expect(unconfirmed.getAttribute('data-status')).toBe('unconfirmed');
    expect(chipOf(unconfirmed)?.textContent).toBe('Ej bekräftad – skickas igen');
    expect(chipOf(unconfirmed)?.className).toContain('chip--unconfirmed');
    expect(chipOf(unconfirmed)?.className).not.toContain('chip--queued');
    expect(unconfirmed.textContent).toContain('Servern har inte bekräftat att den sparats');
    expect(within(unconfirmed).queryByRole('button')).toBeNull();

    expect(chipOf(queued)?.className).toContain('chip--queued');
    expect(chipOf(queued)?.textContent).toBe('Köad');
    expect(within(queued).getByRole('button', { name: 'Ta bort' })).toBeTruthy();
  });

  it('offers no retry for a refusal that can never succeed with the same id', () => {
    const [conflict, forbidden] = show([
      item(1, { status: 'failed', error: { code: 'forbidden', message: 'No', fromHub: true } }),
      item(2, { status: 'failed', error: { code: 'id_conflict', message: 'Used', fromHub: true } }),
    ]);
    if (!conflict || !forbidden) throw new Error('two rows expected');
    expect(within(forbidden).getByRole('button', { name: 'Försök igen' })).toBeTruthy();
    expect(within(conflict).queryByRole('button', { name: 'Försök igen' })).toBeNull();
    expect(within(conflict).getByRole('button', { name: 'Ta bort' })).toBeTruthy();
  });
});
