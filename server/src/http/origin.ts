/**
 * The origin a request was sent to, `scheme://host[:port]` as a browser writes it in
 * Origin, from the scheme the client used and its Host header; null if Host is missing or
 * is not a plain host and port.
 */
export function requestOrigin(protocol: string, host: string | undefined): string | null {
  if (host === undefined || !/^[a-z0-9.\-:[\]]+$/i.test(host)) return null;
  if (protocol !== 'http' && protocol !== 'https') return null;
  try {
    return new URL(`${protocol}://${host}`).origin;
  } catch {
    return null;
  }
}

/**
 * Whether a browser request's Origin may act on the hub: an origin on the allowlist, or
 * the page the hub itself served (Origin is exactly the origin the request was sent to:
 * same scheme, host and port), so that opening the hub at http://127.0.0.1:8080 works as
 * well as at PUBLIC_URL. An http page is not the https one, nor is another port of the same
 * host: each is another site to the browser. A missing Origin means a non-browser client,
 * which cannot be used for cross-site forgery.
 */
export function isOriginAllowed(
  origin: string | undefined,
  ownOrigin: string | null,
  allowedOrigins: ReadonlySet<string>,
): boolean {
  if (origin === undefined) return true;
  if (allowedOrigins.has(origin)) return true;
  return ownOrigin !== null && origin === ownOrigin;
}
