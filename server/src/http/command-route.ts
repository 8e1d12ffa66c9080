import express, { type Response } from 'express';
import type { CommandCaller, CommandService } from '../hub/command-service.js';
import { requireAuth, type CallerLocals } from './caller.js';
import { refuse } from './errors.js';

type Res = Response<unknown, CallerLocals>;

/**
 * `POST /api/commands`: the HTTP side of the command gateway (hub/command-service.ts), for
 * clients without a socket. The gateway checks, throttles, handles and audits; this route
 * only turns its answer into a status and a body.
 */
export function commandRoute(commands: CommandService): express.Router {
  const router = express.Router();
  router.post('/commands', async (req, res: Res) => {
    let caller: CommandCaller;
    if (res.locals.device) caller = { kind: 'device', deviceId: res.locals.device.device.id };
    else {
      // Without a session it is refused here, unaudited, like every other API route.
      const signedIn = requireAuth(res);
      if (!signedIn) return;
      caller = { kind: 'user', userId: signedIn.account.id };
    }
    await commands.submit(caller, req.body, {
      via: 'http',
      ip: req.ip ?? null,
      answer: ({ ack, retryAfterMs }) => {
        if (ack.ok) return void res.json(ack);
        if (retryAfterMs !== null) {
          res.setHeader('Retry-After', String(Math.max(1, Math.ceil(retryAfterMs / 1000))));
        }
        refuse(res, ack.error);
      },
    });
  });
  return router;
}
