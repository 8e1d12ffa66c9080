import type { RequestHandler } from 'express';
import helmet from 'helmet';
import type { Config } from '../base/config.js';

/**
 * The security headers of every answer: a Content-Security-Policy that lets the page talk
 * to this hub and load map tiles only, no framing, and HSTS behind HTTPS.
 */
export function securityHeaders(config: Pick<Config, 'publicUrl' | 'tiles' | 'https'>): RequestHandler {
  const hubOrigin = new URL(config.publicUrl).origin;
  return helmet({
    contentSecurityPolicy: {
      directives: {
        'default-src': ["'self'"],
        // Only the hub itself: a page that could connect elsewhere could send the picture there.
        'connect-src': ["'self'", hubOrigin, toWs(hubOrigin)],
        'img-src': ["'self'", 'data:', 'blob:', ...tileOrigins(config.tiles.url)],
        'style-src': ["'self'", "'unsafe-inline'"],
        'frame-ancestors': ["'none'"],
        'upgrade-insecure-requests': config.https ? [] : null,
      },
    },
    strictTransportSecurity: config.https ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    xFrameOptions: { action: 'deny' },
  });
}

const toWs = (origin: string) => origin.replace(/^http/, 'ws');

/** The tile server's origin, and its `a.`, `b.`, … subdomains as one wildcard. */
function tileOrigins(url: string): string[] {
  if (!url) return [];
  try {
    const host = new URL(url.replace(/\{[a-z]\}/g, 'a')).origin;
    return [host, host.replace('://a.', '://*.')];
  } catch {
    return [];
  }
}
