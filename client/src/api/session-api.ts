import { AuthMethods, SessionInfo, SessionProbe, type SignInRequest } from '@lagesbild/shared';
import { z } from 'zod';
import type { ClientResult } from './client-result';
import { apiRequest } from './http';

/**
 * GET /api/session: who the session cookie belongs to. The hub answers a visitor without
 * a session with `{ signedIn: false }` (no 401 in the console); callers get that as
 * `unauthenticated`, as before.
 */
export async function getSession(): Promise<ClientResult<SessionInfo>> {
  const result = await apiRequest('GET', '/api/session', SessionProbe);
  if (!result.ok) return result;
  return 'signedIn' in result.data
    ? { ok: false, error: { code: 'unauthenticated', message: 'Not signed in', fromHub: true } }
    : { ok: true, data: result.data };
}

/** POST /api/session: signs in; the hub sets the session cookie. */
export const postSession = (request: SignInRequest) =>
  apiRequest('POST', '/api/session', SessionInfo, { body: request, csrfToken: null });

/** DELETE /api/session: signs out here and disconnects this user's sockets on every hub. */
export const deleteSession = () => apiRequest('DELETE', '/api/session', z.unknown());

/** GET /api/auth/methods: whether the region's identity provider is configured. */
export const getAuthMethods = () => apiRequest('GET', '/api/auth/methods', AuthMethods);
