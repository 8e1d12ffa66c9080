import { AuthMethods, SessionInfo, type SignInRequest } from '@lagesbild/shared';
import { z } from 'zod';
import { apiRequest } from './http';

/** GET /api/session: who the session cookie belongs to, or `unauthenticated`. */
export const getSession = () => apiRequest('GET', '/api/session', SessionInfo);

/** POST /api/session: signs in; the hub sets the session cookie. */
export const postSession = (request: SignInRequest) =>
  apiRequest('POST', '/api/session', SessionInfo, { body: request, csrfToken: null });

/** DELETE /api/session: signs out here and disconnects this user's sockets on every hub. */
export const deleteSession = () => apiRequest('DELETE', '/api/session', z.unknown());

/** GET /api/auth/methods: whether the region's identity provider is configured. */
export const getAuthMethods = () => apiRequest('GET', '/api/auth/methods', AuthMethods);
