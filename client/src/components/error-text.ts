import type { TFunction } from 'i18next';
import type { ClientError } from '../api/client-result';

/** An error in the UI's words, with the hub's own explanation when it gave one. */
export function errorText(t: TFunction, error: ClientError): string {
  const text = t(`errors.${error.code}`);
  return error.fromHub && error.message ? `${text} (${error.message})` : text;
}
