import { hash, verify } from '@node-rs/argon2';
import type { DirectoryAccount, DirectoryState, EventDraft, RegionConfig, Sender } from '@lagesbild/shared';

/** @node-rs/argon2's Algorithm.Argon2id; its const enum cannot be imported under verbatimModuleSyntax. */
const ARGON2ID = 2;

/** OWASP's argon2id baseline (19 MiB, 2 passes). */
const ARGON2_OPTIONS = { algorithm: ARGON2ID, memoryCost: 19_456, timeCost: 2, parallelism: 1 };

/** Hashes a password (or a device secret) with argon2id. */
export const hashPassword = (password: string): Promise<string> => hash(password, ARGON2_OPTIONS);

/** Checks a secret against an argon2 hash; a malformed hash is a mismatch. */
export const verifyHash = (passwordHash: string, password: string): Promise<boolean> =>
  verify(passwordHash, password).catch(() => false);

/**
 * A hash to verify against when the username is unknown, so that a wrong username takes
 * as long as a wrong password and does not reveal which accounts exist.
 */
let decoyHash: Promise<string> | null = null;

/** The account with this username (case-insensitive), if any. */
export function findAccountByUsername(
  directory: DirectoryState,
  username: string,
): DirectoryAccount | undefined {
  const wanted = username.trim().toLowerCase();
  return Object.values(directory.accounts).find((a) => a.username.toLowerCase() === wanted);
}

/** The account if the password matches and the account is enabled; null otherwise. */
export async function verifyPassword(
  directory: DirectoryState,
  username: string,
  password: string,
): Promise<DirectoryAccount | null> {
  const account = findAccountByUsername(directory, username);
  const passwordHash = account ? directory.passwordHashes[account.id] : undefined;
  if (!account || !passwordHash) {
    decoyHash ??= hashPassword('decoy password that nobody has');
    await verifyHash(await decoyHash, password);
    return null;
  }
  const ok = await verifyHash(passwordHash, password);
  return ok && !account.disabled ? account : null;
}

/** The sender a command from this account is attributed to. */
export const senderOf = (account: DirectoryAccount): Sender => ({
  userId: account.id,
  userName: account.name,
  actorId: account.actorId,
  functionIds: account.functionIds,
});

/** The id of the demo duty officer of the lead actor; its presence means demo accounts exist. */
export const demoMarkerAccountId = (region: RegionConfig) => `dutyOfficer.${region.leadActorId}`;

/**
 * The demo accounts: a duty officer and a communicator for every actor, plus one account
 * for each other function. Usernames are `<function>.<actor>`. Directive demos need heads at several actors
 * (one decides, another co-signs), so the directing level has three: see `directingDemoActors`.
 */
export function demoAccounts(region: RegionConfig): DirectoryAccount[] {
  const lead = region.leadActorId;
  const firstMunicipality = region.actors.find((a) => a.kind === 'municipality')?.id ?? lead;
  const actorName = (id: string) => region.actors.find((a) => a.id === id)?.shortName ?? id;
  const account = (fn: string, actorId: string, title: string): DirectoryAccount => ({
    id: `${fn}.${actorId}`,
    username: `${USERNAME_PREFIX[fn] ?? fn}.${actorId}`,
    name: `${title} ${actorName(actorId)}`,
    actorId,
    functionIds: [fn],
    disabled: false,
    externalId: null,
  });
  return [
    ...region.actors.map((a, index) => withDemoPhone(account('dutyOfficer', a.id, 'TiB'), index)),
    account('coordinator', lead, 'Samordnare'),
    // Joint messages are drafted and signed off by several actors' communicators at once.
    ...region.actors.map((a) => account('communicator', a.id, 'Kommunikatör')),
    account('field', firstMunicipality, 'Fält'),
    account('viewer', lead, 'Läsare'),
    account('admin', lead, 'Administratör'),
    ...directingDemoActors(region).map((actorId) => account('directing', actorId, 'Chef')),
  ];
}

/** Directory events that create the given demo accounts (all of them by default), all with one password. */
export async function demoAccountEvents(
  region: RegionConfig,
  password: string,
  accounts: readonly DirectoryAccount[] = demoAccounts(region),
): Promise<EventDraft[]> {
  // One hash serves every demo account: they share the password, and start-up stays fast.
  const passwordHash = await hashPassword(password);
  return accounts.flatMap((a): EventDraft[] => [
    { type: 'account.saved', payload: { account: a } },
    { type: 'account.passwordSet', payload: { accountId: a.id, passwordHash } },
  ]);
}

/**
 * The actors whose heads are demo accounts: the lead actor, the health region and the
 * municipality the region is named after (Stockholms stad in Stockholm), or the first
 * municipality in a region without one of that name.
 */
export function directingDemoActors(region: RegionConfig): string[] {
  // A region file without the directing function gets no heads: they could not sign in.
  if (!region.functions.some((f) => f.id === 'directing')) return [];
  const municipalities = region.actors.filter((a) => a.kind === 'municipality');
  const named = municipalities.find((a) => a.id === region.id) ?? municipalities[0];
  const health = region.actors.find((a) => a.kind === 'healthRegion');
  return [...new Set([region.leadActorId, health?.id, named?.id].filter((id) => id !== undefined))];
}

/**
 * PTS keeps 070-174 06 05 … 070-174 06 99 for films, books and demos: nobody answers them,
 * so a demo duty officer's number can be shown and dialled without reaching a real person.
 */
const FICTION_NUMBER_FIRST = 46_701_740_605;
const FICTION_NUMBER_COUNT = 95;

/** The demo duty officers get the fiction numbers in the region's order, while they last. */
function withDemoPhone(account: DirectoryAccount, index: number): DirectoryAccount {
  if (index >= FICTION_NUMBER_COUNT) return account;
  return { ...account, phone: `+${FICTION_NUMBER_FIRST + index}` };
}

const USERNAME_PREFIX: Record<string, string> = {
  dutyOfficer: 'tib',
  coordinator: 'samordnare',
  communicator: 'kommunikator',
  field: 'falt',
  viewer: 'lasare',
  directing: 'chef',
};
