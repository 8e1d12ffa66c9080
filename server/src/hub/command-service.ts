import {
  authorize,
  decide,
  fail,
  ownEntry,
  parseCommand,
  type AppError,
  type CommandAck,
  type RegionConfig,
  type Sender,
} from '@lagesbild/shared';
import type { Logger } from '../base/logger.js';
import { commandPayloadHash } from '../log/payload-hash.js';
import { senderOf } from '../auth/accounts.js';
import { attribution } from '../auth/attribution.js';
import { commandIds, type AuditOrigin, type AuditTrail, type AuditWho } from '../audit/audit-trail.js';
import type { HubState } from './hub-state.js';
import type { WritePath } from './write-path.js';

/** Who sends a command, as the transport identified them (handshake or session cookie). */
export type CommandCaller =
  { kind: 'user'; userId: string } | { kind: 'device'; deviceId: string } | { kind: 'anonymous' };

/** A command's answer: the ack, and when a rate-limited sender may try again. */
export type CommandAnswer = { ack: CommandAck; retryAfterMs: number | null };

/** Where a command came in, and how to answer it there. */
export type CommandChannel = {
  via: 'socket' | 'http';
  /** The client's address: a key of the rate limit, and the audit trail's origin. */
  ip: string | null;
  /** Sends the answer. Called once, before the audit record and the log line are written. */
  answer: (answer: CommandAnswer) => void;
};

/** What the audit trail and the logs need to know about a handled command. */
export type CommandOutcome = {
  commandId: string | null;
  type: string | null;
  /** The function the command was authorised under; null when refused before that. */
  functionId: string | null;
  ack: CommandAck;
};

/** Command budgets per user and per address (http/rate-limits.ts's CommandLimiter). */
export type CommandThrottle = {
  take(userId: string, ip: string): { ok: true } | { ok: false; retryAfterMs: number };
};

export type CommandServiceOptions = {
  writes: WritePath;
  hub: HubState;
  region: () => RegionConfig;
  limiter: CommandThrottle;
  audit: AuditTrail;
  logger: Logger;
};

/** The refusal for a throttled command, over HTTP and in socket acks. */
const rateLimited = (retryAfterMs: number): AppError => ({
  code: 'rate_limited',
  message: `Too many commands; try again in ${Math.max(1, Math.ceil(retryAfterMs / 1000))} s`,
});

/**
 * The command gateway: the one way in for a command from a client, whichever transport
 * brought it (socket/socket-server.ts, http/command-route.ts). It refuses wall displays and
 * accounts that are gone or disabled, throttles each sender, parses and authorises the
 * command, hands it to the write path, answers, and only then audits and logs it.
 */
export class CommandService {
  constructor(private readonly options: CommandServiceOptions) {}

  /** Handles untrusted input from a caller; never throws, answers exactly once. */
  async submit(caller: CommandCaller, input: unknown, channel: CommandChannel): Promise<void> {
    const { hub, audit, logger } = this.options;
    const origin: AuditOrigin = { ip: channel.ip, via: channel.via };
    const refuse = (who: AuditWho, ack: CommandAck) => {
      channel.answer({ ack, retryAfterMs: null });
      audit.command(who, { ...commandIds(input), functionId: null, ack }, origin);
    };
    if (caller.kind === 'device') {
      refuse({ kind: 'device', deviceId: caller.deviceId }, fail('forbidden', 'A wall display is read-only'));
      return;
    }
    const account = caller.kind === 'user' ? ownEntry(hub.directory.accounts, caller.userId) : undefined;
    if (!account || account.disabled) {
      // A socket outlives its handshake: the account may have been disabled since.
      const who: AuditWho =
        caller.kind === 'user'
          ? { kind: 'user', userId: caller.userId, actorId: account?.actorId ?? null }
          : { kind: 'anonymous' };
      refuse(who, fail('unauthenticated', 'Sign in first'));
      return;
    }
    const taken = this.options.limiter.take(account.id, channel.ip ?? 'unknown');
    if (!taken.ok) {
      // Not audited: a flood would flood the trail too.
      channel.answer({
        ack: { ok: false, error: rateLimited(taken.retryAfterMs) },
        retryAfterMs: taken.retryAfterMs,
      });
      return;
    }
    const outcome = await this.handle(input, senderOf(account));
    // Answered first: the audit record and the log line need not delay a durable ack.
    channel.answer({ ack: outcome.ack, retryAfterMs: null });
    audit.command({ kind: 'user', userId: account.id, actorId: account.actorId }, outcome, origin);
    logger.info(
      {
        commandId: outcome.commandId,
        type: outcome.type,
        userId: account.id,
        ok: outcome.ack.ok,
        via: channel.via,
      },
      'command',
    );
  }

  /**
   * Parses, authorises and appends a command of a sender already checked; never throws.
   * The write path decides it on the state of its turn.
   */
  async handle(input: unknown, sender: Sender): Promise<CommandOutcome> {
    const parsed = parseCommand(input);
    if (!parsed.ok) {
      return { commandId: null, type: null, functionId: null, ack: fail(parsed.code, parsed.message) };
    }
    const { command } = parsed;
    const base = { commandId: command.id, type: command.type };
    const { region } = this.options;
    // Hashed once here; the log stores it with the id and compares it on a retry.
    const fingerprint = { sender: sender.userId, payloadHash: commandPayloadHash(command) };
    const right = authorize(region(), sender, command.type);
    if (!right.ok) {
      // A resend of a command the hub applied before the sender lost the right (its answer
      // was lost): the command is in the log, and the original answer says so.
      const original = await this.options.writes.originalAnswer(command.id, fingerprint);
      return { ...base, functionId: null, ack: original ?? right };
    }

    const by = attribution({ kind: 'person', person: sender, functionId: right.functionId });
    const ack = await this.options.writes.append({
      commandId: command.id,
      by,
      fingerprint,
      decide: (state, now) => decide(state, command, by, now, region()),
      alone: false,
    });
    return { ...base, functionId: right.functionId, ack };
  }
}
