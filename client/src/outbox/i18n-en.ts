import type { CommandTypeTranslation } from './i18n-sv';

/** The names of the commands waiting in an outbox, in English: the keys of `i18n-sv.ts`. */
export const commandTypeEn: CommandTypeTranslation = {
  commandType: {
    incident: {
      request: 'Request for joint handling',
      activate: 'Activation',
      update: 'Change of incident',
      close: 'Closing of incident',
    },
    readiness: { set: 'Heightened readiness' },
    activation: { acknowledge: 'Acknowledgement' },
    report: { submit: 'Situation report' },
    fieldReport: { submit: 'Field report' },
    checkin: { create: 'Check-in', checkout: 'Check-out' },
    logEntry: { add: 'Log entry' },
    conference: {
      schedule: 'Coordination conference called',
      reschedule: 'Coordination conference changed',
      open: 'Coordination conference opened',
      step: 'Coordination conference step',
      rollCall: 'Roll call',
      round: 'Round',
      assess: 'Common assessment',
      setNext: 'Next coordination conference',
      close: 'Coordination conference closed',
      approveMinutes: 'Minutes approved',
    },
    actionItem: { record: 'Decision or action item', setStatus: 'Action item status' },
    offer: { make: 'Offer', answer: 'Answer to an offer' },
    need: { settle: 'Judgement of a need' },
    directive: {
      draft: 'Draft of a directive',
      decide: 'Decision on a directive',
      cosign: 'Co-signature of a directive',
      confirm: 'Directive received',
      reportItem: 'Report on a directive responsibility',
    },
    jointMessage: {
      draft: 'Version of a joint message',
      approve: 'Approval of a joint message',
      requestChange: 'Change asked of a joint message',
      publish: 'Publication of a joint message',
      cancel: 'Joint message withdrawn',
    },
    directiveTemplate: {
      save: 'Prepared directive saved',
      remove: 'Prepared directive removed',
      restore: 'Prepared directive restored',
    },
  },
};
