import {
  ADMIN_FUNCTION,
  PHONE_NUMBER_HINT,
  SafeActorId,
  Username,
  fail,
  geometryProblem,
  lookAlikeOf,
  normalisePhoneNumber,
  ownEntry,
  succeed,
  type LatLng,
  type Actor,
  type DirectoryAccount,
  type DirectoryDevice,
  type Decision,
  type DirectoryState,
  type EventDraft,
  type RegionConfig,
} from '@lagesbild/shared';

/**
 * Pure decisions on the directory, like `decide` for the domain: given the directory and
 * the region (with the directory's actors laid over the file's), a change becomes a
 * `Decision` of the same shape as `decide`'s: events, or a refusal a person can read. Hashing and ids happen before, in the caller, so these
 * stay deterministic and table-testable.
 */

/** A decision's refusal, which the checks below return for the decision to pass on. */
type Refusal = Extract<Decision, { ok: false }>;

/** Whether an account may administer: enabled and holding the admin function. */
export const isAdmin = (account: DirectoryAccount | undefined): boolean =>
  account !== undefined && !account.disabled && account.functionIds.includes(ADMIN_FUNCTION);

const enabledAdmins = (accounts: Iterable<DirectoryAccount>): number => {
  let count = 0;
  for (const account of accounts) if (isAdmin(account)) count++;
  return count;
};

/**
 * A new username as stored (lower case), or why it cannot be had: outside the safe character set, taken, or so like an
 * existing one (`tib.nacka` and `tib.nаcka`, `tib.n0cka`…) that people would mistake them.
 */
function checkUsername(directory: DirectoryState, wanted: string): Refusal | string {
  const username = wanted.trim().toLowerCase();
  const existing = Object.values(directory.accounts).map((a) => a.username);
  const same = existing.find((other) => other.toLowerCase() === username.toLowerCase());
  if (same !== undefined) return fail('conflict', `The username "${username}" is taken`);
  const safe = Username.safeParse(username);
  if (!safe.success) {
    return fail(
      'bad_request',
      `The username "${username}" ${safe.error.issues[0]?.message ?? 'is not allowed'}`,
    );
  }
  const lookAlike = lookAlikeOf(username, existing);
  if (lookAlike !== undefined) {
    return fail(
      'conflict',
      `The username "${username}" looks like the existing "${lookAlike}"; choose another`,
    );
  }
  return username;
}

function checkActorAndFunctions(
  region: RegionConfig,
  actorId: string,
  functionIds: readonly string[],
): Refusal | null {
  if (!region.actors.some((a) => a.id === actorId)) {
    return fail('bad_request', `Unknown actor "${actorId}"`);
  }
  const known = new Set(region.functions.map((f) => f.id));
  const unknown = functionIds.filter((f) => !known.has(f));
  if (unknown.length > 0) return fail('bad_request', `Unknown function(s): ${unknown.join(', ')}`);
  if (new Set(functionIds).size !== functionIds.length) {
    return fail('bad_request', 'A function is listed twice');
  }
  return null;
}

/**
 * A phone number as the directory keeps it: E.164, or a refusal that says which forms are
 * understood. The admin API normalises already; the CLI and older callers may not have.
 */
function checkPhone(typed: string): { ok: true; phone: string } | Refusal {
  const phone = normalisePhoneNumber(typed);
  return phone === null
    ? fail('bad_request', `"${typed.slice(0, 40)}" ${PHONE_NUMBER_HINT}`)
    : { ok: true, phone };
}

/**
 * Saves changed accounts unless that would leave the region without an enabled admin
 * (nobody could then administer it except through the command-line tool).
 */
function saveAccounts(directory: DirectoryState, changed: DirectoryAccount[]): Decision {
  const after = new Map(Object.entries(directory.accounts));
  for (const account of changed) after.set(account.id, account);
  if (enabledAdmins(Object.values(directory.accounts)) > 0 && enabledAdmins(after.values()) === 0) {
    return fail('conflict', 'This would leave no enabled admin; make another account admin first');
  }
  return succeed(changed.map((account): EventDraft => ({ type: 'account.saved', payload: { account } })));
}

