import type { TFunction } from 'i18next';
import type { ClientError } from '../api/client-result';
import { currentLanguage } from '../i18n/i18n';

/**
 * An error in the UI's words. The hub's own `message` is English and meant for logs and
 * API users: it is added as detail only when the UI speaks English, so a Swedish sentence
 * never ends in English.
 */
export function errorText(t: TFunction, error: ClientError): string {
  const text = t(`errors.${error.code}`);
  return error.fromHub && error.message && currentLanguage() === 'en' ? `${text} (${error.message})` : text;
}

/**
 * A refused sign-in. There `unauthenticated` means the username or password was wrong (or
 * the account is locked), not that a session ran out; `log_unavailable` means the hub
 * cannot reach the database sessions are kept in, not that a change was not saved.
 */
export function signInErrorText(t: TFunction, error: ClientError): string {
  if (error.code === 'unauthenticated') return t('session.wrongCredentials');
  if (error.code === 'log_unavailable') return t('session.noDatabase');
  return errorText(t, error);
}
