import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants as zlibConstants, gzip } from 'node:zlib';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';
import { serviceWorkerPlugin } from './src/phone/pwa/service-worker-plugin.ts';

// The hub serves the built client and the API on one origin; in development the dev server
// stands in for that origin and forwards the hub's paths. 127.0.0.1 rather than localhost:
// the hub listens on IPv4 by default and Node may resolve localhost to ::1 first.
const hub = 'http://127.0.0.1:8080';

/** Text files worth compressing; images and fonts are compressed already. */
const COMPRESSIBLE = /\.(js|css|svg|json|webmanifest|html)$/;
/** Below this size the headers cost more than compression saves. */
const MIN_COMPRESS_BYTES = 1024;

const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

/**
 * Writes `name.br` and `name.gz` beside every hashed asset, at the highest levels: the
 * build pays once, and the hub then serves them without compressing per request (it has
 * one core to spare, and a phone on a weak network gets a quarter of the bytes).
 */
function precompressPlugin(): Plugin {
  return {
    name: 'lagesbild-precompress',
    apply: 'build',
    async writeBundle(options, bundle) {
      const outDir = options.dir ?? 'dist';
      const written = Object.values(bundle).filter(
        (file) => file.fileName.startsWith('assets/') && COMPRESSIBLE.test(file.fileName),
      );
      await Promise.all(
        written.map(async (file) => {
          const source = file.type === 'chunk' ? Buffer.from(file.code) : Buffer.from(file.source);
          if (source.length < MIN_COMPRESS_BYTES) return;
          const target = path.join(outDir, file.fileName);
          const [br, gz] = await Promise.all([
            brotli(source, {
              params: {
                [zlibConstants.BROTLI_PARAM_QUALITY]: zlibConstants.BROTLI_MAX_QUALITY,
                [zlibConstants.BROTLI_PARAM_SIZE_HINT]: source.length,
              },
            }),
            gzipAsync(source, { level: zlibConstants.Z_BEST_COMPRESSION }),
          ]);
          await Promise.all([writeFile(`${target}.br`, br), writeFile(`${target}.gz`, gz)]);
        }),
      );
    },
  };
}

export default defineConfig({
  plugins: [react(), serviceWorkerPlugin(), precompressPlugin()],
  server: {
    proxy: {
      '/api': { target: hub },
      '/healthz': { target: hub },
      '/readyz': { target: hub },
      '/socket.io': { target: hub, ws: true },
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
  },
});
