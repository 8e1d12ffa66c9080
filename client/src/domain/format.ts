// English readers here are in Sweden: day before month and a 24-hour clock.
const locale = (language: string): string => (language === 'en' ? 'en-GB' : 'sv-SE');

/** "för 5 sekunder sedan" / "5 seconds ago": the age of something, in the UI's language. */
export function formatAge(ageMs: number, language: string): string {
  const rtf = new Intl.RelativeTimeFormat(locale(language), { numeric: 'auto' });
  const seconds = Math.max(0, Math.round(ageMs / 1000));
  if (seconds < 60) return rtf.format(-seconds, 'second');
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return rtf.format(-minutes, 'minute');
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return rtf.format(-hours, 'hour');
  return rtf.format(-Math.floor(hours / 24), 'day');
}

/** A timestamp as the reader's local date and time. */
export function formatTime(iso: string, language: string): string {
  return new Intl.DateTimeFormat(locale(language), { dateStyle: 'short', timeStyle: 'short' }).format(
    new Date(iso),
  );
}
