import { SessionInfo } from '@lagesbild/shared';
import { useSession } from '../stores/session';

// A phone in the field opens the app where there is no network. The service worker gives
// it the page; this gives it who the user is, so the forms can fill the outbox until the
// hub can be reached. Only what the page needs is kept, never the CSRF token, and it is
// forgotten at sign-out or when the hub refuses the session.

const KEY = 'lagesbild.phone.session';
const Remembered = SessionInfo.omit({ csrfToken: true });

let remembering = false;

/** Keeps the signed-in session's public part in local storage, for opening offline. */
export function rememberSessionForOffline(): void {
  if (remembering) return;
  remembering = true;
  useSession.subscribe((state, previous) => {
    if (state.status === previous.status && state.session === previous.session) return;
    if (state.status === 'signedIn' && state.session) {
      const { csrfToken: _token, ...rest } = state.session;
      write(JSON.stringify(rest));
    } else if (state.status === 'signedOut') {
      write(null);
    }
  });
}

/** The remembered session, to work offline with; null when there is none or it does not parse. */
export function offlineSession(): SessionInfo | null {
  const raw = read();
  if (raw === null) return null;
  try {
    const parsed = Remembered.safeParse(JSON.parse(raw));
    // No token: a write over HTTP would be refused; the outbox sends over the socket.
    return parsed.success ? { ...parsed.data, csrfToken: '' } : null;
  } catch {
    return null;
  }
}

function read(): string | null {
  try {
    return globalThis.localStorage?.getItem(KEY) ?? null;
  } catch {
    return null;
  }
}

function write(value: string | null): void {
  try {
    if (value === null) globalThis.localStorage?.removeItem(KEY);
    else globalThis.localStorage?.setItem(KEY, value);
  } catch {
    // Storage blocked: the phone then needs the network to open.
  }
}
