import { randomUUID } from 'node:crypto';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedis, type RedisServer } from '../../../test/support/redis-server.js';
import { RedisSessionStore, TOUCH_EVERY_MS, type RedisSessionCommand } from './sessions.js';

const HOUR = 3600_000;
const life = { ttlMs: 12 * HOUR, idleMs: HOUR };
const T0 = Date.now();
/** What the sessions in these tests were opened with. */
const RIGHTS = { actorId: 'nacka', functionIds: ['dutyOfficer'] };
/** Late enough after sign-in that a lookup also touches the session. */
const TOUCH_TIME = T0 + TOUCH_EVERY_MS + 1;

let redis: RedisServer;
/** One connection per hub, as two hubs sharing a Redis have; closed at the end. */
const closers: (() => Promise<unknown>)[] = [];
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  for (const close of closers) await close();
  await redis.stop();
});

async function connection(): Promise<RedisSessionCommand> {
  const client = createClient({ url: redis.url });
  await client.connect();
  closers.push(() => client.close());
  return (args) => client.sendCommand(args);
}

/** Two hubs' session stores on one Redis, and a third connection to look at the keys. */
async function twoHubs() {
  const prefix = `t-${randomUUID().slice(0, 8)}:`;
  const [sendA, sendB, look] = await Promise.all([connection(), connection(), connection()]);
  const sessionKeys = async () => {
    const keys = await look(['KEYS', `${prefix}session:*`]);
    return Array.isArray(keys) ? keys.map(String) : [];
  };
  return {
    prefix,
    sendA,
    hubA: new RedisSessionStore(sendA, prefix, life),
    hubB: new RedisSessionStore(sendB, prefix, life),
    look,
    sessionKeys,
    /** Keys of sessions that Redis would never expire. */
    keysWithoutExpiry: async () => {
      const ttls = await Promise.all((await sessionKeys()).map((key) => look(['PTTL', key])));
      return ttls.filter((ttl) => ttl === -1).length;
    },
  };
}

