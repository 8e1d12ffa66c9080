import { request } from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectPageErrors, launchChromium, openApp, startBrowserHub } from '../support/browser';
import { removeDataDir, type HubProcess } from '../support/hub-process';

// A duty officer's first visit on a phone over a weak network: the scripts must come
// compressed and be cached for good, and the first page load must not log an error.

let hub: HubProcess;
let browser: Browser;

beforeAll(async () => {
  hub = await startBrowserHub();
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await hub?.kill();
  if (hub) removeDataDir(hub);
});

type RawAnswer = { status: number; headers: Record<string, string | string[] | undefined>; body: Buffer };

/** A GET that keeps the bytes as sent (fetch would decompress them out of sight). */
function rawGet(url: string, headers: Record<string, string> = {}): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

/** The entry script the page shell loads, e.g. `/assets/index-AbC123.js`. */
async function indexChunk(): Promise<string> {
  const shell = (await rawGet(`${hub.url}/`)).body.toString('utf8');
  const src = /<script[^>]+src="(\/assets\/index-[^"]+\.js)"/.exec(shell)?.[1];
  if (!src) throw new Error(`no index chunk in the page shell:\n${shell}`);
  return src;
}

/** Words that would mean the hub's English reached the Swedish page. */
const ENGLISH = /\b(wrong|username|password|sign|signed|not|the|or|account|locked|failed|error)\b/i;

describe('a first visit', () => {
  it('gets the index chunk brotli-compressed with Accept-Encoding: br, gzip, cached for a year', async () => {
    const chunk = await indexChunk();
    const plain = await rawGet(`${hub.url}${chunk}`);
    const brotli = await rawGet(`${hub.url}${chunk}`, { 'accept-encoding': 'br, gzip' });

    expect(brotli.status).toBe(200);
    expect(brotli.headers['content-encoding']).toBe('br');
    expect(brotli.headers['content-type']).toMatch(/^text\/javascript/);
    expect(brotli.headers.vary).toMatch(/Accept-Encoding/i);
    expect(brotli.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    // A third of the bytes or less, and the very same script once unpacked.
    expect(brotli.body.length).toBeLessThan(plain.body.length / 3);
    expect(brotliDecompressSync(brotli.body).equals(plain.body)).toBe(true);
  });

  it('gets gzip from a browser without brotli, and the plain file from one without either', async () => {
    const chunk = await indexChunk();
    const gzip = await rawGet(`${hub.url}${chunk}`, { 'accept-encoding': 'gzip' });
    const plain = await rawGet(`${hub.url}${chunk}`, { 'accept-encoding': 'identity' });

    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gzip.body).equals(plain.body)).toBe(true);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers.vary).toMatch(/Accept-Encoding/i);
    expect(plain.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  });

  it('revalidates the page shell on every visit, so a new build is picked up at once', async () => {
    for (const path of ['/', '/wall', '/phone']) {
      expect((await rawGet(`${hub.url}${path}`)).headers['cache-control'], path).toBe('no-cache');
    }
  });

  it('answers a missing asset with 404, not with the page shell', async () => {
    const missing = await rawGet(`${hub.url}/assets/index-missing.js`, { 'accept-encoding': 'br' });
    expect(missing.status).toBe(404);
    const escape = await rawGet(`${hub.url}/assets/..%2f..%2fpackage.json`, { 'accept-encoding': 'br' });
    expect(escape.status).toBe(404);
  });

  it('asks who is signed in without an error: 200 { signedIn: false }', async () => {
    const probe = await fetch(`${hub.url}/api/session`);
    expect(probe.status).toBe(200);
    expect(await probe.json()).toEqual({ ok: true, data: { signedIn: false } });
  });

  it('opens the sign-in page with a clean console, and refuses a wrong password in Swedish only', async () => {
    const { context, page } = await openApp(browser, hub.url);
    try {
      const errors = collectPageErrors(page);
      await page.reload();
      await page.locator('#sign-in-username').waitFor();
      expect(errors).toEqual([]);

      await page.locator('#sign-in-username').fill('tib.nacka');
      await page.locator('#sign-in-password').fill('not-the-password');
      await page.locator('form button[type="submit"]').click();
      const alert = page.getByRole('alert');
      await alert.waitFor();
      const text = (await alert.textContent()) ?? '';
      expect(text).toContain('Fel användarnamn eller lösenord');
      expect(text).not.toMatch(ENGLISH);
    } finally {
      await context.close();
    }
  });
});
