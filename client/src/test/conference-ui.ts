import type { Command, State } from '@lagesbild/shared';
import { act } from '@testing-library/react';
import axe from 'axe-core';
import { expect, vi } from 'vitest';
import type { OutboxItem } from '../outbox/outbox-item';
import { useOutbox } from '../stores/outbox';
import { usePicture } from '../stores/picture';
import { buildSessionInfo } from './fixtures';

/** Länsstyrelsen's duty officer, who chairs the scene's conferences. */
export const chairSession = () =>
  buildSessionInfo({
    user: { id: 'user-lansstyrelsen-tib', username: 'lst.tib', name: 'Lena Lindqvist' },
    actorId: 'lansstyrelsen',
  });

/** Puts a folded state on screen, as a snapshot from the hub would. */
export const showPicture = (state: State, seq = 100) =>
  usePicture.getState().replaceWithSnapshot({ epoch: 'e', seq, state });

/** The commands the outbox holds, in the order they were sent. */
export async function sentCommands(count: number): Promise<Command[]> {
  await vi.waitFor(() => expect(Object.keys(useOutbox.getState().items)).toHaveLength(count));
  return Object.values(useOutbox.getState().items)
    .sort((a, b) => a.createdAt - b.createdAt)
    .map((item) => item.command);
}

/** The serious and critical accessibility violations axe finds in the rendered page. */
export async function seriousViolations(container: Element): Promise<string[]> {
  const result = await axe.run(container, { rules: { 'color-contrast': { enabled: false } } });
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.html).join(' | ')}`);
}

/** The conference drafts kept in localStorage (domain/drafts), by key. */
export function keptDrafts(): string[] {
  const keys: string[] = [];
  for (let i = 0; i < localStorage.length; i += 1) {
    const key = localStorage.key(i);
    if (key?.startsWith('lagesbild.draft.conference.')) keys.push(key);
  }
  return keys;
}

/** Answers the one queued command as the hub would: accepted, at `seq`. */
export async function markOnlySent(seq = 500): Promise<void> {
  let item: OutboxItem | undefined;
  await vi.waitFor(() => {
    item = Object.values(useOutbox.getState().items)[0];
    expect(item).toBeDefined();
  });
  const queued = item;
  if (!queued) throw new Error('nothing queued');
  act(() => useOutbox.getState().upsert({ ...queued, status: 'sent', seq }));
}
