import type { Readiness } from '@lagesbild/shared';
import type { TFunction } from 'i18next';

const locale = (language: string): string => (language === 'en' ? 'en-GB' : 'sv-SE');

/**
 * The government decision behind heightened readiness as the banner names it:
 * "Regeringsbeslut Fö2026/01234, 2026-03-01". Null while none is in force or no decision was
 * named (a readiness raised before decisions were recorded).
 */
export function readinessDecisionText(readiness: Readiness, t: TFunction, language: string): string | null {
  if (!readiness.heightened || readiness.decisionRef.trim() === '') return null;
  const ref = readiness.decisionRef.trim();
  if (readiness.decisionDate === null) return t('mode.readinessDecision', { ref });
  return t('mode.readinessDecisionDated', {
    ref,
    date: formatDecisionDate(readiness.decisionDate, language),
  });
}

/**
 * A decision's date, which the form stores as noon UTC of the day (see `decisionDateOf`), so
 * it reads as the same day on every clock in Europe.
 */
export function formatDecisionDate(iso: string, language: string): string {
  return new Intl.DateTimeFormat(locale(language), { dateStyle: 'short', timeZone: 'UTC' }).format(
    new Date(iso),
  );
}

/**
 * The date of an `<input type="date">` ("2026-03-01") as the decision's time: noon UTC that
 * day. Null for what is no date; a day that does not exist (31 February) too, since `Date`
 * would silently roll it over into March.
 */
export function decisionDateOf(day: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return null;
  const iso = `${day}T12:00:00.000Z`;
  const parsed = new Date(iso);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString() === iso ? iso : null;
}

/** A decision's time back as the value of an `<input type="date">`. */
export const dayOf = (iso: string | null): string => (iso ? iso.slice(0, 10) : '');
