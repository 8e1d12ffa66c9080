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

/** "07:42": a time of day on the reader's clock. */
export function formatClock(iso: string, language: string): string {
  return new Intl.DateTimeFormat(locale(language), { hour: '2-digit', minute: '2-digit' }).format(
    new Date(iso),
  );
}

/** "1 h 5 min", "3 min 20 s", "12 s": a span short enough for a matrix cell. */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  if (h > 0) return `${h} h ${m} min`;
  if (m > 0) return `${m} min ${s} s`;
  return `${s} s`;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** An ISO time as the value of an `<input type="datetime-local">`, in the reader's time zone. */
export function toLocalInput(iso: string | null): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** The value of a `datetime-local` input as an ISO time (UTC), or null when empty or invalid. */
export function fromLocalInput(value: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(value)) return null;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}