describe('sessions in Redis', () => {
  it('revokes the sessions opened with rights the account no longer holds, and no others', async () => {
    const { hubA, hubB } = await twoHubs();
    const dutyOfficer = await hubA.create('anna', T0, RIGHTS);
    const viewer = await hubA.create('anna', T0, { actorId: 'nacka', functionIds: ['viewer'] });
    const before = await hubA.create('anna', T0, { actorId: 'nacka', functionIds: [] });
    const account = { id: 'anna', actorId: 'nacka', functionIds: ['viewer', 'communicator'] };
    expect(await hubB.revokeWithoutRights(account)).toBe(1);
    expect(await hubB.revokeWithoutRights(account)).toBe(0);
    expect(await hubA.get(dutyOfficer.token, T0)).toBeNull();
    expect(await hubA.get(viewer.token, T0)).not.toBeNull();
    expect(await hubA.get(before.token, T0)).not.toBeNull();
    expect(await hubB.revokeWithoutRights({ ...account, actorId: 'solna' })).toBe(2);
  });

  it('keeps the actor and functions a session was opened with, for every hub to check', async () => {
    const { hubA, hubB } = await twoHubs();
    const { token } = await hubB.create('anna', T0, RIGHTS);
    expect(await hubA.get(token, T0)).toMatchObject({ userId: 'anna', openedWith: RIGHTS });
  });

  it('does not undo a sign-out when another hub touches the session in between', async () => {
    const { prefix, sendA, hubB, look } = await twoHubs();
    const { token, session } = await hubB.create('anna', T0, RIGHTS);
    // Hub A reads the session; before it writes the touch back, hub B signs it out.
    const interleaved: RedisSessionCommand = async (args) => {
      const reply = await sendA(args);
      if (args[0] === 'GET') await hubB.delete(session.id);
      return reply;
    };
    const hubA = new RedisSessionStore(interleaved, prefix, life);
    await hubA.get(token, TOUCH_TIME);
    expect(await look(['EXISTS', `${prefix}session:${session.id}`])).toBe(0);
    expect(await hubB.get(token, TOUCH_TIME)).toBeNull();
  });

  it('keeps sign-outs signed out through 200 races of a touch and a sign-out on two hubs', async () => {
    const { hubA, hubB, sessionKeys, keysWithoutExpiry } = await twoHubs();
    for (let round = 0; round < 200; round++) {
      const { token, session } = await hubA.create('anna', T0, RIGHTS);
      await Promise.all([hubA.get(token, TOUCH_TIME), hubB.delete(session.id)]);
      expect(await hubB.get(token, TOUCH_TIME), `round ${round}`).toBeNull();
      expect(await keysWithoutExpiry(), `round ${round}`).toBe(0);
    }
    expect(await sessionKeys()).toEqual([]);
  });

  it('keeps the absolute expiry when a session is touched', async () => {
    const { hubA, hubB, look, prefix } = await twoHubs();
    const { token, session } = await hubA.create('anna', T0, RIGHTS);
    expect(await hubB.get(token, TOUCH_TIME)).not.toBeNull();
    const ttl = await look(['PTTL', `${prefix}session:${session.id}`]);
    expect(typeof ttl === 'number' && ttl > 11 * HOUR).toBe(true);
  });

  it('revokes an account’s sessions made on any hub, for good, and nobody else’s', async () => {
    const { hubA, hubB } = await twoHubs();
    const phone = await hubA.create('anna', T0, RIGHTS);
    const laptop = await hubB.create('anna', T0, RIGHTS);
    const bo = await hubA.create('bo', T0, RIGHTS);
    const wall = await hubA.createForDevice('wall-1', T0);
    // Every hub folds the same directory event and revokes; the second finds nothing left.
    expect(await hubA.revokeAccount('anna', T0 + 1)).toBe(2);
    expect(await hubB.revokeAccount('anna', T0 + 1)).toBe(0);
    for (const store of [hubA, hubB]) {
      expect(await store.get(phone.token, T0)).toBeNull();
      expect(await store.get(laptop.token, T0)).toBeNull();
      expect(await store.get(bo.token, T0)).not.toBeNull();
      expect(await store.get(wall.token, T0)).not.toBeNull();
    }
  });

  it('spares a session opened at or after the revocation time', async () => {
    const { hubA, hubB } = await twoHubs();
    const early = await hubA.create('anna', T0, RIGHTS);
    const late = await hubB.create('anna', T0 + 10_000, RIGHTS);
    expect(await hubA.revokeAccount('anna', T0 + 10_000)).toBe(1);
    expect(await hubA.get(early.token, T0 + 10_000)).toBeNull();
    expect(await hubA.get(late.token, T0 + 10_000)).not.toBeNull();
  });

  it('keeps an account’s index no larger than its live sessions, and expiring', async () => {
    const { hubA, look, prefix } = await twoHubs();
    for (let n = 0; n < 5; n++) {
      const { session } = await hubA.create('anna', T0, RIGHTS);
      await hubA.delete(session.id);
    }
    await hubA.create('anna', T0, RIGHTS);
    const index = `${prefix}account-sessions:anna`;
    expect(await look(['SCARD', index])).toBe(1);
    const ttl = await look(['PTTL', index]);
    expect(typeof ttl === 'number' && ttl > 0).toBe(true);
  });

  it('refuses and deletes a session whose stored value is not a session', async () => {
    const { hubA, look, prefix } = await twoHubs();
    const { token, session } = await hubA.create('anna', T0, RIGHTS);
    const key = `${prefix}session:${session.id}`;
    await look(['SET', key, '{"userId":', 'KEEPTTL']);
    expect(await hubA.get(token, T0)).toBeNull();
    expect(await look(['EXISTS', key])).toBe(0);
  });
});
