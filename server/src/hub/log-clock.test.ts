import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { parseRedisTime, processClock, watchLogClock, type LogClock } from './log-clock.js';

/** A logger whose lines the test reads back. */
function recordingLogger() {
  const lines: { level: number; msg: string; clockSkewMs?: number }[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as (typeof lines)[number]);
      done();
    },
  });
  return { logger: pino({ level: 'debug' }, sink), lines };
}

const TEN_MINUTES = 600_000;
const LOG_NOW = Date.parse('2024-05-01T08:00:00.000Z');

describe('the log clock', () => {
  let clock: LogClock | undefined;
  afterEach(() => clock?.stop());

  it("gives a hub ten minutes fast the log's time, and says how far off it is", async () => {
    const { logger, lines } = recordingLogger();
    clock = await watchLogClock({
      readLogTime: async () => LOG_NOW,
      localNow: () => LOG_NOW + TEN_MINUTES,
      logger,
    });
    expect(clock.now()).toBe(LOG_NOW);
    expect(clock.skewMs()).toBe(TEN_MINUTES);
    const warning = lines.find((l) => l.level === 40);
    expect(warning).toMatchObject({ clockSkewMs: TEN_MINUTES });
    expect(warning?.msg).toContain("differs from the log's");
  });

  it('stays quiet within the bound', async () => {
    const { logger, lines } = recordingLogger();
    clock = await watchLogClock({
      readLogTime: async () => LOG_NOW,
      localNow: () => LOG_NOW - 1500,
      logger,
    });
    expect(clock.skewMs()).toBe(-1500);
    expect(lines.filter((l) => l.level >= 40)).toEqual([]);
  });

  it('keeps the last offset when the log cannot be read, and tries again', async () => {
    const { logger } = recordingLogger();
    let reachable = false;
    let local = LOG_NOW + 5000;
    clock = await watchLogClock({
      readLogTime: async () => {
        if (!reachable) throw new Error('ECONNREFUSED');
        return local - 5000;
      },
      localNow: () => local,
      logger,
      everyMs: 10,
    });
    // Not measured yet: the hub's own clock, and no skew to show.
    expect(clock.skewMs()).toBeNull();
    expect(clock.now()).toBe(local);
    reachable = true;
    await expect.poll(() => clock?.skewMs(), { timeout: 5000 }).toBe(5000);
    local += 1000;
    expect(clock.now()).toBe(local - 5000);
  });

  it('gives up a reading that is not answered, so the next one can be made', async () => {
    const { logger } = recordingLogger();
    let answer = false;
    clock = await watchLogClock({
      readLogTime: () => (answer ? Promise.resolve(LOG_NOW) : new Promise<number>(() => undefined)),
      localNow: () => LOG_NOW + 3000,
      logger,
      everyMs: 50,
    });
    expect(clock.skewMs()).toBeNull();
    answer = true;
    await expect.poll(() => clock?.skewMs(), { timeout: 10_000 }).toBe(3000);
  });

  it('is the process clock for the embedded journal, which stamps with it', () => {
    const embedded = processClock(() => LOG_NOW);
    expect(embedded.now()).toBe(LOG_NOW);
    expect(embedded.skewMs()).toBe(0);
  });

  it("reads Redis TIME's seconds and microseconds, and refuses anything else", () => {
    expect(parseRedisTime(['1714550400', '123456'])).toBe(1714550400123);
    expect(() => parseRedisTime(['x', '1'])).toThrow(/integers/);
    expect(() => parseRedisTime('OK')).toThrow(/two numbers/);
  });
});
