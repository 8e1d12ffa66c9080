/**
 * Whether a browser request's Origin may act on the hub: an origin on the allowlist, or
 * the page the hub itself served (Origin names the same host the request was sent to), so
 * that opening the hub at http://127.0.0.1:8080 works as well as at PUBLIC_URL. A missing
 * Origin means a non-browser client, which cannot be used for cross-site forgery.
 */
export function isOriginAllowed(
  origin: string | undefined,
  host: string | undefined,
  allowedOrigins: ReadonlySet<string>,
): boolean {
  if (origin === undefined) return true;
  if (allowedOrigins.has(origin)) return true;
  if (host === undefined) return false;
  try {
    return new URL(origin).host === host.toLowerCase();
  } catch {
    return false;
  }
}
