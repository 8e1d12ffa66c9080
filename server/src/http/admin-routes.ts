import { randomUUID } from 'node:crypto';
import express, { type NextFunction, type Request, type Response } from 'express';
import { z } from 'zod';
import {
  ADMIN_FUNCTION,
  adminDirectiveTemplates,
  AuditQuery,
  CreateAccountRequest,
  CreateActorRequest,
  HandoverRequest,
  IDEMPOTENCY_HEADER,
  IdempotencyKey,
  IssueDeviceRequest,
  UpdateAccountRequest,
  UpdateActorRequest,
  type Attribution,
  type AuditRecord,
  type CommandType,
  type RegionConfig,
  type Result,
} from '@lagesbild/shared';
import { senderOf } from '../auth/accounts.js';
import { attribution } from '../auth/attribution.js';
import type { Authenticated } from '../auth/auth-service.js';
import type { AuditTrail } from '../audit/audit-trail.js';
import { toCsv, toNdjson } from '../audit/audit-export.js';
import { isAdmin } from '../directory/decide-directory.js';
import type { DirectoryService } from '../directory/directory-service.js';
import type { CommandService } from '../hub/command-service.js';
import type { HubState } from '../hub/hub-state.js';
import type { CallerLocals } from './caller.js';
import { refuse } from './errors.js';

export type AdminRouteDeps = {
  directory: DirectoryService;
  audit: AuditTrail;
};

/** What the prepared-directive routes need beyond the directory: the state, and the command gateway. */
export type AdminTemplateDeps = {
  commands: CommandService;
  hub: HubState;
  region: () => RegionConfig;
};

type Res = Response<unknown, CallerLocals>;

const badRequest = (res: Response, error: z.ZodError) =>
  refuse(res, { code: 'bad_request', message: z.prettifyError(error) });

const PathId = z.string().min(1).max(100);

/** Routes that take no body: one with fields is a mistake to refuse, not to ignore. */
const NoBody = z.strictObject({}).optional();

/** The attribution of a change a signed-in person makes in one of their functions. */
const attributionOf = (signedIn: Authenticated, functionId: string): Attribution =>
  attribution({ kind: 'person', person: senderOf(signedIn.account), functionId });

/** The optional idempotency key of a write; undefined when absent, null when malformed. */
function idempotencyKey(req: Request): string | undefined | null {
  const header = req.get(IDEMPOTENCY_HEADER);
  if (header === undefined) return undefined;
  const parsed = IdempotencyKey.safeParse(header);
  return parsed.success ? parsed.data.toLowerCase() : null;
}

/**
 * `/api/admin/…` (docs/api.md, "Administration"): actors, accounts, devices and the audit
 * trail, for holders of the admin function only. Bodies are parsed with the strict schemas
 * of shared/src/admin-api.ts; every change goes through the directory service into the
 * log, and is itself audited. CSRF is checked by the API's middleware before these run.
 */
