import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/**
 * Runs before `npm test` and each test layer (`pretest`, `pretest:unit`, …). It checks the
 * Node version against package.json's `engines`, then the Debian packages the tests start:
 * redis-server (the server's unit tests too), chromium and nginx (system tests and the fault
 * battery), libxml2-utils (xmllint, for the CAP schema test). Missing ones are installed when
 * we are root with apt; otherwise we stop with the exact command to run — never a silent skip.
 * CI gets its packages this way too, so a broken step here fails CI.
 *
 * Arguments name the packages a layer needs (`tsx test/support/system-deps.ts redis-server`);
 * without any, all of them.
 */
const PACKAGES = [
  { binary: '/usr/bin/redis-server', pkg: 'redis-server' },
  { binary: '/usr/bin/chromium', pkg: 'chromium' },
  { binary: '/usr/sbin/nginx', pkg: 'nginx' },
  { binary: '/usr/bin/faketime', pkg: 'faketime' },
  // xmllint validates the CAP alerts of joint messages against OASIS's schema.
  { binary: '/usr/bin/xmllint', pkg: 'libxml2-utils' },
];

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** `>=20.19` from package.json, as [20, 19, 0]; the only form `engines.node` uses here. */
function requiredNode(): { range: string; minimum: number[] } {
  const manifest = z
    .object({ engines: z.object({ node: z.string() }) })
    .parse(JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')));
  const range = manifest.engines.node;
  const match = /^>=\s*(\d+)(?:\.(\d+))?(?:\.(\d+))?$/.exec(range.trim());
  if (!match) throw new Error(`package.json engines.node should read ">=MAJOR.MINOR", found "${range}"`);
  return { range, minimum: match.slice(1).map((part) => Number(part ?? 0)) };
}

function checkNode(): void {
  const { range, minimum } = requiredNode();
  const actual = process.versions.node.split('.').map(Number);
  for (let i = 0; i < 3; i++) {
    const have = actual[i] ?? 0;
    const need = minimum[i] ?? 0;
    if (have > need) return;
    if (have < need) {
      console.error(
        `The tests need Node ${range} (package.json "engines"); this is Node ${process.versions.node}.\n` +
          `Install a newer Node 20 or later and run the tests again.\n`,
      );
      process.exit(1);
    }
  }
}

function checkPackages(wanted: string[]): void {
  const unknown = wanted.filter((name) => !PACKAGES.some((p) => p.pkg === name));
  if (unknown.length > 0) {
    console.error(
      `system-deps: unknown package(s) ${unknown.join(', ')}; known: ${PACKAGES.map((p) => p.pkg).join(', ')}`,
    );
    process.exit(1);
  }
  const needed = wanted.length > 0 ? PACKAGES.filter((p) => wanted.includes(p.pkg)) : PACKAGES;
  const missing = needed.filter((n) => !existsSync(n.binary)).map((n) => n.pkg);
  if (missing.length === 0) return;
  const command = `apt-get update && apt-get install -y --no-install-recommends ${missing.join(' ')}`;
  const isRoot = process.getuid?.() === 0;
  const hasApt = spawnSync('which', ['apt-get']).status === 0;
  if (!isRoot || !hasApt) {
    console.error(`The tests need: ${missing.join(', ')}. Install them first:\n\n  sudo ${command}\n`);
    process.exit(1);
  }
  console.log(`Installing ${missing.join(', ')} for the tests…`);
  execFileSync('bash', ['-c', command], {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  const stillMissing = needed.filter((n) => !existsSync(n.binary));
  if (stillMissing.length > 0) {
    console.error(`apt-get finished, but ${stillMissing.map((n) => n.binary).join(', ')} is still missing.`);
    process.exit(1);
  }
}

checkNode();
checkPackages(process.argv.slice(2));
