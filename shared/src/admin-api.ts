import { z } from 'zod';
import { DirectiveTemplate } from './directive-model.js';
import { DEVICE_VIEWS, DirectoryAccount, DirectoryDevice, PhoneNumberInput } from './directory.js';
import { IsoTime, Slug, Uuid } from './ids.js';
import { ACTOR_KINDS, Actor, RegionConfig } from './region.js';
import { LatLng } from './geo.js';
import { SafeActorId, SafeUsername } from './look-alike.js';

/**
 * The administration contract (docs/api.md, "Administration"): request bodies of the admin
 * API, the hand-over, device pairing, and the audit trail. The hub, the CLI and a future
 * admin UI use the same schemas, so a body the UI builds is one the hub accepts.
 */

/** Shortest password the hub accepts for a local account. */
export const MIN_PASSWORD_LENGTH = 12;

/**
 * A new account's sign-in name: lower-case a–z, digits and `._@-` (look-alike.ts says why);
 * sign-in compares names case-insensitively.
 */
export const Username = SafeUsername;

/** A new password (hashed with argon2id before it reaches the log). */
export const NewPassword = z
  .string()
  .min(MIN_PASSWORD_LENGTH, `must be at least ${MIN_PASSWORD_LENGTH} characters`)
  .max(200);

const PersonName = z.string().trim().min(1).max(200);
const FunctionIds = z.array(Slug).max(20);

/** `POST /api/admin/accounts`: a person's account with an initial password. */
export const CreateAccountRequest = z.strictObject({
  username: Username,
  name: PersonName,
  actorId: Slug,
  functionIds: FunctionIds,
  password: NewPassword,
  /** Where the person can be called; normalised to E.164. */
  phone: PhoneNumberInput.optional(),
});
export type CreateAccountRequest = z.infer<typeof CreateAccountRequest>;

/** `PATCH /api/admin/accounts/:id`, with at least one of the fields. */
export const UpdateAccountRequest = z
  .strictObject({
    name: PersonName.optional(),
    actorId: Slug.optional(),
    functionIds: FunctionIds.optional(),
    disabled: z.boolean().optional(),
    password: NewPassword.optional(),
    /** A new phone number, or null to remove it. */
    phone: PhoneNumberInput.nullable().optional(),
  })
  .refine((body) => Object.keys(body).length > 0, 'name at least one field to change');
export type UpdateAccountRequest = z.infer<typeof UpdateAccountRequest>;

/** An account as the admin API shows it: never a password hash. */
export const AdminAccount = DirectoryAccount.extend({ hasPassword: z.boolean() });
export type AdminAccount = z.infer<typeof AdminAccount>;

/** `POST /api/admin/actors`: a member organisation that is not in the region file. */
export const CreateActorRequest = Actor.extend({ id: SafeActorId });
export type CreateActorRequest = z.infer<typeof CreateActorRequest>;

/** `PATCH /api/admin/actors/:id`, with at least one of the fields. */
export const UpdateActorRequest = z
  .strictObject({
    name: z.string().min(1).max(200).optional(),
    shortName: z.string().min(1).max(60).optional(),
    kind: z.enum(ACTOR_KINDS).optional(),
    home: LatLng.optional(),
  })
  .refine((body) => Object.keys(body).length > 0, 'name at least one field to change');
export type UpdateActorRequest = z.infer<typeof UpdateActorRequest>;

/** An actor and where it comes from: the region file, or an administrator. */
export const AdminActor = Actor.extend({ source: z.enum(['region', 'directory']) });
export type AdminActor = z.infer<typeof AdminActor>;

/** `POST /api/admin/devices`: a wall display to pair. */
export const IssueDeviceRequest = z.strictObject({
  name: z.string().trim().min(1).max(200),
  views: z.array(z.enum(DEVICE_VIEWS)).min(1).max(DEVICE_VIEWS.length),
});
export type IssueDeviceRequest = z.infer<typeof IssueDeviceRequest>;

/** A device as the admin API shows it. */
export const AdminDevice = DirectoryDevice.extend({
  /** Whether a display has paired with it (and holds its secret). */
  paired: z.boolean(),
  /** When its pending pairing code stops working; null when none is pending. */
  pairingExpiresAt: IsoTime.nullable(),
});
export type AdminDevice = z.infer<typeof AdminDevice>;

/** The answer to issuing a device or a new pairing code: the code is shown only here. */
export const DevicePairing = z.strictObject({
  device: AdminDevice,
  pairingCode: z.string(),
  /** `/wall?pair=<code>` on the hub's public URL: opening it on the display pairs it. */
  pairingLink: z.string(),
  expiresAt: IsoTime,
});
export type DevicePairing = z.infer<typeof DevicePairing>;

/** Letters and digits of pairing codes: no 0/O, 1/I/L, which are misread on a wall. */
export const PAIRING_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
/** Characters in a pairing code. */
export const PAIRING_CODE_LENGTH = 8;
/** How long a pairing code works after it is issued. */
export const PAIRING_CODE_TTL_MS = 15 * 60_000;

/** `POST /api/devices/pair`: the code as typed; case, spaces and dashes do not matter. */
export const PairDeviceRequest = z.strictObject({
  code: z
    .string()
    .max(40)
    .transform((code) => code.replace(/[\s-]/g, '').toUpperCase())
    .pipe(z.string().length(PAIRING_CODE_LENGTH)),
});
export type PairDeviceRequest = z.infer<typeof PairDeviceRequest>;

