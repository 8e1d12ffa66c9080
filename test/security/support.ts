import { PROTOCOL_VERSION } from '@lagesbild/shared';
import WebSocket from 'ws';

/** The production defaults of the edge limits (server/src/base/config.ts), for the tests that check them. */
export const DEFAULT_LIMITS: Record<string, string> = {
  RATE_COMMANDS_PER_USER_PER_SEC: '20',
  RATE_COMMANDS_BURST_PER_USER: '60',
  RATE_COMMANDS_PER_IP_PER_SEC: '200',
  RATE_COMMANDS_BURST_PER_IP: '600',
  RATE_CONNECTS_PER_IP_PER_SEC: '10',
  RATE_CONNECTS_BURST_PER_IP: '200',
  RATE_SIGNINS_PER_IP_PER_MIN: '30',
};

/** An origin no hub in these tests allows. */
export const FOREIGN_ORIGIN = 'https://evil.example';

/** An extra origin the hubs in these tests allow (`ALLOWED_ORIGINS`). */
export const ALLOWED_ORIGIN = 'https://ops.example';

const handshakeAuth = JSON.stringify({ protocolVersion: PROTOCOL_VERSION });

export type RawHeaders = { origin?: string; cookie?: string; forwardedFor?: string };

const headersOf = (h: RawHeaders): Record<string, string> => ({
  ...(h.origin !== undefined ? { origin: h.origin } : {}),
  ...(h.cookie !== undefined ? { cookie: h.cookie } : {}),
  ...(h.forwardedFor !== undefined ? { 'x-forwarded-for': h.forwardedFor } : {}),
});

/** What became of a socket.io connection attempt made packet by packet. */
export type RawOutcome =
  | { accepted: true; hello: unknown }
  | { accepted: false; status: number; body: string; allowOrigin: string | null };

/**
 * Opens a socket.io connection over long-polling by hand (engine.io v4 packets), so the
 * test controls Origin and Cookie exactly as a hostile page's browser would send them.
 */
export async function connectPolling(baseUrl: string, headers: RawHeaders): Promise<RawOutcome> {
  const base = `${baseUrl}/socket.io/?EIO=4&transport=polling`;
  const h = headersOf(headers);
  const open = await fetch(base, { headers: h });
  const openBody = await open.text();
  if (!open.ok) {
    return {
      accepted: false,
      status: open.status,
      body: openBody,
      allowOrigin: open.headers.get('access-control-allow-origin'),
    };
  }
  const sid = (JSON.parse(openBody.slice(1)) as { sid: string }).sid;
  const url = `${base}&sid=${encodeURIComponent(sid)}`;
  await fetch(url, {
    method: 'POST',
    headers: { ...h, 'content-type': 'text/plain' },
    body: `40${handshakeAuth}`,
  });
  // The connect answer and the greeting may come in one poll or in several.
  let packets: string[] = [];
  for (let poll = 0; poll < 5 && !packets.some((p) => p.startsWith('42') || p.startsWith('44')); poll++) {
    const res = await fetch(url, { headers: h });
    packets = [...packets, ...(await res.text()).split('\x1e')];
  }
  const refused = packets.find((p) => p.startsWith('44'));
  if (refused) return { accepted: false, status: 200, body: refused, allowOrigin: null };
  const hello = packets.find((p) => p.startsWith('42'));
  await fetch(url, { method: 'POST', headers: { ...h, 'content-type': 'text/plain' }, body: '1' });
  return hello
    ? { accepted: true, hello: JSON.parse(hello.slice(2)) }
    : { accepted: false, status: 0, body: packets.join('|'), allowOrigin: null };
}

/** Opens a socket.io connection over a direct websocket by hand, with chosen Origin and Cookie. */
export function connectWebSocket(baseUrl: string, headers: RawHeaders): Promise<RawOutcome> {
  const url = `${baseUrl.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket`;
  const { origin, ...rest } = headersOf(headers);
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { headers: rest, ...(origin !== undefined ? { origin } : {}) });
    const done = (outcome: RawOutcome) => {
      ws.removeAllListeners();
      ws.on('error', () => undefined);
      ws.terminate();
      resolve(outcome);
    };
    ws.on('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () =>
        done({
          accepted: false,
          status: res.statusCode ?? 0,
          body,
          allowOrigin: (res.headers['access-control-allow-origin'] as string | undefined) ?? null,
        }),
      );
    });
    ws.on('error', (error) => done({ accepted: false, status: 0, body: error.message, allowOrigin: null }));
    ws.on('close', (code) => done({ accepted: false, status: 0, body: `closed ${code}`, allowOrigin: null }));
    ws.on('message', (data: Buffer) => {
      const packet = data.toString();
      if (packet.startsWith('0{')) ws.send(`40${handshakeAuth}`);
      else if (packet === '2') ws.send('3');
      else if (packet.startsWith('44'))
        done({ accepted: false, status: 101, body: packet, allowOrigin: null });
      else if (packet.startsWith('42')) done({ accepted: true, hello: JSON.parse(packet.slice(2)) });
    });
  });
}

/** Counts of answers by a label (HTTP status, error code), printed for the issue note. */
export class Tally {
  readonly counts = new Map<string, number>();
  add(label: string | number): void {
    const key = String(label);
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }
  get(label: string | number): number {
    return this.counts.get(String(label)) ?? 0;
  }
  total(): number {
    return [...this.counts.values()].reduce((a, b) => a + b, 0);
  }
  toJSON(): Record<string, number> {
    return Object.fromEntries([...this.counts].sort(([a], [b]) => a.localeCompare(b)));
  }
}

/** Runs `task` over `items` with at most `concurrency` in flight. */
export async function inParallel<T>(
  items: readonly T[],
  concurrency: number,
  task: (item: T) => Promise<void>,
) {
  let next = 0;
  const workers = Array.from({ length: concurrency }, async () => {
    for (let i = next++; i < items.length; i = next++) {
      const item = items[i];
      if (item !== undefined) await task(item);
    }
  });
  await Promise.all(workers);
}
