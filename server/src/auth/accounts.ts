import { hash, verify } from '@node-rs/argon2';
import type { RegionConfig, Sender } from '@lagesbild/shared';

/** A local account: a person who acts for one actor in one or more functions. */
export type Account = {
  id: string;
  username: string;
  name: string;
  actorId: string;
  functionIds: string[];
  passwordHash: string;
  disabled: boolean;
};

/** @node-rs/argon2's Algorithm.Argon2id; its const enum cannot be imported under verbatimModuleSyntax. */
const ARGON2ID = 2;

/** OWASP's argon2id baseline (19 MiB, 2 passes). */
const ARGON2_OPTIONS = { algorithm: ARGON2ID, memoryCost: 19_456, timeCost: 2, parallelism: 1 };

/** Hashes a password with argon2id. */
export const hashPassword = (password: string): Promise<string> => hash(password, ARGON2_OPTIONS);

/**
 * A hash to verify against when the username is unknown, so that a wrong username takes
 * as long as a wrong password and does not reveal which accounts exist.
 */
let decoyHash: Promise<string> | null = null;

/** The accounts the hub knows. Lookups are by lower-cased username. */
export class AccountStore {
  private readonly byUsername = new Map<string, Account>();
  private readonly byId = new Map<string, Account>();

  /** Adds or replaces an account. */
  put(account: Account): void {
    this.byUsername.set(account.username.toLowerCase(), account);
    this.byId.set(account.id, account);
  }

  /** The account with this id, if any. */
  get(id: string): Account | undefined {
    return this.byId.get(id);
  }

  /** Every account, for listings. */
  all(): Account[] {
    return [...this.byId.values()];
  }

  /** The account if the password matches and the account is enabled; null otherwise. */
  async verifyPassword(username: string, password: string): Promise<Account | null> {
    const account = this.byUsername.get(username.trim().toLowerCase());
    if (!account) {
      decoyHash ??= hashPassword('decoy password that nobody has');
      await verify(await decoyHash, password).catch(() => false);
      return null;
    }
    const ok = await verify(account.passwordHash, password).catch(() => false);
    return ok && !account.disabled ? account : null;
  }
}

/** The sender a command from this account is attributed to. */
export const senderOf = (account: Account): Sender => ({
  userId: account.id,
  userName: account.name,
  actorId: account.actorId,
  functionIds: account.functionIds,
});

/**
 * Demo accounts for a newcomer: a duty officer for every actor, plus one account for each
 * other function, all with the same password. Usernames are `<function>.<actor>`.
 */
export async function demoAccounts(region: RegionConfig, password: string): Promise<Account[]> {
  // One hash serves every demo account: they share the password, and start-up stays fast.
  const passwordHash = await hashPassword(password);
  const lead = region.leadActorId;
  const firstMunicipality = region.actors.find((a) => a.kind === 'municipality')?.id ?? lead;
  const actorName = (id: string) => region.actors.find((a) => a.id === id)?.shortName ?? id;
  const account = (fn: string, actorId: string, title: string, functionIds = [fn]): Account => ({
    id: `${fn}.${actorId}`,
    username: `${shortFunction(fn)}.${actorId}`,
    name: `${title} ${actorName(actorId)}`,
    actorId,
    functionIds,
    passwordHash,
    disabled: false,
  });
  return [
    ...region.actors.map((a) => account('dutyOfficer', a.id, 'TiB')),
    account('coordinator', lead, 'Samordnare'),
    account('communicator', firstMunicipality, 'Kommunikatör'),
    account('field', firstMunicipality, 'Fält'),
    account('viewer', lead, 'Läsare'),
    account('admin', lead, 'Administratör'),
  ];
}

const shortFunction = (fn: string): string =>
  ({
    dutyOfficer: 'tib',
    coordinator: 'samordnare',
    communicator: 'kommunikator',
    field: 'falt',
    viewer: 'lasare',
  })[fn] ?? fn;
