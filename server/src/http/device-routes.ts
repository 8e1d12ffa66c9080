import express, { type Request, type RequestHandler, type Response } from 'express';
import { parse as parseCookie } from 'cookie';
import { z } from 'zod';
import {
  PairDeviceRequest,
  type DeviceInfo,
  type DirectoryDevice,
  type RegionConfig,
} from '@lagesbild/shared';
import type { AuthService, DeviceAuthenticated } from '../auth/auth-service.js';
import type { AuditTrail } from '../audit/audit-trail.js';
import type { DirectoryService } from '../directory/directory-service.js';
import type { CallerLocals } from './caller.js';
import { refuse } from './errors.js';

/** The long-lived cookie with which a paired display renews its session. */
export const DEVICE_COOKIE = 'lagesbild_device';
const DEVICE_COOKIE_PATH = '/api/devices';
/** A paired display keeps its secret for a year; revoking the device ends it sooner. */
const DEVICE_COOKIE_MAX_AGE_MS = 365 * 24 * 3600_000;

export type DeviceRouteDeps = {
  auth: AuthService;
  directory: DirectoryService;
  audit: AuditTrail;
  region: () => RegionConfig;
  tiles: { url: string; attribution: string };
  cookieSecure: boolean;
  /** Sets the session cookie exactly as sign-in does. */
  setSessionCookie: (res: Response, token: string) => void;
  /** Per-address limit on pairing attempts (shared with sign-in): codes must not be guessed. */
  pairLimit: RequestHandler;
};

type Res = Response<unknown, CallerLocals>;

const DeviceCookie = z.string().regex(/^[^.\s]{1,100}\.[A-Za-z0-9_-]{20,100}$/);

/**
 * Wall displays (docs/api.md, "Wall displays"):
 * - `POST /api/devices/pair` takes the pairing code an admin was shown and opens a read-only
 *   device session; it also sets a device cookie holding the display's own secret;
 * - `POST /api/devices/session` renews the session with that cookie, so a display on the
 *   wall for weeks does not need a new code when its session expires;
 * - `GET /api/device` tells a paired display what it is and what to draw.
 */
export function deviceRoutes(deps: DeviceRouteDeps): express.Router {
  const router = express.Router();
  const { audit } = deps;

  const deviceInfo = (auth: DeviceAuthenticated): DeviceInfo => ({
    device: { id: auth.device.id, name: auth.device.name, views: auth.device.views },
    csrfToken: auth.session.csrfToken,
    region: deps.region(),
    tiles: deps.tiles,
  });

  const openSession = async (res: Response, device: DirectoryDevice) => {
    const opened = await deps.auth.openDeviceSession(device);
    deps.setSessionCookie(res, opened.token);
    return deviceInfo(opened.auth);
  };

  const record = (req: Request, type: string, outcome: string, deviceId: string | null) =>
    audit.action({
      kind: 'device',
      type,
      who: deviceId ? { kind: 'device', deviceId } : { kind: 'anonymous' },
      origin: { ip: req.ip ?? null, via: 'http' },
      outcome,
      target: deviceId,
    });

  router.post('/devices/pair', deps.pairLimit, async (req: Request, res: Res) => {
    const body = PairDeviceRequest.safeParse(req.body);
    if (!body.success) {
      record(req, 'device.pair', 'bad_request', null);
      return refuse(res, { code: 'bad_request', message: 'Type the 8-character pairing code' });
    }
    const paired = await deps.directory.pairDevice(body.data.code);
    if (!paired.ok) {
      record(req, 'device.pair', paired.error.code, null);
      return refuse(res, paired.error);
    }
    const { device, secret } = paired.data;
    record(req, 'device.pair', 'ok', device.id);
    res.cookie(DEVICE_COOKIE, `${device.id}.${secret}`, {
      httpOnly: true,
      secure: deps.cookieSecure,
      sameSite: 'strict',
      path: DEVICE_COOKIE_PATH,
      maxAge: DEVICE_COOKIE_MAX_AGE_MS,
    });
    res.json({ ok: true, data: await openSession(res, device) });
  });

  router.post('/devices/session', deps.pairLimit, async (req: Request, res: Res) => {
    const cookie = DeviceCookie.safeParse(parseCookie(req.headers.cookie ?? '')[DEVICE_COOKIE]);
    if (!cookie.success)
      return refuse(res, { code: 'unauthenticated', message: 'This display is not paired' });
    const dot = cookie.data.indexOf('.');
    const deviceId = cookie.data.slice(0, dot);
    const device = await deps.directory.verifyDeviceSecret(deviceId, cookie.data.slice(dot + 1));
    record(req, 'device.renew', device ? 'ok' : 'unauthenticated', deviceId);
    if (!device) {
      res.clearCookie(DEVICE_COOKIE, { path: DEVICE_COOKIE_PATH });
      return refuse(res, {
        code: 'unauthenticated',
        message: 'This display is no longer paired; pair it again',
      });
    }
    res.json({ ok: true, data: await openSession(res, device) });
  });

  router.get('/device', (_req: Request, res: Res) => {
    const device = res.locals.device;
    if (!device) return refuse(res, { code: 'unauthenticated', message: 'Pair this display first' });
    res.json({ ok: true, data: deviceInfo(device) });
  });

  return router;
}
