import http from 'node:http';
import { brotliCompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLoadBalancer, type LoadBalancer } from './support/nginx';

// deploy/nginx.conf in front of a stand-in hub: the API's JSON reaches the browser gzipped,
// what the hub already compressed passes untouched, and socket.io long-polls are left alone.

const bigJson = JSON.stringify({
  ok: true,
  data: { events: Array.from({ length: 400 }, (_, i) => ({ seq: i, type: 'report.submitted' })) },
});
const script = Buffer.from('console.log("Lägesbild");\n'.repeat(400));
const scriptBrotli = brotliCompressSync(script);

let hub: http.Server;
let lb: LoadBalancer;

beforeAll(async () => {
  hub = http.createServer((req, res) => {
    if (req.url?.startsWith('/assets/')) {
      res.writeHead(200, {
        'content-type': 'text/javascript',
        'content-encoding': 'br',
        vary: 'Accept-Encoding',
      });
      res.end(scriptBrotli);
    } else if (req.url?.startsWith('/socket.io/')) {
      res.writeHead(200, { 'content-type': 'text/plain; charset=UTF-8' });
      res.end(`4${'x'.repeat(4000)}`);
    } else {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(bigJson);
    }
  });
  await new Promise<void>((resolve) => hub.listen(0, '127.0.0.1', resolve));
  const address = hub.address();
  lb = await startLoadBalancer([typeof address === 'object' && address ? address.port : 0]);
});

afterAll(async () => {
  await lb?.stop();
  await new Promise((resolve) => hub?.close(resolve));
});

function get(path: string) {
  return new Promise<{ headers: http.IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
    const req = http.request(`${lb.url}${path}`, { headers: { 'accept-encoding': 'br, gzip' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('deploy/nginx.conf compression', () => {
  it('gzips JSON from the API and says it varies by Accept-Encoding', async () => {
    const answer = await get('/api/events?after=0');
    expect(answer.headers['content-encoding']).toBe('gzip');
    expect(answer.headers.vary).toMatch(/Accept-Encoding/i);
    expect(gunzipSync(answer.body).toString('utf8')).toBe(bigJson);
  });

  it("passes the hub's precompressed scripts through unchanged", async () => {
    const answer = await get('/assets/index-abc.js');
    expect(answer.headers['content-encoding']).toBe('br');
    expect(answer.body.equals(scriptBrotli)).toBe(true);
  });

  it('leaves socket.io long-polls uncompressed, so they are not held back', async () => {
    const answer = await get('/socket.io/?EIO=4&transport=polling');
    expect(answer.headers['content-encoding']).toBeUndefined();
    expect(answer.body.toString('utf8')).toMatch(/^4x+$/);
  });
});
