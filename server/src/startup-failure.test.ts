import { describe, expect, it } from 'vitest';
import { DiskFullError, SeedingError, StartupError } from './hub/open-log.js';
import { startupFailure } from './startup-failure.js';

const embedded = { redis: null, dataDir: '/srv/lagesbild/data' };
const diskFullLine =
  'Lägesbild could not start: the disk holding DATA_DIR (/srv/lagesbild/data) is full; free space on it, then start the hub again';
const full = async () => true;
const roomy = async () => false;

describe('the start-up failure line', () => {
  it('names a full disk when a write said so', async () => {
    const enospc = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    expect(await startupFailure(enospc, embedded, roomy)).toBe(diskFullLine);
    expect(
      await startupFailure(new DiskFullError(embedded.dataDir, { cause: enospc }), embedded, roomy),
    ).toBe(diskFullLine);
  });

  it('names a full disk when seeding was refused and the file system is full', async () => {
    const refused = new SeedingError('Could not create the demo accounts: The event log could not confirm');
    expect(await startupFailure(refused, embedded, full)).toBe(diskFullLine);
    // With space left the refusal is shown as it is.
    expect(await startupFailure(refused, embedded, roomy)).toContain('Could not create the demo accounts');
  });

  it('shows any other failure as itself, even on a full disk', async () => {
    const badRegion = new StartupError('REGION_FILE /etc/lagesbild/region.json: actors[2].id is missing');
    const line = await startupFailure(badRegion, embedded, full);
    expect(line).toContain('actors[2].id is missing');
    expect(line).not.toContain('is full');
  });

  it('never blames the local disk of a hub whose log is in Redis', async () => {
    const refused = new SeedingError('Could not create the demo accounts: Redis is away');
    const line = await startupFailure(
      refused,
      { redis: { url: 'redis://127.0.0.1:6390' }, dataDir: '/x' },
      full,
    );
    expect(line).toContain('Redis is away');
  });
});
