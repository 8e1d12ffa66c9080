import { DeviceInfo } from '@lagesbild/shared';
import { z } from 'zod';
import { apiRequest } from '../api/http';
import { getSession } from '../api/session-api';

/** GET /api/device: the paired display's name, views, region and tiles. */
export const getDevice = () => apiRequest('GET', '/api/device', DeviceInfo);

/**
 * POST /api/devices/pair: trades a one-time pairing code for the device cookie. Like a
 * sign-in it needs no CSRF token (there is no session yet). The answer's body is not
 * needed: GET /api/device tells the rest.
 */
export const postPairing = (code: string) =>
  apiRequest('POST', '/api/devices/pair', z.unknown(), { body: { code }, csrfToken: null });

/**
 * POST /api/devices/session: a paired display renews its expired session with its device
 * cookie (httpOnly, sent only to /api/devices); 401 once the device is revoked.
 */
export const renewDeviceSession = () =>
  apiRequest('POST', '/api/devices/session', DeviceInfo, { csrfToken: null });

/** GET /api/session: a person signed in on this browser may use it as a wall too. */
export const getUserSession = getSession;
