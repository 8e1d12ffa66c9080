import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';

/**
 * A signed-in browser or client. The token itself is only in the cookie. A paired wall
 * display's session has its `deviceId` and an empty `userId`, which names no account, so
 * every check for a person refuses it.
 */
export const Session = z.strictObject({
  userId: z.string(),
  deviceId: z.string().optional(),
  /**
   * The actor and functions the person held at sign-in. A session is refused once its
   * account no longer holds them (see `stillHoldsRights`): a change made while the hub was
   * not running, with the admin tool, leaves no event for the hub to act on when it
   * happens. Missing on a display's session, and on sessions stored before this was kept.
   */
  openedWith: z.strictObject({ actorId: z.string(), functionIds: z.array(z.string()) }).optional(),
  csrfToken: z.string(),
  createdAt: z.number(),
  lastSeenAt: z.number(),
});
export type Session = z.infer<typeof Session> & { id: string };

/**
 * Sessions are stored under a hash of the token, so a dump of the store does not hand
 * out valid cookies. `id` is that hash; it names the session in rooms and logs.
 */
export const sessionIdOf = (token: string): string => createHash('sha256').update(token).digest('base64url');

/** Where sessions live: a file under DATA_DIR for one hub, Redis when several hubs share them. */
export interface SessionStore {
  /** A person's session, remembering the rights it was opened with. */
  create(
    userId: string,
    now: number,
    openedWith: SessionRights,
  ): Promise<{ token: string; session: Session }>;
  /** A session of a paired wall display. */
  createForDevice(deviceId: string, now: number): Promise<{ token: string; session: Session }>;
  /** The session for a cookie token, if it exists and has neither expired nor idled out. */
  get(token: string, now: number): Promise<Session | null>;
  delete(sessionId: string): Promise<void>;
  /**
   * Deletes every session of an account opened before `openedBefore` (ms), for good:
   * enabling the account again does not bring them back. Revoking twice changes nothing,
   * so every hub may do it when it folds the directory event. Resolves to how many it deleted.
   */
  revokeAccount(userId: string, openedBefore: number): Promise<number>;
  /**
   * Deletes an account's sessions opened with an actor or a function it no longer holds
   * (see `stillHoldsRights`). Run at start for every account, for changes made while the
   * hub was stopped. Resolves to how many it deleted.
   */
  revokeWithoutRights(account: SessionRights & { id: string }): Promise<number>;
  /** Finishes pending writes and lets go of files and connections. */
  close(): Promise<void>;
}

/** The actor and functions a person's session was opened with. */
export type SessionRights = { actorId: string; functionIds: readonly string[] };

/**
 * Whether an account still holds everything a session was opened with: the same actor
 * and every function. A function gained keeps the session (the receiving side of a
 * hand-over stays signed in), as the live effects of a directory change do.
 */
export function stillHoldsRights(
  session: Pick<Session, 'openedWith'>,
  account: { actorId: string; functionIds: readonly string[] },
): boolean {
  const opened = session.openedWith;
  if (!opened) return true;
  return (
    opened.actorId === account.actorId &&
    opened.functionIds.every((functionId) => account.functionIds.includes(functionId))
  );
}

/** How long a session may live in all, and without being used. */
export type Lifetimes = { ttlMs: number; idleMs: number };

/** Whether a stored session has neither reached its absolute lifetime nor idled out. */
export const isLive = (s: z.infer<typeof Session>, now: number, life: Lifetimes): boolean =>
  now - s.createdAt < life.ttlMs && now - s.lastSeenAt < life.idleMs;

/** Touching on every request would write on every request; once a minute is enough for idling. */
export const TOUCH_EVERY_MS = 60_000;

/** Whose a new session is: a person's, opened with their rights, or a paired display's. */
export type SessionOwner = { userId: string; openedWith: SessionRights } | { deviceId: string };

/** A fresh session: its cookie token and what is stored (under the token's hash). */
export const newSession = (owner: SessionOwner, now: number) => ({
  token: randomBytes(32).toString('base64url'),
  data: {
    ...('deviceId' in owner
      ? { userId: '', deviceId: owner.deviceId }
      : {
          userId: owner.userId,
          openedWith: { actorId: owner.openedWith.actorId, functionIds: [...owner.openedWith.functionIds] },
        }),
    csrfToken: randomBytes(24).toString('base64url'),
    createdAt: now,
    lastSeenAt: now,
  },
});

/** One raw Redis command (node-redis `sendCommand`). */
export type RedisSessionCommand = (args: string[]) => Promise<unknown>;

/**
 * Stores a person's session and names it in the account's index, in one step. The index
 * lives as long as the newest session in it could, and loses the names of sessions that
 * are gone, so it stays as small as the account's live sessions. (The session keys are
 * built from ARGV: fine on one Redis, which is what the hubs use, not on a cluster.)
 * KEYS: session, index. ARGV: session JSON, ttl ms, session id, session key prefix.
 */
const CREATE_SCRIPT = `
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
for _, id in ipairs(redis.call('SMEMBERS', KEYS[2])) do
  if redis.call('EXISTS', ARGV[4] .. id) == 0 then redis.call('SREM', KEYS[2], id) end
end
redis.call('SADD', KEYS[2], ARGV[3])
redis.call('PEXPIRE', KEYS[2], ARGV[2])
return 1`;

