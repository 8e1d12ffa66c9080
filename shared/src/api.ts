import { z } from 'zod';
import { Slug } from './ids.js';
import { State } from './model.js';
import { RegionConfig } from './region.js';
import { StoredEventSchema } from './events.js';

/** `POST /api/session`: sign in with a local account. */
export const SignInRequest = z.strictObject({
  username: z.string().trim().min(1).max(100),
  password: z.string().min(1).max(200),
});
export type SignInRequest = z.infer<typeof SignInRequest>;

/** The header that must carry the session's CSRF token on every cookie-authenticated write. */
export const CSRF_HEADER = 'x-csrf-token';

/** The session cookie's name. */
export const SESSION_COOKIE = 'lagesbild_session';

/** Who is signed in, and what the client needs to draw the region. */
export const SessionInfo = z.strictObject({
  user: z.strictObject({ id: z.string(), username: z.string(), name: z.string() }),
  actorId: Slug,
  functionIds: z.array(Slug),
  csrfToken: z.string(),
  region: RegionConfig,
  tiles: z.strictObject({ url: z.string(), attribution: z.string() }),
});
export type SessionInfo = z.infer<typeof SessionInfo>;

/** `GET /api/state`: the caller's projection and the sequence number it reflects. */
export const StateResponse = z.strictObject({ epoch: z.string(), seq: z.number().int(), state: State });
export type StateResponse = z.infer<typeof StateResponse>;

/** `GET /api/events?after=N`: events the caller may see, and the hub's position after them. */
export const EventsResponse = z.strictObject({
  epoch: z.string(),
  events: z.array(StoredEventSchema),
  headSeq: z.number().int(),
});

/** Wraps a data schema into the `{ ok, data } | { ok, error }` envelope every answer uses. */
export const envelope = <T extends z.ZodType>(data: T) =>
  z.union([
    z.strictObject({ ok: z.literal(true), data }),
    z.strictObject({
      ok: z.literal(false),
      error: z.strictObject({ code: z.string(), message: z.string() }),
    }),
  ]);
