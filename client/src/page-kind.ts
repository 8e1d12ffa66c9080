/** Which of the three front ends a path belongs to. */
export type PageKind = 'wall' | 'phone' | 'app';

/** The wall display (`/wall`), the phone pages (`/phone`) or the operator's app (the rest). */
export function pageKindOf(pathname: string): PageKind {
  const under = (prefix: string) => pathname === prefix || pathname.startsWith(`${prefix}/`);
  if (under('/wall')) return 'wall';
  if (under('/phone')) return 'phone';
  return 'app';
}
