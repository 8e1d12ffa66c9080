import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AdminAccount } from '@lagesbild/shared';
import { signIn } from './support/api-client.js';
import { call, runAdminCli } from './support/admin.js';
import { startHub, type HubProcess } from './support/hub-process.js';

const PASSWORD = 'Första administratören 2026';

/**
 * `npm run admin -- …` against the embedded log in a data directory. Each test has its own
 * data directory and hub, so any one of them can run (or fail) alone.
 */
describe('the admin command-line tool on the embedded log', () => {
  let dataDir = '';
  let env: Record<string, string> = {};
  let hub: HubProcess | undefined;

  beforeEach(() => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'lagesbild-cli-'));
    env = { DATA_DIR: dataDir, ADMIN_PASSWORD: PASSWORD, DEMO_ACCOUNTS: 'false' };
  });

  afterEach(async () => {
    await hub?.kill();
    hub = undefined;
    rmSync(dataDir, { recursive: true, force: true });
  });

  const startHubOnDataDir = () => startHub({ dataDir, env: { DEMO_ACCOUNTS: 'false' } });

  it('bootstraps the first admin, who can then sign in to a hub started on that log', async () => {
    const created = await runAdminCli(
      ['bootstrap-admin', '--username', 'chef', '--name', 'Chefen Admin', '--actor', 'lansstyrelsen'],
      env,
    );
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toContain('Created admin chef');
    const twice = await runAdminCli(
      ['bootstrap-admin', '--username', 'chef2', '--name', 'Two', '--actor', 'nacka'],
      env,
    );
    expect(twice.code).toBe(1);
    expect(twice.stderr).toMatch(/Refused \(conflict\): An enabled admin exists already/);

    hub = await startHubOnDataDir();
    const admin = await signIn(hub.url, 'chef', PASSWORD);
    expect(admin.session.functionIds).toEqual(['admin']);
    const accounts = AdminAccount.array().parse((await call(admin, 'GET', '/api/admin/accounts')).body.data);
    expect(accounts.map((a) => a.username)).toEqual(['chef']);
  });

  it('refuses to touch the embedded log while a hub runs, and says what to do instead', async () => {
    hub = await startHubOnDataDir();
    const refused = await runAdminCli(
      ['accounts', 'create', '--username', 'x', '--name', 'X', '--actor', 'nacka'],
      env,
    );
    expect(refused.code).toBe(75);
    expect(refused.stderr).toMatch(/in use by process \d+/);
    expect(refused.stderr).toMatch(/Stop the hub, or use the admin API/);
    expect(refused.stdout).toBe('');
  });

  it('works again once the hub stopped, even after a crash left the lock behind', async () => {
    const crashed = await startHubOnDataDir();
    await crashed.kill('SIGKILL');
    expect(existsSync(path.join(dataDir, 'hub.lock'))).toBe(true);
    const created = await runAdminCli(
      [
        'accounts',
        'create',
        '--username',
        'tib.nacka',
        '--name',
        'TiB Nacka',
        '--actor',
        'nacka',
        '--functions',
        'dutyOfficer',
      ],
      env,
    );
    expect(created.code, created.stderr).toBe(0);
    const granted = await runAdminCli(['accounts', 'grant', 'tib.nacka', 'viewer'], env);
    expect(granted.stdout).toContain('tib.nacka: dutyOfficer, viewer.');
    const bad = await runAdminCli(['accounts', 'grant', 'tib.nacka', 'wizard'], env);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('Unknown function(s): wizard');
    const phoned = await runAdminCli(['accounts', 'update', 'tib.nacka', '--phone', '070-174 06 51'], env);
    expect(phoned.stdout, phoned.stderr).toContain('tib.nacka: TiB Nacka, phone +46701740651.');
    const badPhone = await runAdminCli(['accounts', 'update', 'tib.nacka', '--phone', 'ring mig'], env);
    expect(badPhone.code).toBe(64);
    expect(badPhone.stderr).toContain('Bad --phone');
    const listed = await runAdminCli(['accounts', 'list'], env);
    expect(listed.stdout).toMatch(/tib\.nacka .*\+46701740651/);
    const unknown = await runAdminCli(['accounts', 'disable', 'nobody'], env);
    expect(unknown.code).toBe(64);
    expect(existsSync(path.join(dataDir, 'hub.lock'))).toBe(false);

    const issued = await runAdminCli(['devices', 'issue', '--name', 'Wall 1'], env);
    expect(issued.stdout).toMatch(/Pairing code: [A-HJKMNP-Z2-9]{8}/);
    const devices = await runAdminCli(['devices', 'list'], env);
    expect(devices.stdout).toMatch(/Wall 1\s+wall\s+code pending/);

    hub = await startHubOnDataDir();
    const tib = await signIn(hub.url, 'tib.nacka', PASSWORD);
    expect(tib.session.functionIds).toEqual(['dutyOfficer', 'viewer']);
  });
});
