import express, { type Request, type Response } from 'express';
import type { RegionConfig } from '@lagesbild/shared';
import { senderOf } from '../auth/accounts.js';
import { contactsFor } from '../directory/contacts.js';
import type { HubState } from '../hub/hub-state.js';
import type { CallerLocals } from './caller.js';
import { refuse } from './errors.js';

export type ContactRouteDeps = {
  hub: HubState;
  region: () => RegionConfig;
};

/**
 * `GET /api/contacts`: the phone numbers the signed-in person may see (see contacts.ts).
 * A wall display is refused outright: it shows a room, not one person who could call.
 */
export function contactRoutes(deps: ContactRouteDeps): express.Router {
  const router = express.Router();
  router.get('/contacts', (_req: Request, res: Response<unknown, CallerLocals>) => {
    if (res.locals.device)
      return refuse(res, { code: 'forbidden', message: 'A wall display gets no phone numbers' });
    const signedIn = res.locals.auth;
    if (!signedIn) return refuse(res, { code: 'unauthenticated', message: 'Sign in first' });
    // Personal data: no shared cache or back-forward cache may keep it.
    res.setHeader('Cache-Control', 'no-store');
    res.json({
      ok: true,
      data: contactsFor(senderOf(signedIn.account), deps.hub.state, deps.hub.directory, deps.region()),
    });
  });
  return router;
}