export function adminRoutes(deps: AdminRouteDeps & AdminTemplateDeps): express.Router {
  const { directory, audit } = deps;
  const router = express.Router();

  router.use((req: Request, res: Res, next: NextFunction) => {
    const signedIn = res.locals.auth;
    if (!signedIn) return refuse(res, { code: 'unauthenticated', message: 'Sign in first' });
    if (!isAdmin(signedIn.account)) {
      audit.action({
        kind: 'admin',
        type: `admin.${req.method.toLowerCase()}`,
        who: { kind: 'user', userId: signedIn.account.id, actorId: signedIn.account.actorId },
        origin: { ip: req.ip ?? null, via: 'http' },
        outcome: 'forbidden',
        target: req.path.slice(0, 200),
      });
      return refuse(res, {
        code: 'forbidden',
        message: `Only the ${ADMIN_FUNCTION} function may administer`,
      });
    }
    next();
  });

  /**
   * Runs one change: checks the idempotency key, answers with the result, and writes the
   * audit record. `run` gets the admin's attribution and the key.
   */
  const change =
    <T>(
      type: string,
      target: (req: Request) => string | null,
      run: (req: Request, by: Attribution, key: string | undefined) => Promise<Result<T>> | Result<T>,
    ) =>
    async (req: Request, res: Res) => {
      const signedIn = res.locals.auth;
      if (!signedIn) return refuse(res, { code: 'unauthenticated', message: 'Sign in first' });
      const key = idempotencyKey(req);
      let result: Result<T>;
      if (key === null) {
        result = {
          ok: false,
          error: { code: 'bad_request', message: `${IDEMPOTENCY_HEADER} must be a UUID` },
        };
      } else {
        result = await run(req, attributionOf(signedIn, ADMIN_FUNCTION), key);
      }
      audit.action({
        kind: 'admin',
        type,
        id: key ?? null,
        who: { kind: 'user', userId: signedIn.account.id, actorId: signedIn.account.actorId },
        functionId: ADMIN_FUNCTION,
        origin: { ip: req.ip ?? null, via: 'http' },
        outcome: result.ok ? 'ok' : result.error.code,
        target: target(req),
      });
      if (result.ok) res.json(result);
      else refuse(res, result.error);
    };

  /** Parses the body (and path id) or answers 400 before anything changes. */
  const parsed =
    <S extends z.ZodType, T>(
      schema: S,
      run: (body: z.infer<S>, id: string, by: Attribution, key: string | undefined) => Promise<Result<T>>,
    ) =>
    async (req: Request, by: Attribution, key: string | undefined): Promise<Result<T>> => {
      const body = schema.safeParse(req.body);
      if (!body.success)
        return { ok: false, error: { code: 'bad_request', message: z.prettifyError(body.error) } };
      const id = PathId.safeParse(req.params.id ?? '-');
      if (!id.success) return { ok: false, error: { code: 'bad_request', message: 'Bad id in the path' } };
      return run(body.data, id.data, by, key);
    };

  const pathId = (req: Request) => (typeof req.params.id === 'string' ? req.params.id.slice(0, 100) : null);

  // --- actors ---
  router.get('/actors', (_req, res) => {
    res.json({ ok: true, data: directory.listActors() });
  });
  router.post(
    '/actors',
    change(
      'actor.create',
      (req) => (typeof req.body?.id === 'string' ? req.body.id : null),
      parsed(CreateActorRequest, (body, _id, by, key) => directory.createActor(body, by, key)),
    ),
  );
  router.patch(
    '/actors/:id',
    change(
      'actor.update',
      pathId,
      parsed(UpdateActorRequest, (body, id, by, key) => directory.updateActor(id, body, by, key)),
    ),
  );

  // --- accounts ---
  router.get('/accounts', (_req, res) => {
    res.json({ ok: true, data: directory.listAccounts() });
  });
  router.post(
    '/accounts',
    change(
      'account.create',
      (req) => (typeof req.body?.username === 'string' ? req.body.username : null),
      parsed(CreateAccountRequest, (body, _id, by, key) => directory.createAccount(body, by, key)),
    ),
  );
  router.patch(
    '/accounts/:id',
    change(
      'account.update',
      pathId,
      parsed(UpdateAccountRequest, (body, id, by, key) => directory.updateAccount(id, body, by, key)),
    ),
  );

  // --- devices ---
  router.get('/devices', (_req, res) => {
    res.json({ ok: true, data: directory.listDevices() });
  });
  router.post(
    '/devices',
    change(
      'device.issue',
      (req) => (typeof req.body?.name === 'string' ? req.body.name : null),
      parsed(IssueDeviceRequest, (body, _id, by, key) => directory.issueDevice(body, by, key)),
    ),
  );
  router.post(
    '/devices/:id/pairing-code',
    change(
      'device.pairingCode',
      pathId,
      parsed(NoBody, (_body, id, by, key) => directory.newPairingCode(id, by, key)),
    ),
  );
  router.delete(
    '/devices/:id',
    change(
      'device.revoke',
      pathId,
      parsed(NoBody, (_body, id, by, key) => directory.revokeDevice(id, by, key)),
    ),
  );

  // --- prepared directives (förberedda inriktningar) ---
  router.use('/directive-templates', directiveTemplateRoutes(deps));

  // --- audit ---
  router.get('/audit', async (req: Request, res: Res) => {
    const query = AuditQuery.safeParse(req.query);
    if (!query.success) return badRequest(res, query.error);
    const { from, to, format, ...filter } = query.data;
    const records = await audit.query({
      ...filter,
      from: from === undefined ? undefined : Date.parse(from),
      to: to === undefined ? undefined : Date.parse(to),
    });
    sendAudit(res, records, format);
  });

  return router;
}

/**
 * `/api/admin/directive-templates`: the region file's prepared directives and the app's,
 * with where each comes from. A change is the `directiveTemplate.save`, `.remove` or `.restore` command,
 * sent through the command gateway like any other: the region file's rights, the same
 * parsing, the log, and one audit record (a command record, not an admin one). The
 * idempotency key, when given, is the command's id, so a retry changes nothing twice.
 */
