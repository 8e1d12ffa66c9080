import { parse as parseCookie } from 'cookie';
import {
  SESSION_COOKIE,
  ownEntry,
  type DirectoryAccount,
  type DirectoryDevice,
  type DirectoryState,
} from '@lagesbild/shared';
import { verifyPassword } from './accounts.js';
import { stillHoldsRights, type Session, type SessionStore } from './sessions.js';

/** A request's proven identity. */
export type Authenticated = { session: Session; account: DirectoryAccount };

/** A paired wall display's proven identity. */
export type DeviceAuthenticated = { session: Session; device: DirectoryDevice };

/** Whoever a session belongs to: a person or a paired display. */
export type Identified = ({ kind: 'user' } & Authenticated) | ({ kind: 'device' } & DeviceAuthenticated);

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
    const found = await this.identify(header);
    return found?.kind === 'user' ? { session: found.session, account: found.account } : null;
  }

  /** The person or paired display behind a Cookie header, or null. */
  async identify(header: string | undefined): Promise<Identified | null> {
    if (!header) return null;
    const token = parseCookie(header)[SESSION_COOKIE];
    if (!token || token.length > 200) return null;
    const session = await this.sessions.get(token, this.now());
    if (!session) return null;
    if (session.deviceId !== undefined) {
      const device = this.directory.devices[session.deviceId];
      // A revoked display is refused at once, whichever hub it reaches.
      if (!device || device.revokedAt !== null) return null;
      return { kind: 'device', session, device };
    }
    const account = ownEntry(this.directory.accounts, session.userId);
    if (!account || account.disabled) return null;
    if (!stillHoldsRights(session, account)) {
      // The account lost rights while no hub was running to end its sessions (the admin
      // tool on a stopped hub). Refused whatever happens; deleted so it stays gone.
      await this.sessions.delete(session.id);
      return null;
    }
    return { kind: 'user', session, account };
  }

  /** Opens a session for a paired wall display. */
  async openDeviceSession(device: DirectoryDevice): Promise<{ token: string; auth: DeviceAuthenticated }> {
    const { token, session } = await this.sessions.createForDevice(device.id, this.now());
    return { token, auth: { session, device } };
  }

  /** Checks a password and opens a session. */
  async signIn(username: string, password: string): Promise<{ token: string; auth: Authenticated } | null> {
    const account = await verifyPassword(this.directory, username, password);
    if (!account) return null;
    return this.openSession(account);
  }

  /** Opens a session for an account whose identity was proven otherwise (OpenID Connect). */
  async openSession(account: DirectoryAccount): Promise<{ token: string; auth: Authenticated }> {
    const { token, session } = await this.sessions.create(account.id, this.now(), {
      actorId: account.actorId,
      functionIds: account.functionIds,
    });
    return { token, auth: { session, account } };
  }

  /** Ends a session. */
  signOut(sessionId: string): Promise<void> {
    return this.sessions.delete(sessionId);
  }
}
