import { spawn } from 'node:child_process';
import { CSRF_HEADER, DeviceInfo, envelope } from '@lagesbild/shared';
import type { ApiClient } from './api-client.js';
import { repoRoot } from './hub-process.js';
import type { FoldingClient } from './socket-client.js';

/** An HTTP answer with its parsed JSON body. */
export type JsonAnswer = {
  status: number;
  body: { ok: boolean; data?: unknown; error?: { code: string; message: string } };
};

/** Sends a JSON request as the signed-in client (cookie and CSRF token included). */
export async function call(
  client: ApiClient,
  method: string,
  path: string,
  body?: unknown,
): Promise<JsonAnswer> {
  const res = await client.raw(path, {
    method,
    ...(body === undefined
      ? {}
      : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as JsonAnswer['body'] };
}

/** Resolves with the reason when the hub drops the socket; rejects if it stays up. */
export function serverDisconnect(
  client: FoldingClient,
  timeoutMs = 10_000,
): Promise<{ reason: string; ms: number }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the socket stayed connected')), timeoutMs);
    client.socket.once('disconnect', (reason) => {
      clearTimeout(timer);
      resolve({ reason, ms: performance.now() - started });
    });
  });
}

/** Tries a password sign-in and returns only the HTTP status. */
export async function signInStatus(
  baseUrl: string,
  username: string,
  password = 'lagesbild-demo',
): Promise<number> {
  const res = await fetch(`${baseUrl}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  await res.body?.cancel();
  return res.status;
}

/** A display after `POST /api/devices/pair`: its session cookie, device cookie and info. */
export type PairedDevice = { cookie: string; deviceCookie: string; info: DeviceInfo };

/** Pairs a display with a code; returns the refusal's status when it fails. */
export async function pair(
  baseUrl: string,
  code: string,
): Promise<PairedDevice | { status: number; code: string }> {
  const res = await fetch(`${baseUrl}/api/devices/pair`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ code }),
  });
  const body = envelope(DeviceInfo).parse(await res.json());
  if (!body.ok) return { status: res.status, code: body.error.code };
  const cookies = res.headers.getSetCookie().map((c) => c.split(';')[0] ?? '');
  return {
    cookie: cookies.find((c) => c.startsWith('lagesbild_session=')) ?? '',
    deviceCookie: cookies.find((c) => c.startsWith('lagesbild_device=')) ?? '',
    info: body.data,
  };
}

/** A request with a device's session cookie (and its CSRF token). */
export function asDevice(baseUrl: string, device: PairedDevice, path: string, init: RequestInit = {}) {
  return fetch(`${baseUrl}${path}`, {
    ...init,
    headers: {
      cookie: device.cookie,
      [CSRF_HEADER]: device.info.csrfToken,
      'content-type': 'application/json',
      ...(init.headers as Record<string, string> | undefined),
    },
  });
}

/** Runs `npm run admin -- …` the way an operator does, with the given environment. */
export function runAdminCli(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/admin-cli.ts', ...args], {
      cwd: repoRoot,
      env: { ...process.env, LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}
