import type { parseArgs } from 'node:util';
import { z } from 'zod';
import {
  ACTOR_KINDS,
  CreateActorRequest,
  IssueDeviceRequest,
  PhoneNumberInput,
  Slug,
  Username,
  type Attribution,
  type RegionConfig,
  type Result,
} from '@lagesbild/shared';
import type { DirectoryService } from './directory/directory-service.js';

/** The admin tool's help, printed for --help and after a usage mistake. */
export const USAGE = `Lägesbild administration: changes the directory in the event log, like the admin API.

Usage: npm run admin -- <command> [options]

  bootstrap-admin --username U --name N --actor A   create the first admin
  accounts list
  accounts create --username U --name N --actor A [--functions f1,f2] [--phone P]
  accounts update <account> [--name N] [--phone P|none]
  accounts disable|enable <account>
  accounts set-password <account>
  accounts grant|revoke <account> <function>
  actors list
  actors add --id ID --name N --short-name S --kind K --lat LAT --lng LNG
  devices list
  devices issue --name N [--views wall]
  devices revoke <device>
  backup DIR      a consistent backup of the log into DIR (new or empty), while hubs run
  restore DIR     the backup in DIR into an empty DATA_DIR, or an empty Redis, checked

<account> is a username or an account id. Passwords come from ADMIN_PASSWORD, or are
asked for when run in a terminal. A phone number is written +46701740605 or 070-174 06 05;
--phone none removes it. Add --json for machine-readable output.

It uses the hub's configuration (DATA_DIR, REDIS_URL, REGION_FILE, …). With Redis it works
while hubs run; they pick the change up at once. The embedded log belongs to a running
hub: stop the hub first, or use the admin API. backup and restore work while hubs run
(restore only into an empty DATA_DIR or Redis); see "Backup and restore" in the README.`;

/** A problem the person at the terminal can fix; printed without a stack trace. */
export class UsageError extends Error {}

