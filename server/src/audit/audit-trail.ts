import type { AuditRecord, CommandAck } from '@lagesbild/shared';
import type { AuditHealth } from './audit-backlog.js';
import type { AuditFilter, AuditStore } from './audit-store.js';

/** Who did something: a person (with actor), a paired display, or nobody known yet. */
export type AuditWho =
  | { kind: 'user'; userId: string; actorId: string | null }
  | { kind: 'device'; deviceId: string }
  | { kind: 'anonymous' };

/** Where a request came from. */
export type AuditOrigin = { ip: string | null; via: AuditRecord['via'] };

/** An outcome as the trail writes it: `ok` or the error code. */
export const outcomeOf = (result: { ok: true } | { ok: false; error: { code: string } }): string =>
  result.ok ? 'ok' : result.error.code;

/** The id and type of a command refused before it is parsed, for the audit trail. */
export function commandIds(input: unknown): { commandId: string | null; type: string | null } {
  if (typeof input !== 'object' || input === null) return { commandId: null, type: null };
  const { id, type } = input as { id?: unknown; type?: unknown };
  return {
    commandId: typeof id === 'string' ? id.slice(0, 100) : null,
    type: typeof type === 'string' ? type.slice(0, 100) : null,
  };
}

/**
 * The audit trail: every command (accepted or refused), every sign-in attempt and every
 * administrative change, with who, actor, function, when, from where, what and the outcome.
 * It records types, ids and outcomes — never report text, passwords or codes.
 */
export class AuditTrail {
  constructor(
    private readonly store: AuditStore,
    private readonly hubId: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /**
   * A command as the command gateway handled it, with the function it was authorised under
   * (null when it was refused before that).
   */
  command(
    who: AuditWho,
    outcome: { commandId: string | null; type: string | null; functionId: string | null; ack: CommandAck },
    origin: AuditOrigin,
  ): void {
    this.record({
      kind: 'command',
      type: outcome.type ?? 'unparsed',
      id: outcome.commandId,
      functionId: outcome.functionId,
      outcome: outcomeOf(outcome.ack),
      who,
      origin,
    });
  }

  /** Any other auditable action: sign-in, sign-out, an admin change, a pairing. */
  action(entry: {
    kind: AuditRecord['kind'];
    type: string;
    who: AuditWho;
    origin: AuditOrigin;
    outcome: string;
    id?: string | null;
    functionId?: string | null;
    target?: string | null;
    note?: string | null;
  }): void {
    this.record(entry);
  }

  query(filter: AuditFilter): Promise<AuditRecord[]> {
    return this.store.query(filter);
  }

  /** Records waiting to be written and records lost, for `/readyz`. */
  health(): AuditHealth {
    return this.store.health();
  }

  close(): Promise<void> {
    return this.store.close();
  }

  private record(entry: {
    kind: AuditRecord['kind'];
    type: string;
    who: AuditWho;
    origin: AuditOrigin;
    outcome: string;
    id?: string | null | undefined;
    functionId?: string | null | undefined;
    target?: string | null | undefined;
    note?: string | null | undefined;
  }): void {
    const { who } = entry;
    this.store.append({
      at: this.now().toISOString(),
      kind: entry.kind,
      type: entry.type.slice(0, 100),
      id: entry.id?.slice(0, 100) ?? null,
      userId: who.kind === 'user' ? who.userId : null,
      deviceId: who.kind === 'device' ? who.deviceId : null,
      actorId: who.kind === 'user' ? who.actorId : null,
      functionId: entry.functionId ?? null,
      target: entry.target?.slice(0, 200) ?? null,
      ip: entry.origin.ip,
      via: entry.origin.via,
      hubId: this.hubId,
      outcome: entry.outcome.slice(0, 40),
      note: entry.note?.slice(0, 500) || null,
    });
  }
}
