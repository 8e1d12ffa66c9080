import {
  LIMITS,
  type CommandPayload,
  type Readiness,
  type ReadinessDecision,
  type ReadinessLevel,
} from '@lagesbild/shared';
import { dayOf, decisionDateOf } from './readiness-decision';

// The form in which Länsstyrelsen's duty officer records the government's decision on höjd
// beredskap: the level, where it applies, the decision's reference and date, and a note.
// Pure, so the rules the hub applies can be shown before anything is sent.

/** What the form holds; the date as an `<input type="date">` value. */
export type ReadinessForm = {
  level: ReadinessLevel;
  scope: ReadinessDecision['scope'];
  parts: string;
  decisionRef: string;
  decisionDay: string;
  note: string;
};

/** The fields that can be wrong, and why. */
export type ReadinessFormErrors = Partial<
  Record<'parts' | 'decisionRef' | 'decisionDay' | 'note', 'required' | 'tooLong' | 'badDate'>
>;

/** Longest decision reference the hub accepts. */
const MAX_REF = 200;

/** The form opened on the readiness in force: changing it starts from what is shown. */
export function formFromReadiness(readiness: Readiness): ReadinessForm {
  // A readiness raised before levels existed is heightened, the lower of the two.
  const level = readiness.level === 'none' && readiness.heightened ? 'heightened' : readiness.level;
  return {
    level,
    scope: readiness.scope,
    parts: readiness.parts,
    decisionRef: readiness.decisionRef,
    decisionDay: dayOf(readiness.decisionDate),
    note: readiness.note,
  };
}

/**
 * What the hub would refuse, per field: raising needs the government decision named and
 * dated, and the parts named when it covers only parts of the country. Lifting needs none.
 */
export function readinessFormErrors(form: ReadinessForm): ReadinessFormErrors {
  const errors: ReadinessFormErrors = {};
  if (form.note.length > LIMITS.maxTextLength) errors.note = 'tooLong';
  if (form.level === 'none') return errors;
  if (form.decisionRef.trim() === '') errors.decisionRef = 'required';
  else if (form.decisionRef.trim().length > MAX_REF) errors.decisionRef = 'tooLong';
  if (form.decisionDay === '') errors.decisionDay = 'required';
  else if (decisionDateOf(form.decisionDay) === null) errors.decisionDay = 'badDate';
  if (form.scope === 'parts' && form.parts.trim() === '') errors.parts = 'required';
  else if (form.parts.length > LIMITS.maxTextLength) errors.parts = 'tooLong';
  return errors;
}

/**
 * The `readiness.set` the form sends. Lifting clears the decision: what was in force is in
 * the log, and a later raise must name its own.
 */
export function readinessPayload(form: ReadinessForm): CommandPayload<'readiness.set'> {
  const raised = form.level !== 'none';
  const decision: ReadinessDecision = raised
    ? {
        level: form.level,
        scope: form.scope,
        parts: form.scope === 'parts' ? form.parts.trim() : '',
        decisionRef: form.decisionRef.trim(),
        decisionDate: decisionDateOf(form.decisionDay),
      }
    : { level: 'none', scope: 'country', parts: '', decisionRef: '', decisionDate: null };
  return { heightened: raised, note: form.note.trim(), decision };
}

/** Whether sending the form would change nothing (the hub would refuse it as a conflict). */
export function isUnchanged(form: ReadinessForm, readiness: Readiness): boolean {
  const sent = readinessPayload(form);
  return (
    sent.heightened === readiness.heightened &&
    sent.note === readiness.note &&
    sent.decision?.level === readiness.level &&
    sent.decision.scope === readiness.scope &&
    sent.decision.parts === readiness.parts &&
    sent.decision.decisionRef === readiness.decisionRef &&
    sent.decision.decisionDate === readiness.decisionDate
  );
}