/** `GET /api/device`: what a paired display needs to draw the region. */
export const DeviceInfo = z.strictObject({
  device: z.strictObject({ id: z.string(), name: z.string(), views: z.array(z.enum(DEVICE_VIEWS)) }),
  csrfToken: z.string(),
  region: RegionConfig,
  tiles: z.strictObject({ url: z.string(), attribution: z.string() }),
});
export type DeviceInfo = z.infer<typeof DeviceInfo>;

/**
 * Where a prepared directive in `GET /api/admin/directive-templates` comes from: the region
 * file as it is, the region file's changed in the app, the region file's removed in the app
 * (listed so it can be restored), or saved only in the app.
 */
export const TEMPLATE_ORIGINS = ['region', 'changed', 'removed', 'app'] as const;
export type TemplateOrigin = (typeof TEMPLATE_ORIGINS)[number];

/** A prepared directive as the admin API lists it. */
export const AdminDirectiveTemplate = z.strictObject({
  /** For `removed`, the region file's version, which saving again restores. */
  template: DirectiveTemplate,
  origin: z.enum(TEMPLATE_ORIGINS),
  /** When, and by whom, it was last saved or removed in the app; null if never. */
  savedAt: IsoTime.nullable(),
  savedBy: z.string().nullable(),
  /** The seq of that saving or removal, which saving over it names (`baseSeq`); null if never. */
  seq: z.number().int().nonnegative().nullable(),
});
export type AdminDirectiveTemplate = z.infer<typeof AdminDirectiveTemplate>;

/**
 * `PUT /api/admin/directive-templates/:id`: the whole template. The id is the path's; one in
 * the body must be the same. The hub parses it as the `directiveTemplate.save` command.
 */
export const SaveDirectiveTemplateRequest = DirectiveTemplate.extend({
  id: DirectiveTemplate.shape.id.optional(),
});
export type SaveDirectiveTemplateRequest = z.infer<typeof SaveDirectiveTemplateRequest>;

/** `POST /api/handover`: hand a function over to another account of the same actor. */
export const HandoverRequest = z.strictObject({
  functionId: Slug,
  toAccountId: z.string().min(1).max(100),
  /** Whose function it is; only an admin may name someone else. Default: the caller. */
  fromAccountId: z.string().min(1).max(100).optional(),
  note: z.string().trim().max(500).default(''),
});
export type HandoverRequest = z.infer<typeof HandoverRequest>;

/**
 * An account in the answer to a hand-over, as a duty officer who is no admin may see it:
 * no phone number (those leave the hub through `GET /api/contacts` only), no password facts.
 */
export const HandoverAccount = DirectoryAccount.pick({
  id: true,
  name: true,
  actorId: true,
  functionIds: true,
});
export type HandoverAccount = z.infer<typeof HandoverAccount>;

/** `POST /api/handover`'s answer: both accounts as they are after the hand-over. */
export const HandoverResponse = z.strictObject({ from: HandoverAccount, to: HandoverAccount });
export type HandoverResponse = z.infer<typeof HandoverResponse>;

/** The header carrying an optional idempotency key (a UUID) on admin writes. */
export const IDEMPOTENCY_HEADER = 'idempotency-key';
/** An idempotency key: a retried write with the same key changes nothing twice. */
export const IdempotencyKey = Uuid;

/** What an audit record is about. */
export const AUDIT_KINDS = ['command', 'signIn', 'signOut', 'admin', 'handover', 'device'] as const;

/**
 * One line of the audit trail: who, for which actor and function, when, from where, what,
 * and the outcome (`ok` or an error code). Never report text or secrets.
 */
export const AuditRecord = z.strictObject({
  at: IsoTime,
  kind: z.enum(AUDIT_KINDS),
  /** The command type, or the action (`account.create`, `device.pair`, …). */
  type: z.string().max(100),
  /** The command id or idempotency key, when there is one. */
  id: z.string().max(100).nullable(),
  userId: z.string().max(100).nullable(),
  deviceId: z.string().max(100).nullable(),
  actorId: z.string().max(64).nullable(),
  functionId: z.string().max(64).nullable(),
  /** What the action was about: an account, device or actor id, or a username tried. */
  target: z.string().max(200).nullable(),
  ip: z.string().max(100).nullable(),
  via: z.enum(['http', 'socket', 'cli']),
  hubId: z.string().max(200),
  outcome: z.string().max(40),
  /** A short note (a hand-over's note); never report text. */
  note: z.string().max(500).nullable(),
});
export type AuditRecord = z.infer<typeof AuditRecord>;

/** `GET /api/admin/audit`: filters, newest `limit` records in time order, and the format. */
export const AuditQuery = z.strictObject({
  from: IsoTime.optional(),
  to: IsoTime.optional(),
  userId: z.string().max(100).optional(),
  actorId: z.string().max(64).optional(),
  outcome: z.string().max(40).optional(),
  type: z.string().max(100).optional(),
  limit: z.coerce.number().int().min(1).max(100_000).default(1000),
  format: z.enum(['json', 'ndjson', 'csv']).default('json'),
});
export type AuditQuery = z.infer<typeof AuditQuery>;
