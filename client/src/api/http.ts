import { AppError, CSRF_HEADER } from '@lagesbild/shared';
import { z } from 'zod';
import { useSession } from '../stores/session';
import { hubFailure, localFailure, type ClientResult } from './client-result';

/** How long the client waits for the hub before calling a request timed out. */
export const HTTP_TIMEOUT_MS = 15_000;

/**
 * Any answer's envelope, before its data is checked. A refusal is read as the socket's acks
 * are, so a `stale` one keeps its current item; its code is read by `hubFailure`, so a code
 * this client does not know yet still gets its message through.
 */
const AnyAnswer = z.union([
  z.strictObject({ ok: z.literal(true), data: z.unknown() }),
  z.strictObject({
    ok: z.literal(false),
    error: AppError.extend({ code: z.string() }),
  }),
]);

type Method = 'GET' | 'POST' | 'DELETE';

type RequestOptions = {
  body?: unknown;
  /** Defaults to the signed-in session's token; sent on every write. */
  csrfToken?: string | null;
  timeoutMs?: number;
};

/**
 * Calls the hub's HTTP API on the same origin and parses the answer with the shared
 * envelope, so a caller only ever sees `{ ok, data }` of the expected shape or a coded
 * error, never a thrown exception or an unchecked body.
 */
export async function apiRequest<S extends z.ZodType>(
  method: Method,
  path: string,
  data: S,
  options: RequestOptions = {},
): Promise<ClientResult<z.infer<S>>> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET') {
    const token =
      options.csrfToken === undefined ? useSession.getState().session?.csrfToken : options.csrfToken;
    if (token) headers[CSRF_HEADER] = token;
  }

  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: AbortSignal.timeout(options.timeoutMs ?? HTTP_TIMEOUT_MS),
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'TimeoutError') {
      return localFailure('timeout', `${method} ${path}: no answer within the time limit`);
    }
    return localFailure('offline', `${method} ${path}: ${String(error)}`);
  }

  let body: unknown;
  try {
    body = await response.json();
  } catch {
    return localFailure('internal', `${method} ${path}: HTTP ${response.status} without a JSON answer`);
  }
  // The envelope first, then the data: two steps keep the types concrete for any schema.
  const answer = AnyAnswer.safeParse(body);
  if (!answer.success) {
    return localFailure('internal', `${method} ${path}: HTTP ${response.status} with an unexpected answer`);
  }
  if (!answer.data.ok) return hubFailure(answer.data.error);
  const parsed = data.safeParse(answer.data.data);
  if (!parsed.success) {
    return localFailure('internal', `${method} ${path}: HTTP ${response.status} with unexpected data`);
  }
  return { ok: true, data: parsed.data };
}
