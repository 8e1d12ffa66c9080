import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { OidcSignInError } from '@lagesbild/shared';
import { useTranslation } from 'react-i18next';
import type { ClientError } from '../api/client-result';
import { getAuthMethods } from '../api/session-api';
import { LanguageSwitch } from '../components/LanguageSwitch';
import { PendingNotice } from '../components/PendingNotice';
import { signInErrorText } from '../components/error-text';
import { signIn } from '../session-flow';
import { useSession } from '../stores/session';

type FormProblem = { kind: 'missing' } | { kind: 'refused'; error: ClientError };

/** Why the identity provider's sign-in came back refused (`/?signin_error=…`), if it did. */
const oidcErrorFromUrl = (): OidcSignInError | null => {
  const parsed = OidcSignInError.safeParse(new URLSearchParams(window.location.search).get('signin_error'));
  return parsed.success ? parsed.data : null;
};

/** Username and password; the hub's refusal is shown in words, next to the form. */
export function SignInPage() {
  const { t } = useTranslation();
  const expired = useSession((s) => s.signedOutReason === 'expired');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [problem, setProblem] = useState<FormProblem | null>(null);
  const [pending, setPending] = useState(false);
  const usernameRef = useRef<HTMLInputElement>(null);
  const errorId = useId();
  const [oidcAvailable, setOidcAvailable] = useState(false);
  const [oidcError] = useState(oidcErrorFromUrl);

  useEffect(() => {
    let current = true;
    void getAuthMethods().then((result) => {
      if (current && result.ok) setOidcAvailable(result.data.oidc);
    });
    return () => {
      current = false;
    };
  }, []);

  const handleSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (pending) return;
    if (username.trim() === '' || password === '') {
      setProblem({ kind: 'missing' });
      usernameRef.current?.focus();
      return;
    }
    setPending(true);
    setProblem(null);
    const result = await signIn(username.trim(), password);
    // On success this page is replaced by the dashboard.
    if (!result.ok) {
      setPending(false);
      setProblem({ kind: 'refused', error: result.error });
    }
  };

  const describedBy = problem ? errorId : undefined;

  return (
    <main className="sign-in" id="main">
      <div className="sign-in__corner">
        <LanguageSwitch />
      </div>
      <div className="sign-in__card">
        <h1 className="sign-in__app">{t('app.name')}</h1>
        <p className="sign-in__tagline">{t('app.tagline')}</p>
        <h2>{t('session.title')}</h2>
        {expired && !problem && <p className="notice">{t('session.expired')}</p>}
        {/* Commands kept from before (a session that ran out): they go once the person is back. */}
        <PendingNotice waitingFor="signIn" />
        {oidcError && (
          <p className="form__error" role="alert">
            {t(`session.oidcErrors.${oidcError}`)}
          </p>
        )}
        {oidcAvailable && (
          <>
            <a className="button button--primary sign-in__oidc" href="/api/oidc/login">
              {t('session.oidc')}
            </a>
            <p className="sign-in__or">{t('session.or')}</p>
          </>
        )}
        <form className="form" onSubmit={(e) => void handleSubmit(e)} noValidate aria-busy={pending}>
          <div className="form__field">
            <label htmlFor="sign-in-username">{t('session.username')}</label>
            <input
              id="sign-in-username"
              ref={usernameRef}
              name="username"
              autoComplete="username"
              autoCapitalize="none"
              spellCheck={false}
              required
              aria-invalid={problem !== null}
              aria-describedby={describedBy}
              value={username}
              onChange={(e) => setUsername(e.target.value)}
            />
          </div>
          <div className="form__field">
            <label htmlFor="sign-in-password">{t('session.password')}</label>
            <input
              id="sign-in-password"
              name="password"
              type="password"
              autoComplete="current-password"
              required
              aria-invalid={problem !== null}
              aria-describedby={describedBy}
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
          </div>
          {problem && (
            <div className="form__error" role="alert" id={errorId}>
              {problem.kind === 'missing' ? (
                <p>{t('session.missingFields')}</p>
              ) : (
                <p>{signInErrorText(t, problem.error)}</p>
              )}
            </div>
          )}
          <button type="submit" className="button button--primary" disabled={pending}>
            {pending ? t('session.signingIn') : t('session.signIn')}
          </button>
        </form>
      </div>
    </main>
  );
}
