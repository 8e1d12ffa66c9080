import { existsSync } from 'node:fs';
import { access } from 'node:fs/promises';
import path from 'node:path';
import express, { type RequestHandler } from 'express';

/** Hashed names change with their content, so a browser may keep them for good. */
export const IMMUTABLE_CACHE = 'public, max-age=31536000, immutable';

/** Encodings the build writes beside each asset (client/vite.config.ts), best first. */
const ENCODINGS = [
  { name: 'br', suffix: '.br' },
  { name: 'gzip', suffix: '.gz' },
] as const;

/** A built asset's name: one path segment, no dot files, so it cannot leave the folder. */
const ASSET_NAME = /^[A-Za-z0-9_-][A-Za-z0-9_.-]*$/;

type Encoding = (typeof ENCODINGS)[number];

/** More names than any build has; past it the cache starts over rather than grow. */
const MAX_CACHED_NAMES = 5000;

const isNotFound = (error: unknown) =>
  typeof error === 'object' && error !== null && 'status' in error && error.status === 404;

const exists = (file: string) =>
  access(file).then(
    () => true,
    () => false,
  );

/**
 * Serves `/assets/name` as `name.br` or `name.gz` when the build wrote one and the browser
 * accepts it. The compressed files an asset has are remembered per name once found, so a
 * request does not ask the disk again; they are looked up (without blocking the event
 * loop) only for a name not yet known to have any. Not listed at start: a rebuild under a
 * running hub (development, tests) writes new names, and their compressed files a moment
 * later, which is why a name found without them is looked up again next time. A hashed
 * name's content never changes, so a remembered name goes stale only when a rebuild
 * deletes its files; the failed send then forgets it.
 */
function precompressedAssets(assetsDir: string): RequestHandler {
  const known = new Map<string, readonly Encoding[]>();
  const variantsOf = async (name: string): Promise<readonly Encoding[]> => {
    const cached = known.get(name);
    if (cached) return cached;
    const found = await Promise.all(
      ENCODINGS.map((encoding) => exists(path.join(assetsDir, name + encoding.suffix))),
    );
    const variants = ENCODINGS.filter((_encoding, index) => found[index]);
    if (variants.length > 0) {
      if (known.size >= MAX_CACHED_NAMES) known.clear();
      known.set(name, variants);
    }
    return variants;
  };
  return async (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    const name = req.path.slice(1);
    if (!ASSET_NAME.test(name)) return next();
    const variants = await variantsOf(name);
    if (variants.length === 0) return next();
    // A cache between us and the browser must keep one copy per encoding.
    res.vary('Accept-Encoding');
    const chosen = req.acceptsEncodings(variants.map((variant) => variant.name));
    const variant = variants.find((candidate) => candidate.name === chosen);
    if (!variant) return next();
    res.setHeader('Content-Encoding', variant.name);
    res.setHeader('Cache-Control', IMMUTABLE_CACHE);
    // The type of the asset, not of the .br/.gz file that carries it.
    res.type(path.extname(name));
    res.sendFile(name + variant.suffix, { root: assetsDir, cacheControl: false }, (error: unknown) => {
      if (!error) return;
      known.delete(name);
      // Gone since it was remembered (a rebuild): answer as if it had never been there.
      if (isNotFound(error) && !res.headersSent) {
        res.removeHeader('Content-Encoding');
        res.removeHeader('Cache-Control');
        return next();
      }
      next(error);
    });
  };
}

/**
 * The built client: hashed assets compressed and cached for a year, everything else
 * revalidated, and the page shell (`index.html`) for every path of the single-page app.
 */
export function serveClient(app: express.Express, dist: string): void {
  const index = path.join(dist, 'index.html');
  if (!existsSync(index)) {
    app.get('/', (_req, res) => {
      res.type('text').send('The client is not built. Run: npm run build');
    });
    return;
  }
  const assetsDir = path.join(dist, 'assets');
  app.use('/assets', precompressedAssets(assetsDir));
  app.use('/assets', express.static(assetsDir, { index: false, immutable: true, maxAge: '365d' }));
  // Icons, the manifest and the service worker keep their names across builds.
  app.use(express.static(dist, { index: false, maxAge: '1h' }));
  // Single-page app: every other path that is not the API or the socket gets the shell.
  app.get(/^\/(?!api\/|socket\.io\/|assets\/).*/, (_req, res) => {
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(index);
  });
}
