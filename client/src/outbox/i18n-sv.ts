import type { Widen } from '../i18n/sv';

/**
 * The names of the commands waiting in an outbox, in Swedish: only the outbox lists show them
 * (the operator's outbox panel and the phone's), so they load with those, not with the first
 * page (`registerTranslations`).
 */
export const commandTypeSv = {
  commandType: {
    incident: {
      request: 'Begäran om samverkan',
      activate: 'Aktivering',
      update: 'Ändring av händelse',
      close: 'Avslut av händelse',
    },
    readiness: { set: 'Höjd beredskap' },
    activation: { acknowledge: 'Kvittens' },
    report: { submit: 'Lägesrapport' },
    fieldReport: { submit: 'Fältrapport' },
    checkin: { create: 'Incheckning', checkout: 'Utcheckning' },
    logEntry: { add: 'Loggpost' },
    conference: {
      schedule: 'Kallelse till samverkanskonferens',
      reschedule: 'Ändrad samverkanskonferens',
      open: 'Öppnad samverkanskonferens',
      step: 'Steg i samverkanskonferens',
      rollCall: 'Upprop',
      round: 'Runda',
      assess: 'Samlad bedömning',
      setNext: 'Nästa samverkanskonferens',
      close: 'Avslutad samverkanskonferens',
      approveMinutes: 'Godkänt protokoll',
    },
    actionItem: { record: 'Beslut eller åtgärdspunkt', setStatus: 'Status för åtgärdspunkt' },
    offer: { make: 'Erbjudande', answer: 'Svar på erbjudande' },
    need: { settle: 'Bedömning av behov' },
    directive: {
      draft: 'Utkast till inriktning',
      decide: 'Beslut om inriktning',
      cosign: 'Medbeslut om inriktning',
      confirm: 'Mottagen inriktning',
      reportItem: 'Rapport om ansvar i inriktning',
    },
    jointMessage: {
      draft: 'Version av samordnat budskap',
      approve: 'Godkännande av samordnat budskap',
      requestChange: 'Begärd ändring av samordnat budskap',
      publish: 'Publicering av samordnat budskap',
      cancel: 'Återkallat samordnat budskap',
    },
    directiveTemplate: {
      save: 'Sparad förberedd inriktning',
      remove: 'Borttagen förberedd inriktning',
      restore: 'Återställd förberedd inriktning',
    },
  },
} as const;

export type CommandTypeTranslation = Widen<typeof commandTypeSv>;
