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

/** Where sessions live: memory for one hub, Redis when several hubs share them. */
export interface SessionStore {
  create(userId: string, now: number): Promise<{ token: string; session: Session }>;
  /** A session of a paired wall display. */
  createForDevice(deviceId: string, now: number): Promise<{ token: string; session: Session }>;
  /** The session for a cookie token, if it exists and has neither expired nor idled out. */
  get(token: string, now: number): Promise<Session | null>;
  delete(sessionId: string): Promise<void>;
}

type Lifetimes = { ttlMs: number; idleMs: number };

const isLive = (s: z.infer<typeof Session>, now: number, life: Lifetimes) =>
  now - s.createdAt < life.ttlMs && now - s.lastSeenAt < life.idleMs;

/** Touching on every request would write on every request; once a minute is enough for idling. */
const TOUCH_EVERY_MS = 60_000;

const newSession = (userId: string, now: number, deviceId?: string) => ({
  token: randomBytes(32).toString('base64url'),
  data: {
    userId,
    ...(deviceId === undefined ? {} : { deviceId }),
    csrfToken: randomBytes(24).toString('base64url'),
    createdAt: now,
    lastSeenAt: now,
  },
});

/** Sessions in this process's memory. */
export class MemorySessionStore implements SessionStore {
  private readonly sessions = new Map<string, z.infer<typeof Session>>();
  constructor(private readonly life: Lifetimes) {}

  async create(userId: string, now: number, deviceId?: string) {
    const { token, data } = newSession(userId, now, deviceId);
    const id = sessionIdOf(token);
    this.sessions.set(id, data);
    return { token, session: { ...data, id } };
  }

  createForDevice(deviceId: string, now: number) {
    return this.create('', now, deviceId);
  }

  async get(token: string, now: number) {
    const id = sessionIdOf(token);
    const data = this.sessions.get(id);
    if (!data) return null;
    if (!isLive(data, now, this.life)) {
      this.sessions.delete(id);
      return null;
    }
    if (now - data.lastSeenAt > TOUCH_EVERY_MS) data.lastSeenAt = now;
    return { ...data, id };
  }

  async delete(sessionId: string) {
    this.sessions.delete(sessionId);
  }
}

/** The few Redis operations sessions need; the hub adapts its node-redis client to it. */
export interface SessionKeyValue {
  get(key: string): Promise<string | null>;
  set(key: string, value: string, ttlMs: number | 'keep'): Promise<void>;
  del(key: string): Promise<void>;
}

/** Sessions in Redis, shared by every hub; Redis expires them after the absolute lifetime. */
export class RedisSessionStore implements SessionStore {
  constructor(
    private readonly redis: SessionKeyValue,
    private readonly prefix: string,
    private readonly life: Lifetimes,
  ) {}

  private key(id: string) {
    return `${this.prefix}session:${id}`;
  }

  async create(userId: string, now: number, deviceId?: string) {
    const { token, data } = newSession(userId, now, deviceId);
    const id = sessionIdOf(token);
    await this.redis.set(this.key(id), JSON.stringify(data), this.life.ttlMs);
    return { token, session: { ...data, id } };
  }

  createForDevice(deviceId: string, now: number) {
    return this.create('', now, deviceId);
  }

  async get(token: string, now: number) {
    const id = sessionIdOf(token);
    const raw = await this.redis.get(this.key(id));
    if (raw === null) return null;
    const parsed = Session.safeParse(JSON.parse(raw));
    if (!parsed.success || !isLive(parsed.data, now, this.life)) {
      await this.redis.del(this.key(id));
      return null;
    }
    const data = parsed.data;
    if (now - data.lastSeenAt > TOUCH_EVERY_MS) {
      data.lastSeenAt = now;
      await this.redis.set(this.key(id), JSON.stringify(data), 'keep');
    }
    return { ...data, id };
  }

  async delete(sessionId: string) {
    await this.redis.del(this.key(sessionId));
  }
}
