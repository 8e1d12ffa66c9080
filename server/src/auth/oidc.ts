import { randomBytes } from 'node:crypto';
import * as client from 'openid-client';
import type { OidcSignInError } from '@lagesbild/shared';
import { z } from 'zod';
import type { Logger } from '../base/logger.js';
import { sessionIdOf } from './sessions.js';

/** The relying party's settings (config.ts, env `OIDC_*`). */
export type OidcConfig = {
  issuer: string;
  clientId: string;
  /** Null for a public client, which proves itself with PKCE alone. */
  clientSecret: string | null;
  redirectUrl: string;
  scopes: string;
  actorClaim: string;
  functionsClaim: string;
};

/** What the browser's sign-in must come back with: kept on the hub, named by a cookie. */
const PendingLogin = z.strictObject({ state: z.string(), nonce: z.string(), codeVerifier: z.string() });
type PendingLogin = z.infer<typeof PendingLogin>;

/** How long a person may spend at the provider before the sign-in must start again. */
export const PENDING_LOGIN_TTL_MS = 10 * 60_000;

/** Started sign-ins, one-time: memory for one hub, Redis when the callback may reach another hub. */
export interface PendingLogins {
  put(id: string, login: PendingLogin): Promise<void>;
  /** The pending sign-in, removed so that it cannot be completed twice. */
  take(id: string): Promise<PendingLogin | null>;
}

export class MemoryPendingLogins implements PendingLogins {
  private readonly logins = new Map<string, { login: PendingLogin; expiresAt: number }>();
  constructor(private readonly now: () => number = Date.now) {}

  async put(id: string, login: PendingLogin) {
    const now = this.now();
    // Abandoned sign-ins would otherwise stay until restart.
    for (const [key, entry] of this.logins) if (entry.expiresAt <= now) this.logins.delete(key);
    this.logins.set(id, { login, expiresAt: now + PENDING_LOGIN_TTL_MS });
  }

  async take(id: string) {
    const entry = this.logins.get(id);
    this.logins.delete(id);
    return entry && entry.expiresAt > this.now() ? entry.login : null;
  }
}

/** The Redis key-value operations the pending sign-ins are kept with. */
export interface PendingLoginKeyValue {
  get(key: string): Promise<string | null>;
  set(key: string, value: string, ttlMs: number): Promise<void>;
  del(key: string): Promise<void>;
}

/** Pending sign-ins in the same Redis as the sessions, so any hub can finish them. */
export class KeyValuePendingLogins implements PendingLogins {
  constructor(
    private readonly kv: PendingLoginKeyValue,
    private readonly prefix: string,
  ) {}

  private key(id: string) {
    // Stored under a hash, like sessions: a dump of Redis does not let anyone finish a sign-in.
    return `${this.prefix}oidc-pending:${sessionIdOf(id)}`;
  }

  async put(id: string, login: PendingLogin) {
    await this.kv.set(this.key(id), JSON.stringify(login), PENDING_LOGIN_TTL_MS);
  }

  async take(id: string) {
    const raw = await this.kv.get(this.key(id));
    if (raw === null) return null;
    await this.kv.del(this.key(id));
    const parsed = PendingLogin.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  }
}

export type OidcStart = { transactionId: string; redirectTo: URL };
export type OidcOutcome =
  { ok: true; claims: Record<string, unknown> } | { ok: false; error: OidcSignInError };

/**
 * The hub as an OpenID Connect relying party (openid-client): authorization code flow
 * with PKCE (S256), state and nonce. The provider is discovered on first use, so a hub
 * starts while the provider is down and password sign-in keeps working.
 */
export class OidcRelyingParty {
  private discovered: Promise<client.Configuration> | null = null;

  constructor(
    readonly config: OidcConfig,
    private readonly pending: PendingLogins,
    private readonly logger: Logger,
  ) {}