export type NewAccount = {
  id: string;
  username: string;
  name: string;
  actorId: string;
  functionIds: string[];
  /** An argon2id hash; null for an account that signs in only through the identity provider. */
  passwordHash: string | null;
  /** Where the person can be called, in any form `normalisePhoneNumber` understands. */
  phone?: string | undefined;
};

/** Creates an account: the id and the username must be new, the actor and functions known. */
export function decideCreateAccount(
  directory: DirectoryState,
  region: RegionConfig,
  input: NewAccount,
): Decision {
  if (ownEntry(directory.accounts, input.id)) return fail('conflict', `Account ${input.id} exists already`);
  const username = checkUsername(directory, input.username);
  if (typeof username !== 'string') return username;
  const problem = checkActorAndFunctions(region, input.actorId, input.functionIds);
  if (problem) return problem;
  const phone = input.phone === undefined ? undefined : checkPhone(input.phone);
  if (phone && !phone.ok) return phone;
  const account: DirectoryAccount = {
    id: input.id,
    username,
    name: input.name,
    actorId: input.actorId,
    functionIds: input.functionIds,
    disabled: false,
    externalId: null,
    ...(phone ? { phone: phone.phone } : {}),
  };
  const events: EventDraft[] = [{ type: 'account.saved', payload: { account } }];
  if (input.passwordHash !== null) {
    events.push({
      type: 'account.passwordSet',
      payload: { accountId: input.id, passwordHash: input.passwordHash },
    });
  }
  return succeed(events);
}

/** Creates the first admin; refused once an enabled admin exists. */
export function decideBootstrapAdmin(
  directory: DirectoryState,
  region: RegionConfig,
  input: Omit<NewAccount, 'functionIds'>,
): Decision {
  if (enabledAdmins(Object.values(directory.accounts)) > 0) {
    return fail(
      'conflict',
      'An enabled admin exists already; use it, or `accounts create` and `accounts grant`',
    );
  }
  if (!region.functions.some((f) => f.id === ADMIN_FUNCTION)) {
    return fail('bad_request', `The region config has no "${ADMIN_FUNCTION}" function`);
  }
  return decideCreateAccount(directory, region, { ...input, functionIds: [ADMIN_FUNCTION] });
}

export type AccountChange = {
  name?: string | undefined;
  actorId?: string | undefined;
  functionIds?: string[] | undefined;
  disabled?: boolean | undefined;
  /** An argon2id hash of the new password. */
  passwordHash?: string | undefined;
  /** A new phone number (any form `normalisePhoneNumber` understands), or null to remove it. */
  phone?: string | null | undefined;
};

/** Changes an account; only what differs becomes an event, so a repeated change adds nothing. */
export function decideUpdateAccount(
  directory: DirectoryState,
  region: RegionConfig,
  accountId: string,
  change: AccountChange,
): Decision {
  const current = ownEntry(directory.accounts, accountId);
  if (!current) return fail('not_found', `No account ${accountId}`);
  const phone = typeof change.phone === 'string' ? checkPhone(change.phone) : null;
  if (phone && !phone.ok) return phone;
  const { phone: currentPhone, ...withoutPhone } = current;
  const keptPhone = change.phone === null ? undefined : (phone?.phone ?? currentPhone);
  const next: DirectoryAccount = {
    ...withoutPhone,
    name: change.name ?? current.name,
    actorId: change.actorId ?? current.actorId,
    functionIds: change.functionIds ?? current.functionIds,
    disabled: change.disabled ?? current.disabled,
    ...(keptPhone === undefined ? {} : { phone: keptPhone }),
  };
  const problem = checkActorAndFunctions(region, next.actorId, next.functionIds);
  // An account whose actor left the region may still be renamed or disabled.
  if (problem && (change.actorId !== undefined || change.functionIds !== undefined)) return problem;
  const events: EventDraft[] = [];
  if (JSON.stringify(next) !== JSON.stringify(current)) {
    const saved = saveAccounts(directory, [next]);
    if (!saved.ok) return saved;
    events.push(...saved.data);
  }
  if (change.passwordHash !== undefined) {
    events.push({ type: 'account.passwordSet', payload: { accountId, passwordHash: change.passwordHash } });
  }
  return succeed(events);
}

