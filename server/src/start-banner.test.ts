import { stockholmRegion } from '@lagesbild/shared/test-factories';
import { describe, expect, it } from 'vitest';
import { startBanner } from './start-banner.js';

const facts = {
  publicUrl: 'http://localhost:8080',
  listeningUrl: 'http://127.0.0.1:8080',
  region: stockholmRegion(),
  logKind: 'journal',
  headSeq: 12,
};

describe('the start banner', () => {
  it('lists the three front ends with their addresses', () => {
    const banner = startBanner({ ...facts, demoPassword: 'lagesbild-demo' });
    expect(banner).toContain('http://localhost:8080/        ');
    expect(banner).toContain('http://localhost:8080/wall ');
    expect(banner).toContain('http://localhost:8080/phone ');
  });

  it('tells how to pair a wall through the admin API while the hub runs, as the demo administrator', () => {
    const banner = startBanner({ ...facts, demoPassword: 'lagesbild-demo' });
    expect(banner).toContain('"username":"admin.lansstyrelsen","password":"lagesbild-demo"');
    expect(banner).toContain('http://localhost:8080/api/admin/devices');
    expect(banner).toContain('x-csrf-token: $TOKEN');
    expect(banner).toContain('/wall?pair=<code>');
    expect(banner).not.toMatch(/stop the hub|npm run admin/i);
  });

  it('names the heads who decide directives at Länsstyrelsen, Region Stockholm and Stockholms stad', () => {
    const banner = startBanner({ ...facts, demoPassword: 'lagesbild-demo' });
    expect(banner).toMatch(/chef\.lansstyrelsen +directing level .*Länsstyrelsen/);
    expect(banner).toMatch(/chef\.region-stockholm +directing level .*Region Stockholm/);
    expect(banner).toMatch(/chef\.stockholm +directing level .*Stockholm/);
  });

  it('names no password when there are no demo accounts', () => {
    const banner = startBanner({ ...facts, demoPassword: null });
    expect(banner).not.toContain('lagesbild-demo');
    expect(banner).not.toContain('Demo logins');
    expect(banner).toContain('"username":"<admin username>","password":"<password>"');
  });
});
