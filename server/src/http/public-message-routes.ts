import express, { type Request, type Response } from 'express';
import {
  capAlertXml,
  capCancelXml,
  capSender,
  type CapContext,
  type JointMessage,
  type MunicipalAreas,
  type RegionConfig,
  type State,
} from '@lagesbild/shared';
import type { HubState } from '../hub/hub-state.js';
import type { EventLog } from '../log/event-log.js';
import { refuse } from './errors.js';
import { messagesAtomFeed } from './message-feed.js';
import type { TokenBuckets } from './rate-limits.js';

export type PublicMessageRouteDeps = {
  hub: HubState;
  log: EventLog;
  region: () => RegionConfig;
  /** The municipal borders read at start (`MUNICIPALITIES_FILE`), for CAP areas. */
  municipalities: MunicipalAreas;
  /** Public reads per client address: anyone may ask, so anyone could flood. */
  limiter: TokenBuckets;
};

/** A version in the path: decimal digits only, so `1e3`, `0x1` and `-1` are refused, not guessed. */
const VERSION_PATTERN = /^[1-9]\d{0,8}$/;

/**
 * A reader may keep an answer a minute: the public sees a new version or a withdrawal soon
 * enough, and a flood of readers behind a cache costs the hub one request a minute.
 */
const PUBLIC_CACHE = 'public, max-age=60';

/** A refusal is not to be kept: a draft asked for now may be agreed a minute later. */
const noStore = (res: Response) => res.setHeader('Cache-Control', 'no-store');

const notFound = (res: Response, message: string) => {
  noStore(res);
  refuse(res, { code: 'not_found', message });
};

/** The message with that id; own keys only, so `constructor` or `__proto__` find nothing. */
const messageById = (state: Pick<State, 'jointMessages'>, id: string): JointMessage | undefined =>
  Object.hasOwn(state.jointMessages, id) ? state.jointMessages[id] : undefined;

/** ASCII letters and digits of a headline for a file name: "Stormvarning: stanna inne" → "stormvarning-stanna-inne". */
function fileNamePart(text: string): string {
  const ascii = text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
  return ascii || 'budskap';
}

/**
 * The public side of joint messages, readable without signing in (issue 14):
 * - `GET /api/public/messages/:messageId/versions/:version/cap.xml`: the CAP 1.2 alert of an
 *   agreed version;
 * - `GET /api/public/messages/:messageId/cancel/cap.xml`: the CAP `Cancel` of a withdrawn message;
 * - `GET /api/public/messages.atom`: the region's agreed public messages as Atom.
 * Drafts are never served: a version that is not agreed is "not found", as an unknown one is.
 * Everything comes from the folded state, so every hub answers the same bytes at the same
 * log position.
 */
export function publicMessageRoutes(deps: PublicMessageRouteDeps): express.Router {
  const { hub, log, region, municipalities, limiter } = deps;
  const router = express.Router();

  /** Rate limit and log health, before any work. False when the request was answered. */
  const mayRead = (req: Request, res: Response): boolean => {
    const taken = limiter.take(req.ip ?? 'unknown');
    if (!taken.ok) {
      res.setHeader('Retry-After', String(Math.ceil(taken.retryAfterMs / 1000)));
      noStore(res);
      refuse(res, { code: 'rate_limited', message: 'Too many requests; wait a moment' });
      return false;
    }
    if (log.lostReason() !== null) {
      // The picture of a lost log may be another log's past: not for the public either.
      noStore(res);
      refuse(res, {
        code: 'log_unavailable',
        message: 'This server cannot vouch for its messages right now',
      });
      return false;
    }
    return true;
  };

  // What the alert is about comes from the versions themselves (the incident as it was when
  // each was saved), so only the region is added here.
  const contextFor = (message: JointMessage): CapContext => {
    const current = region();
    return {
      message,
      region: { id: current.id, name: current.name },
      sender: capSender(current.id),
      municipalities,
    };
  };

  const sendCap = (res: Response, xml: string, fileName: string) => {
    res.attachment(fileName);
    res.setHeader('Content-Type', 'application/cap+xml; charset=utf-8');
    res.setHeader('Cache-Control', PUBLIC_CACHE);
    res.send(xml);
  };

  router.get('/public/messages/:messageId/versions/:version/cap.xml', (req, res) => {
    if (!mayRead(req, res)) return;
    const { messageId, version } = req.params;
    if (!VERSION_PATTERN.test(version)) {
      noStore(res);
      return refuse(res, { code: 'bad_request', message: 'The version must be a whole number from 1 up' });
    }
    const message = messageById(hub.state, messageId);
    const context = message ? contextFor(message) : null;
    const xml = context ? capAlertXml(context, Number(version)) : null;
    if (!message || xml === null)
      return notFound(res, `No agreed version ${version} of message ${messageId}`);
    const headline =
      message.versions.find((v) => v.version === Number(version))?.content.texts.sv.headline ?? '';
    sendCap(res, xml, `${fileNamePart(headline)}-v${version}.cap.xml`);
  });

  router.get('/public/messages/:messageId/cancel/cap.xml', (req, res) => {
    if (!mayRead(req, res)) return;
    const { messageId } = req.params;
    const message = messageById(hub.state, messageId);
    const context = message ? contextFor(message) : null;
    const xml = context ? capCancelXml(context) : null;
    if (!message || xml === null)
      return notFound(res, `Message ${messageId} has not been withdrawn after agreement`);
    const headline = message.versions.findLast((v) => v.agreedAt !== null)?.content.texts.sv.headline ?? '';
    sendCap(res, xml, `${fileNamePart(headline)}-aterkallat.cap.xml`);
  });

  router.get('/public/messages.atom', (req, res) => {
    if (!mayRead(req, res)) return;
    res.setHeader('Content-Type', 'application/atom+xml; charset=utf-8');
    res.setHeader('Cache-Control', PUBLIC_CACHE);
    res.send(messagesAtomFeed(hub.state, region()));
  });

  return router;
}
