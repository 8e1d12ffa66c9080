import type { ReadinessTranslation } from './i18n-sv';

/** English for the dialog that records a readiness decision: the keys of `i18n-sv.ts`. */
export const readinessEn: ReadinessTranslation = {
  readiness: {
    title: 'Heightened readiness',
    intro:
      'The government decides on heightened readiness. Here you show its decision to every actor, on screens, wall displays and phones. It does not replace the statutory chains of command.',
    level: 'Readiness level',
    levelOption: {
      none: 'No heightened readiness',
      lift: 'Lift heightened readiness',
      heightened: 'Heightened readiness (skärpt beredskap)',
      highest: 'Highest readiness (högsta beredskap)',
    },
    scope: 'Scope',
    scopeOption: {
      country: 'Whole country',
      parts: 'Parts of the country',
    },
    parts: 'Which parts of the country',
    partsHint: 'As in the government decision, e.g. “Stockholm, Uppsala and Gotland counties”.',
    decisionRef: "The government decision's reference",
    decisionRefHint: 'Registration number, e.g. Fö2026/01234.',
    decisionDate: 'Date of the decision',
    note: 'Comment',
    noteHint: 'E.g. from when the decision applies, or where to read it.',
    submitRaise: 'Show heightened readiness',
    submitChange: 'Save the change',
    submitLift: 'Lift heightened readiness',
    errors: {
      required: 'This field is required.',
      tooLong: 'The text is too long.',
      badDate: 'Enter a valid date.',
      unchanged: 'You have not changed anything.',
    },
  },
};
