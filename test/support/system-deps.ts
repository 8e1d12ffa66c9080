import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/**
 * Runs before `npm test`: the system tests need Debian's redis-server, chromium and nginx.
 * Missing ones are installed when we are root with apt; otherwise we stop with the exact
 * command to run — never a silent skip.
 */
const needed = [
  { binary: '/usr/bin/redis-server', pkg: 'redis-server' },
  { binary: '/usr/bin/chromium', pkg: 'chromium' },
  { binary: '/usr/sbin/nginx', pkg: 'nginx' },
];

const missing = needed.filter((n) => !existsSync(n.binary)).map((n) => n.pkg);
if (missing.length > 0) {
  const command = `apt-get update && apt-get install -y --no-install-recommends ${missing.join(' ')}`;
  const isRoot = process.getuid?.() === 0;
  const hasApt = spawnSync('which', ['apt-get']).status === 0;
  if (!isRoot || !hasApt) {
    console.error(`The tests need: ${missing.join(', ')}. Install them first:\n\n  sudo ${command}\n`);
    process.exit(1);
  }
  console.log(`Installing ${missing.join(', ')} for the system tests…`);
  execFileSync('bash', ['-c', command], {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
}
