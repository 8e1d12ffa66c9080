import { createHash } from 'node:crypto';
import { canonicalJson } from '@lagesbild/shared';

/**
 * The hash the idempotency check stores with a command id: 128 bits of SHA-256 over the
 * canonical JSON of the command's type and parsed payload, so that key order and other
 * spellings of the same payload hash alike. Computed once per command, on the write path.
 */
export function commandPayloadHash(command: { type: string; payload: unknown }): string {
  return createHash('sha256')
    .update(canonicalJson({ type: command.type, payload: command.payload }))
    .digest('base64url')
    .slice(0, 22);
}
