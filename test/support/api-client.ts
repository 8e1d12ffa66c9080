import {
  CSRF_HEADER,
  EventsResponse,
  SessionInfo,
  SessionProbe,
  StateResponse,
  envelope,
  stateHash,
  type CommandAck,
  type StoredEvent,
} from '@lagesbild/shared';

/** A signed-in HTTP client of one hub, as an integration would use the API. */
export type ApiClient = {
  baseUrl: string;
  cookie: string;
  session: SessionInfo;
  command: (command: unknown) => Promise<{ status: number; body: CommandAck }>;
  state: () => Promise<StateResponse>;
  /** The hash of this caller's projection on the hub, to compare with a client's. */
  stateHash: () => Promise<{ seq: number; hash: string }>;
  raw: (path: string, init?: RequestInit) => Promise<Response>;
  /** Whether the hub still knows this session: GET /api/session, which answers 200 either way. */
  signedIn: () => Promise<boolean>;
};

/** Signs in with a demo account and returns a client bound to that session. */
export async function signIn(
  baseUrl: string,
  username: string,
  password = 'lagesbild-demo',
): Promise<ApiClient> {
  const res = await fetch(`${baseUrl}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  const body = envelope(SessionInfo).parse(await res.json());
  if (!body.ok) throw new Error(`sign-in as ${username} failed: ${body.error.message}`);
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  return bind(baseUrl, cookie, body.data);
}

/** The same session against another hub (sessions are shared through Redis). */
export const onHub = (client: ApiClient, baseUrl: string): ApiClient =>
  bind(baseUrl, client.cookie, client.session);

function bind(baseUrl: string, cookie: string, session: SessionInfo): ApiClient {
  const raw = (path: string, init: RequestInit = {}) =>
    fetch(`${baseUrl}${path}`, {
      ...init,
      headers: {
        cookie,
        [CSRF_HEADER]: session.csrfToken,
        ...(init.headers as Record<string, string> | undefined),
      },
    });
  const state = async () => {
    const res = await raw('/api/state');
    const body = envelope(StateResponse).parse(await res.json());
    if (!body.ok) throw new Error(body.error.message);
    return body.data;
  };
  return {
    baseUrl,
    cookie,
    session,
    raw,
    state,
    signedIn: async () => {
      const body = envelope(SessionProbe).parse(await (await raw('/api/session')).json());
      if (!body.ok) throw new Error(body.error.message);
      return !('signedIn' in body.data);
    },
    stateHash: async () => {
      const s = await state();
      return { seq: s.seq, hash: stateHash(s.state) };
    },
    command: async (command) => {
      const res = await raw('/api/commands', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(command),
      });
      return { status: res.status, body: (await res.json()) as CommandAck };
    },
  };
}

/** How long a read waits out a load balancer's "no hub" answer after hubs were killed. */
const GATEWAY_PATIENCE_MS = 15_000;

/**
 * GETs JSON from the hub. A load balancer that has just seen its hubs killed may answer 502,
 * 503 or 504 (its own HTML page) for a few seconds, until it tries them again: a reader waits
 * that out, like every integration behind it would, and fails with the answer on anything else.
 */
async function readJson(client: ApiClient, path: string): Promise<unknown> {
  const deadline = Date.now() + GATEWAY_PATIENCE_MS;
  for (;;) {
    const res = await client.raw(path);
    const text = await res.text();
    if (res.headers.get('content-type')?.includes('application/json')) return JSON.parse(text);
    if (![502, 503, 504].includes(res.status) || Date.now() > deadline) {
      throw new Error(`GET ${path} answered ${res.status}: ${text.slice(0, 300)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Every event the caller may see, read page by page through the integration API. */
export async function allEvents(client: ApiClient): Promise<StoredEvent[]> {
  const events: StoredEvent[] = [];
  let after = 0;
  for (;;) {
    const body = envelope(EventsResponse).parse(await readJson(client, `/api/events?after=${after}`));
    if (!body.ok) throw new Error(body.error.message);
    events.push(...body.data.events);
    if (body.data.headSeq === after) return events;
    after = body.data.headSeq;
  }
}
