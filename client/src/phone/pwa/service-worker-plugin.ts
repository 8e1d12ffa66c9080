import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'vite';

const ENTRY = fileURLToPath(new URL('./service-worker.ts', import.meta.url));
const FILE_NAME = 'sw.js';
const PRECACHE_MARK = '__LAGESBILD_PRECACHE__';
const BUILD_MARK = '__LAGESBILD_BUILD__';

/** Files of the public folder, as site paths ("/icons/icon.svg"). */
function publicFiles(dir: string, base = ''): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    const site = `${base}/${name}`;
    return statSync(full).isDirectory() ? publicFiles(full, site) : [site];
  });
}

/** FNV-1a: a short, stable name for a build, from the list of its files. */
function hash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h.toString(36);
}

/**
 * Builds the service worker as `/sw.js` with the list of every built file written into it.
 * The list changes with every build (hashed names), so the browser sees a new worker,
 * which caches the new files and drops the old ones. Only in `vite build`: the
 * development server has no service worker.
 */
export function serviceWorkerPlugin(): Plugin {
  let publicDir = '';
  return {
    name: 'lagesbild-service-worker',
    apply: 'build',
    // After Vite's own CSS plugin, which drops the chunks that only carried a stylesheet
    // (a component importing a .css file and nothing else): listed before that, the worker
    // would precache a file that is never written, and its install would fail.
    enforce: 'post',
    configResolved(config) {
      publicDir = config.publicDir;
    },
    buildStart() {
      this.emitFile({ type: 'chunk', id: ENTRY, fileName: FILE_NAME });
    },
    generateBundle(_options, bundle) {
      const worker = bundle[FILE_NAME];
      if (worker?.type !== 'chunk') return this.error(`${FILE_NAME} was not built`);
      const files = [
        ...Object.keys(bundle)
          .filter((name) => name !== FILE_NAME && name !== 'index.html' && !name.endsWith('.map'))
          .map((name) => `/${name}`),
        ...publicFiles(publicDir),
      ].sort();
      if (!worker.code.includes(PRECACHE_MARK) || !worker.code.includes(BUILD_MARK)) {
        return this.error(`${FILE_NAME}: the placeholders for the file list are missing`);
      }
      if (worker.imports.length > 0) return this.error(`${FILE_NAME} must not import other chunks`);
      worker.code = worker.code
        .replace(PRECACHE_MARK, files.join(','))
        .replace(BUILD_MARK, hash(files.join(',')));
    },
  };
}
