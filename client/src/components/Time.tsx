import { useTranslation } from 'react-i18next';
import { formatTime } from '../domain/format';

/** A timestamp in the reader's language, machine-readable too. */
export function Time({ iso }: { iso: string }) {
  const { i18n } = useTranslation();
  return <time dateTime={iso}>{formatTime(iso, i18n.language)}</time>;
}
