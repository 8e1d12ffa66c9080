import type { SessionInfo } from '@lagesbild/shared';
import { stockholmRegion } from '@lagesbild/shared/test-factories';

/** Nacka's duty officer, signed in, in the real default region. */
export const buildSessionInfo = (overrides: Partial<SessionInfo> = {}): SessionInfo => ({
  user: { id: 'user-nacka-tib', username: 'nacka.tib', name: 'Nils Nord' },
  actorId: 'nacka',
  functionIds: ['dutyOfficer'],
  csrfToken: 'csrf-token-for-tests',
  region: stockholmRegion(),
  tiles: { url: '', attribution: '' },
  ...overrides,
});

/** A fetch answer as the hub gives it. */
export const jsonResponse = (status: number, body: unknown): Response =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
