// Time as a room reads it: 24-hour clock, and ages in whole units ("3 minuter").

const locale = (language: string): string => (language === 'en' ? 'en-GB' : 'sv-SE');

/** "14:02:33". */
export const formatClock = (at: number, language: string): string =>
  new Intl.DateTimeFormat(locale(language), { hour: '2-digit', minute: '2-digit', second: '2-digit' }).format(
    at,
  );

/** "14:02". */
export const formatTimeOfDay = (at: number | string, language: string): string =>
  new Intl.DateTimeFormat(locale(language), { hour: '2-digit', minute: '2-digit' }).format(new Date(at));

/** "onsdag 1 maj". */
export const formatDate = (at: number, language: string): string =>
  new Intl.DateTimeFormat(locale(language), { weekday: 'long', day: 'numeric', month: 'long' }).format(at);

/**
 * "45 sekunder", "3 minuter", "2 timmar": one unit, rounded down, so the number on the
 * wall only ever grows while the link is down.
 */
export function formatDuration(ms: number, language: string): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  const [value, unit] =
    seconds < 60
      ? [seconds, 'second']
      : seconds < 3600
        ? [Math.floor(seconds / 60), 'minute']
        : seconds < 48 * 3600
          ? [Math.floor(seconds / 3600), 'hour']
          : [Math.floor(seconds / 86_400), 'day'];
  return new Intl.NumberFormat(locale(language), { style: 'unit', unit, unitDisplay: 'long' }).format(value);
}

/** "09:00" today, "1 maj 09:00" another day: a conference time is never ambiguous. */
export function formatWhen(at: string, now: number, language: string): string {
  const when = new Date(at);
  const today = new Date(now);
  const sameDay =
    when.getFullYear() === today.getFullYear() &&
    when.getMonth() === today.getMonth() &&
    when.getDate() === today.getDate();
  if (sameDay) return formatTimeOfDay(at, language);
  return new Intl.DateTimeFormat(locale(language), {
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
  }).format(when);
}
