import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { mkdir, mkdtemp, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { brotliCompressSync } from 'node:zlib';
import express from 'express';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { serveClient } from './static-client.js';

const SCRIPT = 'console.log("Lägesbild");\n'.repeat(40);

let dist: string;
let server: Server;
let base: string;

beforeEach(async () => {
  dist = await mkdtemp(path.join(tmpdir(), 'lagesbild-dist-'));
  await mkdir(path.join(dist, 'assets'));
  await writeFile(path.join(dist, 'index.html'), '<!doctype html><title>Lägesbild</title>');
  const app = express();
  serveClient(app, dist);
  server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterEach(async () => {
  await new Promise((resolve) => server.close(resolve));
  await rm(dist, { recursive: true, force: true });
});

const asset = (name: string) => path.join(dist, 'assets', name);
const getWithBrotli = (name: string) =>
  fetch(`${base}/assets/${name}`, { headers: { 'accept-encoding': 'br' } });

// fetch decodes the body itself; the header says what the hub sent.
describe('compressed assets under a rebuild', () => {
  it('serves the brotli file a build writes after the plain one, on the next request', async () => {
    await writeFile(asset('index-abc.js'), SCRIPT);
    const before = await getWithBrotli('index-abc.js');
    expect(before.status).toBe(200);
    expect(before.headers.get('content-encoding')).toBeNull();
    await writeFile(asset('index-abc.js.br'), brotliCompressSync(SCRIPT));
    const after = await getWithBrotli('index-abc.js');
    expect(after.headers.get('content-encoding')).toBe('br');
    expect(await after.text()).toBe(SCRIPT);
  });

  it('answers 404, not an error, for an asset a rebuild deleted after it was served', async () => {
    await writeFile(asset('index-old.js'), SCRIPT);
    await writeFile(asset('index-old.js.br'), brotliCompressSync(SCRIPT));
    expect((await getWithBrotli('index-old.js')).headers.get('content-encoding')).toBe('br');
    await unlink(asset('index-old.js'));
    await unlink(asset('index-old.js.br'));
    const gone = await getWithBrotli('index-old.js');
    expect(gone.status).toBe(404);
    expect(gone.headers.get('content-encoding')).toBeNull();
  });
});