/** The admin tool's options (see USAGE). */
export const OPTIONS = {
  username: { type: 'string' },
  name: { type: 'string' },
  actor: { type: 'string' },
  functions: { type: 'string' },
  id: { type: 'string' },
  'short-name': { type: 'string' },
  kind: { type: 'string' },
  lat: { type: 'string' },
  lng: { type: 'string' },
  views: { type: 'string' },
  phone: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** The admin tool's command line, parsed. */
export type Args = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>;

/** What a directory command needs: the directory service, who acts, the audit trail, the terminal. */
export type Context = {
  region: () => RegionConfig;
  directory: DirectoryService;
  by: Attribution;
  audit: (type: string, target: string | null, result: Result<unknown>) => void;
  json: boolean;
  password: (purpose: string) => Promise<string>;
};

/**
 * Runs one directory command (accounts, actors, devices, bootstrap-admin) through the
 * directory service, as the admin API would, and prints what it did; the exit code.
 */
export async function run(args: Args, ctx: Context): Promise<number> {
  const [group, action, ...rest] = args.positionals;
  const v = args.values;
  const { directory, by } = ctx;

  const done = (type: string, target: string | null, result: Result<unknown>, show: () => string): number => {
    ctx.audit(type, target, result);
    if (!result.ok) {
      console.error(`Refused (${result.error.code}): ${result.error.message}`);
      return 1;
    }
    console.log(ctx.json ? JSON.stringify(result.data, null, 2) : show());
    return 0;
  };
  const account = (idOrUsername: string | undefined) => {
    if (!idOrUsername) throw new UsageError('Name the account (username or id)');
    const found = directory.findAccount(idOrUsername);
    if (!found) throw new UsageError(`No account "${idOrUsername}"`);
    return found;
  };

  switch (`${group} ${group === 'bootstrap-admin' ? '' : (action ?? '')}`.trim()) {
    case 'bootstrap-admin': {
      const input = {
        username: parse(Username, v.username, '--username'),
        name: required(v.name, '--name'),
        actorId: parse(Slug, v.actor, '--actor'),
      };
      const password = await ctx.password(`the new admin ${input.username}`);
      const result = await directory.bootstrapAdmin({ ...input, password }, by);
      return done(
        'account.bootstrap',
        input.username,
        result,
        () => `Created admin ${input.username}. Sign in at the hub with that username and password.`,
      );
    }
    case 'accounts list': {
      const accounts = directory.listAccounts();
      if (ctx.json) return print(accounts);
      return table(
        ['username', 'name', 'actor', 'functions', 'phone', 'state', 'id'],
        accounts.map((a) => [
          a.username,
          a.name,
          a.actorId,
          a.functionIds.join(','),
          a.phone ?? '',
          a.disabled ? 'disabled' : 'enabled',
          a.id,
        ]),
      );
    }
    case 'accounts create': {
      const input = {
        username: parse(Username, v.username, '--username'),
        name: required(v.name, '--name'),
        actorId: parse(Slug, v.actor, '--actor'),
        functionIds: v.functions
          ? v.functions.split(',').map((f) => parse(Slug, f.trim(), '--functions'))
          : [],
        ...(v.phone === undefined ? {} : { phone: parse(PhoneNumberInput, v.phone, '--phone') }),
      };
      const password = await ctx.password(input.username);
      const result = await directory.createAccount({ ...input, password }, by);
      return done('account.create', input.username, result, () => `Created account ${input.username}.`);
    }
    case 'accounts update': {
      const target = account(rest[0]);
      const change = {
        ...(v.name === undefined ? {} : { name: required(v.name, '--name') }),
        ...(v.phone === undefined
          ? {}
          : { phone: v.phone.trim() === 'none' ? null : parse(PhoneNumberInput, v.phone, '--phone') }),
      };
      if (Object.keys(change).length === 0) throw new UsageError('Name what to change: --name or --phone');
      const result = await directory.updateAccount(target.id, change, by);
      return done('account.update', target.id, result, () =>
        result.ok ? `${target.username}: ${result.data.name}, phone ${result.data.phone ?? 'none'}.` : '',
      );
    }
    case 'accounts disable':
    case 'accounts enable': {
      const target = account(rest[0]);
      const result = await directory.updateAccount(target.id, { disabled: action === 'disable' }, by);
      return done(`account.${action}`, target.id, result, () => `${target.username}: ${action}d.`);
    }
    case 'accounts set-password': {
      const target = account(rest[0]);
      const password = await ctx.password(target.username);
      const result = await directory.updateAccount(target.id, { password }, by);
      return done('account.setPassword', target.id, result, () => `${target.username}: password set.`);
    }
    case 'accounts grant':
    case 'accounts revoke': {
      const target = account(rest[0]);
      const functionId = parse(Slug, rest[1], '<function>');
      const result = await directory.grant(target.id, functionId, action === 'grant', by);
      return done(
        `account.${action}`,
        target.id,
        result,
        () => `${target.username}: ${result.ok ? result.data.functionIds.join(', ') || 'no functions' : ''}.`,
      );
    }
    case 'actors list': {
      const actors = directory.listActors();
      if (ctx.json) return print(actors);
      return table(
        ['id', 'short name', 'kind', 'source'],
        actors.map((a) => [a.id, a.shortName, a.kind, a.source]),
      );
    }
    case 'actors add': {
      const actor = parse(
        CreateActorRequest,
        {
          id: v.id,
          name: v.name,
          shortName: v['short-name'],
          kind: v.kind,
          home: { lat: Number(v.lat), lng: Number(v.lng) },
        },
        `--id, --name, --short-name, --kind (${ACTOR_KINDS.join('|')}), --lat, --lng`,
      );
      const result = await directory.createActor(actor, by);
      return done('actor.create', actor.id, result, () => `Added actor ${actor.id}.`);
    }
    case 'devices list': {
      const devices = directory.listDevices();
      if (ctx.json) return print(devices);
      return table(
        ['id', 'name', 'views', 'state'],
        devices.map((d) => [
          d.id,
          d.name,
          d.views.join(','),
          d.revokedAt
            ? `revoked ${d.revokedAt}`
            : d.paired
              ? 'paired'
              : d.pairingExpiresAt
                ? 'code pending'
                : 'not paired',
        ]),
      );
    }
    case 'devices issue': {
      const body = parse(
        IssueDeviceRequest,
        { name: v.name, views: (v.views ?? 'wall').split(',').map((s) => s.trim()) },
        '--name and --views',
      );
      const result = await directory.issueDevice(body, by);
      return done('device.issue', result.ok ? result.data.device.id : null, result, () =>
        result.ok
          ? `Issued ${body.name} (${result.data.device.id}).\n` +
            `  Pairing code: ${result.data.pairingCode}  (valid until ${result.data.expiresAt})\n` +
            `  Or open on the display: ${result.data.pairingLink}`
          : '',
      );
    }
    case 'devices revoke': {
      const id = required(rest[0], '<device>');
      const result = await directory.revokeDevice(id, by);
      return done('device.revoke', id, result, () => `Revoked ${id}; its display is disconnected.`);
    }
    default:
      throw new UsageError(`Unknown command "${args.positionals.join(' ')}"\n\n${USAGE}`);
  }
}

function required(value: string | undefined, name: string): string {
  if (value === undefined || value.trim() === '') throw new UsageError(`Missing ${name}`);
  return value.trim();
}

function parse<S extends z.ZodType>(schema: S, value: unknown, name: string): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new UsageError(`Bad ${name}: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

function print(value: unknown): number {
  console.log(JSON.stringify(value, null, 2));
  return 0;
}

function table(header: string[], rows: string[][]): number {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  console.log([line(header), ...rows.map(line)].join('\n'));
  return 0;
}