  /** Starts a sign-in: where to send the browser, and the id its cookie must carry back. */
  async start(): Promise<OidcStart | { error: OidcSignInError }> {
    const configuration = await this.configuration();
    if (!configuration) return { error: 'oidc_unavailable' };
    const login: PendingLogin = {
      state: client.randomState(),
      nonce: client.randomNonce(),
      codeVerifier: client.randomPKCECodeVerifier(),
    };
    const transactionId = randomBytes(32).toString('base64url');
    await this.pending.put(transactionId, login);
    const redirectTo = client.buildAuthorizationUrl(configuration, {
      redirect_uri: this.config.redirectUrl,
      scope: this.config.scopes,
      state: login.state,
      nonce: login.nonce,
      code_challenge: await client.calculatePKCECodeChallenge(login.codeVerifier),
      code_challenge_method: 'S256',
    });
    return { transactionId, redirectTo };
  }

  /**
   * Finishes a sign-in from the provider's redirect: checks state, exchanges the code
   * with the PKCE verifier, validates the ID token (signature, issuer, audience, expiry,
   * nonce) and returns its claims merged with the userinfo claims.
   */
  async finish(transactionId: string | undefined, query: URLSearchParams): Promise<OidcOutcome> {
    const login = transactionId ? await this.pending.take(transactionId) : null;
    if (!login) return { ok: false, error: 'expired' };
    if (query.get('state') !== login.state) return { ok: false, error: 'state_mismatch' };
    if (query.has('error')) {
      this.logger.info({ error: query.get('error') }, 'oidc: the provider refused the sign-in');
      return { ok: false, error: query.get('error') === 'access_denied' ? 'denied' : 'provider_error' };
    }
    const configuration = await this.configuration();
    if (!configuration) return { ok: false, error: 'oidc_unavailable' };
    // The redirect URL as registered, not as this hub saw it behind a proxy.
    const callback = new URL(this.config.redirectUrl);
    callback.search = query.toString();
    try {
      const tokens = await client.authorizationCodeGrant(configuration, callback, {
        pkceCodeVerifier: login.codeVerifier,
        expectedState: login.state,
        expectedNonce: login.nonce,
        idTokenExpected: true,
      });
      const idToken = tokens.claims();
      if (!idToken) return { ok: false, error: 'provider_error' };
      const userinfo = configuration.serverMetadata().userinfo_endpoint
        ? await client.fetchUserInfo(configuration, tokens.access_token, idToken.sub)
        : {};
      // The ID token's iss and sub are the validated identity; userinfo only adds claims.
      return { ok: true, claims: { ...userinfo, ...idToken } };
    } catch (error) {
      // Only the kind of failure: messages of token errors may quote token contents.
      this.logger.warn({ error: errorKind(error) }, 'oidc: the sign-in could not be completed');
      return { ok: false, error: 'provider_error' };
    }
  }

  private async configuration(): Promise<client.Configuration | null> {
    this.discovered ??= this.discover();
    try {
      return await this.discovered;
    } catch (error) {
      this.discovered = null;
      this.logger.warn(
        { error: errorKind(error), issuer: this.config.issuer },
        'oidc: provider discovery failed',
      );
      return null;
    }
  }

  private discover(): Promise<client.Configuration> {
    const issuer = new URL(this.config.issuer);
    const { clientId, clientSecret } = this.config;
    // Plain http only for a provider on this machine (development and tests).
    const local = ['localhost', '127.0.0.1', '[::1]'].includes(issuer.hostname);
    return client.discovery(
      issuer,
      clientId,
      clientSecret ?? undefined,
      clientSecret ? client.ClientSecretBasic(clientSecret) : client.None(),
      { execute: local && issuer.protocol === 'http:' ? [client.allowInsecureRequests] : [], timeout: 10 },
    );
  }
}

function errorKind(error: unknown): string {
  if (!(error instanceof Error)) return 'unknown';
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? `${error.name}:${code}` : error.name;
}