/** Adds (`grant`) or removes (`revoke`) one function of an account. */
export function decideGrant(
  directory: DirectoryState,
  region: RegionConfig,
  accountId: string,
  functionId: string,
  grant: boolean,
): Decision {
  const current = ownEntry(directory.accounts, accountId);
  if (!current) return fail('not_found', `No account ${accountId}`);
  const without = current.functionIds.filter((f) => f !== functionId);
  return decideUpdateAccount(directory, region, accountId, {
    functionIds: grant ? [...without, functionId] : without,
  });
}

export type Handover = {
  functionId: string;
  fromAccountId: string;
  toAccountId: string;
  /** The account asking; only an admin may hand over someone else's function. */
  byAccountId: string;
};

/**
 * Moves a function from the person going off shift to one coming on, within one actor.
 * If the receiver holds the function already, the giver just stops holding it.
 */
export function decideHandover(directory: DirectoryState, region: RegionConfig, input: Handover): Decision {
  const by = ownEntry(directory.accounts, input.byAccountId);
  if (input.byAccountId !== input.fromAccountId && !isAdmin(by)) {
    return fail('forbidden', 'Only an admin may hand over somebody else’s function');
  }
  const from = ownEntry(directory.accounts, input.fromAccountId);
  if (!from) return fail('not_found', `No account ${input.fromAccountId}`);
  const to = ownEntry(directory.accounts, input.toAccountId);
  // A function stays with its actor. Another actor's account gets the same answer as one
  // that does not exist, so a duty officer cannot probe which accounts other actors have.
  if (!to || to.actorId !== from.actorId) {
    return fail(
      'not_found',
      `No account ${input.toAccountId} at the same actor to hand the function over to`,
    );
  }
  if (from.id === to.id) return fail('bad_request', 'Hand the function over to somebody else');
  if (!from.functionIds.includes(input.functionId)) {
    return fail('conflict', `${from.name} does not hold the function "${input.functionId}"`);
  }
  if (to.disabled) return fail('conflict', `${to.name}'s account is disabled`);
  if (!region.functions.some((f) => f.id === input.functionId)) {
    return fail('bad_request', `Unknown function "${input.functionId}"`);
  }
  const changed: DirectoryAccount[] = [
    { ...from, functionIds: from.functionIds.filter((f) => f !== input.functionId) },
  ];
  if (!to.functionIds.includes(input.functionId)) {
    changed.push({ ...to, functionIds: [...to.functionIds, input.functionId] });
  }
  return saveAccounts(directory, changed);
}

/** Adds an actor that is not in the region yet. */
export function decideCreateActor(region: RegionConfig, actor: Actor): Decision {
  if (region.actors.some((a) => a.id === actor.id))
    return fail('conflict', `Actor ${actor.id} exists already`);
  const safe = SafeActorId.safeParse(actor.id);
  if (!safe.success) {
    return fail(
      'bad_request',
      `The actor id "${actor.id}" ${safe.error.issues[0]?.message ?? 'is not allowed'}`,
    );
  }
  const lookAlike = lookAlikeOf(
    actor.id,
    region.actors.map((a) => a.id),
  );
  if (lookAlike !== undefined) {
    return fail(
      'conflict',
      `The actor id "${actor.id}" looks like the existing "${lookAlike}"; choose another`,
    );
  }
  const badHome = homeProblem(region, actor.home);
  if (badHome) return badHome;
  return succeed([{ type: 'actor.saved', payload: { actor } }]);
}