/**
 * Deletes an account's sessions opened before a time, atomically with respect to
 * sign-ins and touches. A session that cannot be read is deleted too: when in doubt, out.
 * KEYS: index. ARGV: session key prefix, openedBefore ms. Returns how many were deleted.
 */
const REVOKE_ACCOUNT_SCRIPT = `
local revoked = 0
for _, id in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  local raw = redis.call('GET', ARGV[1] .. id)
  if not raw then
    redis.call('SREM', KEYS[1], id)
  else
    local ok, session = pcall(cjson.decode, raw)
    if not ok or type(session) ~= 'table' or type(session.createdAt) ~= 'number'
      or session.createdAt < tonumber(ARGV[2]) then
      redis.call('DEL', ARGV[1] .. id)
      redis.call('SREM', KEYS[1], id)
      revoked = revoked + 1
    end
  end
end
return revoked`;

/**
 * Deletes an account's sessions opened with another actor or with a function the account
 * no longer holds (the same rule as `stillHoldsRights`); an unreadable one goes too.
 * KEYS: index. ARGV: session key prefix, the account's actor id, its function ids as JSON.
 * Returns how many were deleted.
 */
const REVOKE_WITHOUT_RIGHTS_SCRIPT = `
local held = {}
for _, functionId in ipairs(cjson.decode(ARGV[3])) do held[functionId] = true end
local revoked = 0
for _, id in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  local raw = redis.call('GET', ARGV[1] .. id)
  if not raw then
    redis.call('SREM', KEYS[1], id)
  else
    local ok, session = pcall(cjson.decode, raw)
    local stale = not ok or type(session) ~= 'table'
    if not stale and type(session.openedWith) == 'table' then
      local opened = session.openedWith
      if opened.actorId ~= ARGV[2] or type(opened.functionIds) ~= 'table' then
        stale = true
      else
        for _, functionId in ipairs(opened.functionIds) do
          if not held[functionId] then stale = true end
        end
      end
    end
    if stale then
      redis.call('DEL', ARGV[1] .. id)
      redis.call('SREM', KEYS[1], id)
      revoked = revoked + 1
    end
  end
end
return revoked`;

const RevokedCount = z.number().int().nonnegative();

/** Sessions in Redis, shared by every hub; Redis expires them after the absolute lifetime. */
export class RedisSessionStore implements SessionStore {
  constructor(
    private readonly send: RedisSessionCommand,
    private readonly prefix: string,
    private readonly life: Lifetimes,
  ) {}

  private key(id: string) {
    return `${this.sessionPrefix()}${id}`;
  }

  private sessionPrefix() {
    return `${this.prefix}session:`;
  }

  private indexKey(userId: string) {
    return `${this.prefix}account-sessions:${userId}`;
  }

  create(userId: string, now: number, openedWith: SessionRights) {
    return this.openSession({ userId, openedWith }, now);
  }

  createForDevice(deviceId: string, now: number) {
    return this.openSession({ deviceId }, now);
  }

  private async openSession(owner: SessionOwner, now: number) {
    const { token, data } = newSession(owner, now);
    const { userId } = data;
    const id = sessionIdOf(token);
    const json = JSON.stringify(data);
    const ttl = String(Math.ceil(this.life.ttlMs));
    // A display's session names no account, so no account index holds it.
    if (userId === '') await this.send(['SET', this.key(id), json, 'PX', ttl]);
    else
      await this.send([
        'EVAL',
        CREATE_SCRIPT,
        '2',
        this.key(id),
        this.indexKey(userId),
        json,
        ttl,
        id,
        this.sessionPrefix(),
      ]);
    return { token, session: { ...data, id } };
  }

  async get(token: string, now: number) {
    const id = sessionIdOf(token);
    const raw = await this.send(['GET', this.key(id)]);
    if (typeof raw !== 'string') return null;
    const parsed = Session.safeParse(parseJson(raw));
    if (!parsed.success || !isLive(parsed.data, now, this.life)) {
      await this.send(['DEL', this.key(id)]);
      return null;
    }
    const data = parsed.data;
    if (now - data.lastSeenAt > TOUCH_EVERY_MS) {
      data.lastSeenAt = now;
      // XX: only while the key still exists. A plain SET after this GET would bring back a
      // session that another hub signed out in between, and without an expiry (KEEPTTL of
      // a missing key is none).
      await this.send(['SET', this.key(id), JSON.stringify(data), 'XX', 'KEEPTTL']);
    }
    return { ...data, id };
  }

  async delete(sessionId: string) {
    await this.send(['DEL', this.key(sessionId)]);
  }

  async revokeAccount(userId: string, openedBefore: number) {
    if (userId === '') return 0;
    const reply = await this.send([
      'EVAL',
      REVOKE_ACCOUNT_SCRIPT,
      '1',
      this.indexKey(userId),
      this.sessionPrefix(),
      String(Math.floor(openedBefore)),
    ]);
    return RevokedCount.parse(reply);
  }

  async revokeWithoutRights(account: SessionRights & { id: string }) {
    if (account.id === '') return 0;
    const reply = await this.send([
      'EVAL',
      REVOKE_WITHOUT_RIGHTS_SCRIPT,
      '1',
      this.indexKey(account.id),
      this.sessionPrefix(),
      account.actorId,
      JSON.stringify(account.functionIds),
    ]);
    return RevokedCount.parse(reply);
  }

  async close() {
    // The connection belongs to the side stores, which close it.
  }
}

/** JSON from a store, or undefined when it is not JSON (so the schema refuses it). */
export function parseJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return undefined;
  }
}
