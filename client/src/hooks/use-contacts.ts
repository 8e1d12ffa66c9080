import type { ContactsResponse, State } from '@lagesbild/shared';
import { useEffect, useEffectEvent, useMemo } from 'react';
import { getContacts } from '../api/contacts-api';
import { useConnection } from '../stores/connection';
import { useContactsStore } from '../stores/contacts';
import { usePicture } from '../stores/picture';
import { useSession } from '../stores/session';

/**
 * A hand-over changes who answers without an event the client sees, so an answer is asked
 * for again after this long even when the incidents did not change.
 */
export const CONTACTS_STALE_MS = 60_000;

/**
 * How often a mounted list checks whether its answer has gone stale. Shorter than the stale
 * time, so a number is at most a little over a minute old; the check itself costs nothing.
 */
const CONTACTS_CHECK_MS = 10_000;

let lastAsked: { key: string; at: number } | null = null;
/** Numbers each request, so an older answer arriving after a newer one is not shown. */
let newestRequest = 0;

/**
 * What decides which numbers the hub gives: the active incidents and whom they summon,
 * the pending requests and who asked. Anything else (reports, check-ins) fetches nothing.
 */
function contactsKey(userId: string, state: State): string {
  const parts = Object.values(state.incidents)
    .filter((i) => i.status !== 'closed')
    .map((i) => `${i.id}:${i.status}:${i.summonedActorIds.join(',')}:${i.requestedBy?.userId ?? ''}`)
    .sort();
  return `${userId}|${parts.join('|')}`;
}

async function refresh(userId: string, key: string): Promise<void> {
  const now = Date.now();
  if (lastAsked && lastAsked.key === key && now - lastAsked.at < CONTACTS_STALE_MS) return;
  lastAsked = { key, at: now };
  const request = ++newestRequest;
  const answer = await getContacts();
  if (request !== newestRequest) return;
  if (answer.ok) useContactsStore.getState().setContacts(userId, answer.data);
  // Offline or refused: keep what was shown, and ask again at the next chance.
  else lastAsked = null;
}

/**
 * The phone numbers the signed-in person may see, fetched when the incidents they depend
 * on change, after every reconnection (numbers may have changed meanwhile) and again once
 * the last answer is a minute old (a hand-over changes numbers without an event). Null until
 * the hub has answered for this person (never another's numbers).
 */
export function useContacts(): ContactsResponse | null {
  const userId = useSession((s) => s.session?.user.id ?? null);
  const state = usePicture((s) => s.state);
  const online = useConnection((s) => s.status === 'online');
  // A new hello on every (re)connection: its head position tells one connection from the next.
  const hello = useConnection((s) => `${s.hubId ?? ''}@${s.helloHeadSeq ?? ''}`);
  const key = useMemo(
    () => (userId === null ? null : `${contactsKey(userId, state)}|${hello}`),
    [userId, state, hello],
  );
  const askIfStale = useEffectEvent(() => {
    if (online && userId !== null && key !== null) void refresh(userId, key);
  });
  useEffect(() => askIfStale(), [online, userId, key]);
  useEffect(() => {
    const timer = setInterval(() => askIfStale(), CONTACTS_CHECK_MS);
    return () => clearInterval(timer);
  }, []);
  return useContactsStore((s) => (s.userId === userId ? s.contacts : null));
}