/** An actor's home is drawn on the region's map, so it must lie in the region. */
function homeProblem(region: RegionConfig, home: LatLng): Refusal | null {
  const problem = geometryProblem({ type: 'Point', coordinates: [home.lng, home.lat] }, region.bounds);
  return problem === null ? null : fail('bad_request', `The actor's home ${problem}`);
}

/** Changes an actor of the region (from the file or added later); its id stays. */
export function decideUpdateActor(
  region: RegionConfig,
  actorId: string,
  change: Partial<Omit<Actor, 'id'>>,
): Decision {
  const current = region.actors.find((a) => a.id === actorId);
  if (!current) return fail('not_found', `No actor ${actorId}`);
  const actor: Actor = { ...current, ...definedOnly(change), id: actorId };
  if (JSON.stringify(actor) === JSON.stringify(current)) return succeed([]);
  const badHome = change.home && homeProblem(region, change.home);
  if (badHome) return badHome;
  return succeed([{ type: 'actor.saved', payload: { actor } }]);
}

export type NewDevice = {
  id: string;
  name: string;
  views: DirectoryDevice['views'];
  createdAt: string;
  credential: string;
};

/** Issues a wall display with a pending pairing credential. */
export function decideIssueDevice(directory: DirectoryState, input: NewDevice): Decision {
  if (ownEntry(directory.devices, input.id)) return fail('conflict', `Device ${input.id} exists already`);
  const device: DirectoryDevice = {
    id: input.id,
    name: input.name,
    views: input.views,
    createdAt: input.createdAt,
    revokedAt: null,
  };
  return succeed([
    { type: 'device.saved', payload: { device } },
    { type: 'device.credentialSet', payload: { deviceId: input.id, secretHash: input.credential } },
  ]);
}

/** Replaces a device's credential (a new pairing code); refused for a revoked device. */
export function decideDeviceCredential(
  directory: DirectoryState,
  deviceId: string,
  credential: string,
): Decision {
  const device = ownEntry(directory.devices, deviceId);
  if (!device) return fail('not_found', `No device ${deviceId}`);
  if (device.revokedAt !== null) return fail('conflict', `Device ${device.name} is revoked; issue a new one`);
  return succeed([{ type: 'device.credentialSet', payload: { deviceId, secretHash: credential } }]);
}

/**
 * Consumes a pairing code: the device's credential becomes the paired display's secret.
 * Refused when the credential changed since the code was checked (the code was used, on
 * this hub or another), which makes every code work once.
 */
export function decidePairDevice(
  directory: DirectoryState,
  deviceId: string,
  checkedCredential: string,
  secretCredential: string,
): Decision {
  const device = ownEntry(directory.devices, deviceId);
  if (!device || device.revokedAt !== null) return fail('unauthenticated', 'Unknown or expired pairing code');
  if (ownEntry(directory.deviceSecretHashes, deviceId) !== checkedCredential) {
    return fail('unauthenticated', 'Unknown or expired pairing code');
  }
  return succeed([{ type: 'device.credentialSet', payload: { deviceId, secretHash: secretCredential } }]);
}

/** Revokes a device; revoking it again changes nothing. */
export function decideRevokeDevice(directory: DirectoryState, deviceId: string, now: string): Decision {
  const device = ownEntry(directory.devices, deviceId);
  if (!device) return fail('not_found', `No device ${deviceId}`);
  if (device.revokedAt !== null) return succeed([]);
  return succeed([{ type: 'device.saved', payload: { device: { ...device, revokedAt: now } } }]);
}

/** Signs a session out on every hub. */
export const decideRevokeSession = (sessionId: string): Decision =>
  succeed([{ type: 'session.revoked', payload: { sessionId } }]);

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
