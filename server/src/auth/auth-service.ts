import { parse as parseCookie } from 'cookie';
import { SESSION_COOKIE, type DirectoryAccount, type DirectoryState } from '@lagesbild/shared';
import { verifyPassword } from './accounts.js';
import type { Session, SessionStore } from './sessions.js';

/** A request's proven identity. */
export type Authenticated = { session: Session; account: DirectoryAccount };

/**
 * Turns a Cookie header into a live session and an enabled account. The same check runs
 * for HTTP requests and the socket handshake, so both see the same sign-outs.
 */
export class AuthService {
  constructor(
    private readonly directory: DirectoryState,
    private readonly sessions: SessionStore,
    private readonly now: () => number = Date.now,
  ) {}

  /** The identity behind a Cookie header, or null. */
  async fromCookieHeader(header: string | undefined): Promise<Authenticated | null> {
    if (!header) return null;
    const token = parseCookie(header)[SESSION_COOKIE];
    if (!token || token.length > 200) return null;
    const session = await this.sessions.get(token, this.now());
    if (!session) return null;
    const account = this.directory.accounts[session.userId];
    if (!account || account.disabled) return null;
    return { session, account };
  }

  /** Checks a password and opens a session. */
  async signIn(username: string, password: string): Promise<{ token: string; auth: Authenticated } | null> {
    const account = await verifyPassword(this.directory, username, password);
    if (!account) return null;
    const { token, session } = await this.sessions.create(account.id, this.now());
    return { token, auth: { session, account } };
  }

  /** Ends a session. */
  signOut(sessionId: string): Promise<void> {
    return this.sessions.delete(sessionId);
  }
}
