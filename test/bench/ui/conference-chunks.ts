import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { repoRoot } from '../../support/hub-process.js';
import { gzipped } from './bundle-size.js';

// Which built scripts hold the conference views (client/src/conference/), read from the
// build's source maps: the views must load lazily, so none of their code may sit in a
// script the dashboard loads first. The small wrapper that declares the lazy imports
// (lazy.tsx) and the minutes' lazy loader belong in the first load by design.

const CONFERENCE_SOURCE = /(^|\/)src\/conference\//;
const LAZY_WRAPPERS = /(^|\/)src\/conference\/(lazy\.tsx|minutes\/lazy\.ts)$/;

const SourceMap = z.object({ sources: z.array(z.string()) });

/** One built script with conference code in it. */
export type ConferenceChunk = {
  file: string;
  gzipped: number;
  /** Its conference source files, relative to client/src. */
  sources: string[];
};

/** Every built script (`assets/….js`) holding conference code other than the lazy wrappers. */
export function conferenceChunks(): ConferenceChunk[] {
  const assets = path.join(repoRoot, 'client/dist/assets');
  return readdirSync(assets)
    .filter((f) => f.endsWith('.js'))
    .flatMap((f): ConferenceChunk[] => {
      const file = `assets/${f}`;
      let sources: string[];
      try {
        sources = SourceMap.parse(JSON.parse(readFileSync(path.join(assets, `${f}.map`), 'utf8'))).sources;
      } catch {
        return [];
      }
      const own = sources
        .filter((s) => CONFERENCE_SOURCE.test(s) && !LAZY_WRAPPERS.test(s))
        .map((s) => s.replace(/^.*src\//, ''));
      return own.length > 0 ? [{ file, gzipped: gzipped(file), sources: own }] : [];
    });
}

const LAZY_WRAPPER_FILES = ['client/src/conference/lazy.tsx', 'client/src/conference/minutes/lazy.ts'];

/**
 * The conference modules the client loads through `lazy(() => import('./…'))`, relative to
 * client/src (e.g. `conference/ConferenceTab.tsx`): these must never be in the first load.
 */
export function lazyConferenceModules(): string[] {
  return LAZY_WRAPPER_FILES.flatMap((wrapper) => {
    let text: string;
    try {
      text = readFileSync(path.join(repoRoot, wrapper), 'utf8');
    } catch {
      return [];
    }
    const dir = path.posix.dirname(wrapper).replace(/^client\/src\//, '');
    return [...text.matchAll(/import\('\.\/([^']+)'\)/g)].map((m) => `${dir}/${m[1] ?? ''}.tsx`);
  });
}
