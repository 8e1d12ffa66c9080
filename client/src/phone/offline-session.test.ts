import { beforeEach, describe, expect, it } from 'vitest';
import { useSession } from '../stores/session';
import { buildSessionInfo } from '../test/fixtures';
import { offlineSession, rememberSessionForOffline } from './offline-session';

describe('offline session', () => {
  beforeEach(() => {
    localStorage.clear();
    useSession.setState({ status: 'loading', session: null, signedOutReason: null });
    rememberSessionForOffline();
  });

  it('remembers who signed in, without the CSRF token, for opening without network', () => {
    useSession.getState().setSignedIn(buildSessionInfo({ csrfToken: 'secret-token' }));
    expect(localStorage.getItem('lagesbild.phone.session')).not.toContain('secret-token');
    expect(offlineSession()).toMatchObject({ user: { name: 'Nils Nord' }, actorId: 'nacka', csrfToken: '' });
  });

  it('forgets it at sign-out', () => {
    useSession.getState().setSignedIn(buildSessionInfo());
    useSession.getState().setSignedOut('expired');
    expect(offlineSession()).toBeNull();
  });

  it('keeps it while the hub cannot be reached', () => {
    useSession.getState().setSignedIn(buildSessionInfo());
    useSession.getState().setUnreachable();
    expect(offlineSession()?.actorId).toBe('nacka');
  });

  it('ignores a stored value that is not a session', () => {
    localStorage.setItem('lagesbild.phone.session', '{"user":"x"}');
    expect(offlineSession()).toBeNull();
    localStorage.setItem('lagesbild.phone.session', 'not json');
    expect(offlineSession()).toBeNull();
  });
});