function directiveTemplateRoutes(deps: AdminTemplateDeps & Pick<AdminRouteDeps, 'audit'>): express.Router {
  const router = express.Router();
  router.get('/', (_req, res) => {
    res.json({ ok: true, data: adminDirectiveTemplates(deps.region(), deps.hub.state) });
  });

  /** A refusal before the command is built: audited as the gateway would have audited it. */
  const refuseAudited = (req: Request, res: Res, type: CommandType, message: string) => {
    const signedIn = res.locals.auth;
    if (signedIn) {
      deps.audit.action({
        kind: 'admin',
        type,
        who: { kind: 'user', userId: signedIn.account.id, actorId: signedIn.account.actorId },
        functionId: ADMIN_FUNCTION,
        origin: { ip: req.ip ?? null, via: 'http' },
        outcome: 'bad_request',
        target: typeof req.params.id === 'string' ? req.params.id.slice(0, 100) : null,
      });
    }
    refuse(res, { code: 'bad_request', message });
  };

  const send = async (req: Request, res: Res, type: CommandType, payload: unknown) => {
    const signedIn = res.locals.auth;
    if (!signedIn) return refuse(res, { code: 'unauthenticated', message: 'Sign in first' });
    const key = idempotencyKey(req);
    if (key === null) return refuseAudited(req, res, type, `${IDEMPOTENCY_HEADER} must be a UUID`);
    await deps.commands.submit(
      { kind: 'user', userId: signedIn.account.id },
      { id: key ?? randomUUID(), type, payload },
      {
        via: 'http',
        ip: req.ip ?? null,
        answer: ({ ack }) => (ack.ok ? void res.json(ack) : refuse(res, ack.error)),
      },
    );
  };

  // `?baseSeq=` names the app's saving the administrator edited (the listing's `seq`); none
  // for a new template or the region file's own. Saved by another administrator since: stale.
  router.put('/:id', async (req: Request, res: Res) => {
    const id = req.params.id ?? '';
    const body: unknown = req.body;
    const type = 'directiveTemplate.save';
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      return refuseAudited(req, res, type, 'The body must be the template, as an object');
    }
    if ('id' in body && body.id !== id) {
      return refuseAudited(req, res, type, `The template's id must be the path's (${id})`);
    }
    const rawBase = req.query.baseSeq;
    const baseSeq = rawBase === undefined ? null : Number(rawBase);
    if (baseSeq !== null && !(Number.isInteger(baseSeq) && baseSeq >= 0)) {
      return refuseAudited(req, res, type, 'baseSeq must be a whole number');
    }
    await send(req, res, type, { template: { ...body, id }, baseSeq });
  });
  router.delete('/:id', async (req: Request, res: Res) => {
    await send(req, res, 'directiveTemplate.remove', { templateId: req.params.id ?? '' });
  });
  router.post('/:id/restore', async (req: Request, res: Res) => {
    await send(req, res, 'directiveTemplate.restore', { templateId: req.params.id ?? '' });
  });
  return router;
}

function sendAudit(res: Response, records: AuditRecord[], format: 'json' | 'ndjson' | 'csv') {
  if (format === 'json') {
    res.json({ ok: true, data: records });
    return;
  }
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  res.setHeader('Content-Disposition', `attachment; filename="lagesbild-audit-${stamp}.${format}"`);
  res.setHeader('Cache-Control', 'no-store');
  if (format === 'csv') res.type('text/csv; charset=utf-8').send(toCsv(records));
  else res.type('application/x-ndjson; charset=utf-8').send(toNdjson(records));
}

/**
 * `POST /api/handover`: the holder of a function hands it to another account of the same
 * actor at a shift change; an admin may do it for anyone. Audited with its note.
 */
export function handoverRoute(deps: AdminRouteDeps): express.Router {
  const router = express.Router();
  router.post('/handover', async (req: Request, res: Res) => {
    const signedIn = res.locals.auth;
    if (!signedIn) return refuse(res, { code: 'unauthenticated', message: 'Sign in first' });
    const body = HandoverRequest.safeParse(req.body);
    const key = idempotencyKey(req);
    let result: Result<unknown>;
    if (!body.success) {
      result = { ok: false, error: { code: 'bad_request', message: z.prettifyError(body.error) } };
    } else if (key === null) {
      result = { ok: false, error: { code: 'bad_request', message: `${IDEMPOTENCY_HEADER} must be a UUID` } };
    } else {
      const fromAccountId = body.data.fromAccountId ?? signedIn.account.id;
      // Handing over one's own function is done in that function; an admin acts as admin.
      const functionId = fromAccountId === signedIn.account.id ? body.data.functionId : ADMIN_FUNCTION;
      result = await deps.directory.handover(
        {
          functionId: body.data.functionId,
          fromAccountId,
          toAccountId: body.data.toAccountId,
          byAccountId: signedIn.account.id,
        },
        attributionOf(signedIn, functionId),
        key,
      );
    }
    deps.audit.action({
      kind: 'handover',
      type: 'function.handover',
      id: key ?? null,
      who: { kind: 'user', userId: signedIn.account.id, actorId: signedIn.account.actorId },
      functionId: body.success ? body.data.functionId : null,
      origin: { ip: req.ip ?? null, via: 'http' },
      outcome: result.ok ? 'ok' : result.error.code,
      target: body.success
        ? `${body.data.fromAccountId ?? signedIn.account.id} -> ${body.data.toAccountId}`
        : null,
      note: body.success ? body.data.note : null,
    });
    if (result.ok) res.json(result);
    else refuse(res, result.error);
  });
  return router;
}
