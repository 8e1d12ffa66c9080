import { type DirectoryState, type EventDraft, initialDirectory, parseRegionConfig } from '@lagesbild/shared';
import { stockholmRegion } from '@lagesbild/shared/test-factories';
import { describe, expect, it } from 'vitest';
import { demoAccountEvents, directingDemoActors, verifyPassword } from './accounts.js';

const PASSWORD = 'lagesbild-demo';

/** The directory the seeding events make (only accounts and passwords matter here). */
function directoryOf(events: readonly EventDraft[]): DirectoryState {
  const directory = initialDirectory();
  for (const e of events) {
    if (e.type === 'account.saved') directory.accounts[e.payload.account.id] = e.payload.account;
    if (e.type === 'account.passwordSet')
      directory.passwordHashes[e.payload.accountId] = e.payload.passwordHash;
  }
  return directory;
}

describe('the demo accounts', () => {
  it('include a head at the directing level of Länsstyrelsen, Region Stockholm and Stockholms stad', async () => {
    const directory = directoryOf(await demoAccountEvents(stockholmRegion(), PASSWORD));
    for (const actorId of ['lansstyrelsen', 'region-stockholm', 'stockholm']) {
      expect(directory.accounts[`directing.${actorId}`]).toMatchObject({
        username: `chef.${actorId}`,
        actorId,
        functionIds: ['directing'],
        disabled: false,
      });
    }
    // Signing in works with the shared demo password, by the username the banner prints.
    const head = await verifyPassword(directory, 'chef.region-stockholm', PASSWORD);
    expect(head?.id).toBe('directing.region-stockholm');
  });

  it('make no heads in a region file without the directing function, since they could not sign in', () => {
    const region = stockholmRegion();
    // The rights that name only the directing function go with it.
    const rights = Object.fromEntries(
      Object.entries(region.rights).flatMap(([command, rules]) => {
        const kept = rules
          .map((rule) => ({ ...rule, functions: rule.functions.filter((f) => f !== 'directing') }))
          .filter((rule) => rule.functions.length > 0);
        return kept.length > 0 ? [[command, kept]] : [];
      }),
    );
    const withoutDirecting = parseRegionConfig({
      ...region,
      functions: region.functions.filter((f) => f.id !== 'directing'),
      rights,
    });
    expect(directingDemoActors(withoutDirecting)).toEqual([]);
  });
});
