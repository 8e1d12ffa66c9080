import { buildLogEntryCommand } from '@lagesbild/shared/test-factories';
import { describe, expect, it } from 'vitest';
import type { ClientError } from '../api/client-result';
import { shownStatus, waitingNote, type OutboxItem, type OutboxStatus } from './outbox-item';

const command = buildLogEntryCommand();

const item = (status: OutboxStatus, error: ClientError | null, unconfirmed = false): OutboxItem => ({
  id: command.id,
  userId: 'user-1',
  command,
  status,
  order: 1,
  createdAt: 0,
  updatedAt: 0,
  attempts: error ? 1 : 0,
  seq: null,
  error,
  unconfirmed,
});

const failure = (code: ClientError['code'], fromHub = true): ClientError => ({
  code,
  message: code,
  fromHub,
});

describe('waitingNote', () => {
  it.each([
    ['no network', item('queued', failure('offline', false)), 'outbox.waiting'],
    ['a session that ended', item('queued', failure('unauthenticated')), 'outbox.waitingForSignIn'],
    ['an outdated page', item('queued', failure('protocol_mismatch')), 'outbox.waitingForReload'],
    ['a hub that asks us to slow down', item('queued', failure('rate_limited')), 'outbox.retrying'],
    ['a hub without its log', item('queued', failure('log_unavailable'), true), 'outbox.retrying'],
    ['an ack that never came', item('queued', failure('timeout', false), true), 'outbox.retrying'],
  ])('says what a queued command waits for after %s', (_why, queued, note) => {
    expect(waitingNote(queued)).toBe(note);
  });

  it.each([
    ['never tried yet', item('queued', null)],
    ['on its way', item('sending', failure('offline', false))],
    ['sent', item('sent', null)],
    ['refused', item('failed', failure('forbidden'))],
  ])('says nothing of waiting for a command %s', (_what, other) => {
    expect(waitingNote(other)).toBeNull();
  });
});

describe('shownStatus', () => {
  it('shows a pending command the hub may have as not confirmed, and the rest as they are', () => {
    expect(shownStatus(item('queued', failure('timeout', false), true))).toBe('unconfirmed');
    expect(shownStatus(item('sending', null, true))).toBe('unconfirmed');
    expect(shownStatus(item('queued', failure('offline', false)))).toBe('queued');
    expect(shownStatus(item('failed', failure('forbidden')))).toBe('failed');
  });
});
