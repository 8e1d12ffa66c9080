import type { Widen } from '../i18n/sv';

/**
 * Swedish for the dialog that records a readiness decision. These texts load with those views
 * (`registerTranslations` at the top of each lazily loaded module), not with the first page; the
 * keys the button that opens it and the mode banner use stay in `i18n/sv.ts`.
 */
export const readinessSv = {
  readiness: {
    title: 'Höjd beredskap',
    intro:
      'Regeringen beslutar om höjd beredskap. Här visar du beslutet för alla aktörer, på skärmar, väggskärmar och telefoner. Det ersätter inte de lagstadgade ledningskedjorna.',
    level: 'Beredskapsnivå',
    levelOption: {
      none: 'Ingen höjd beredskap',
      lift: 'Häv höjd beredskap',
      heightened: 'Skärpt beredskap',
      highest: 'Högsta beredskap',
    },
    scope: 'Omfattning',
    scopeOption: {
      country: 'Hela landet',
      parts: 'Delar av landet',
    },
    parts: 'Vilka delar av landet',
    partsHint: 'Som i regeringens beslut, t.ex. ”Stockholms, Uppsala och Gotlands län”.',
    decisionRef: 'Regeringsbeslutets beteckning',
    decisionRefHint: 'Diarienummer, t.ex. Fö2026/01234.',
    decisionDate: 'Beslutsdatum',
    note: 'Kommentar',
    noteHint: 'T.ex. från och med när beslutet gäller, eller var det finns att läsa.',
    submitRaise: 'Visa höjd beredskap',
    submitChange: 'Spara ändringen',
    submitLift: 'Häv höjd beredskap',
    errors: {
      required: 'Fältet måste fyllas i.',
      tooLong: 'Texten är för lång.',
      badDate: 'Ange ett giltigt datum.',
      unchanged: 'Du har inte ändrat något.',
    },
  },
} as const;

export type ReadinessTranslation = Widen<typeof readinessSv>;
