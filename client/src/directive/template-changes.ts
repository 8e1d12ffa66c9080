import { directiveDiff, type DirectiveContent, type DirectiveField } from '@lagesbild/shared';

/**
 * How far a draft's start may lie from the template's and still count as the template's.
 * A template gives no moment, only "from now": the form fills it when drafting begins, the
 * hub again when the draft is saved (`shiftedToNow` brings the form's to the saving moment),
 * so the two differ by the clocks' skew and the time a command takes to arrive.
 */
export const TEMPLATE_START_SLACK_MS = 5 * 60_000;

/** Durations that differ by less than this are the same: the form holds whole minutes. */
const MINUTE = 60_000;

const TIME_FIELDS: ReadonlySet<DirectiveField> = new Set(['validFrom', 'validUntil', 'reviewAt']);

const differ = (a: number, b: number, tolerance: number): boolean =>
  Number.isNaN(a) || Number.isNaN(b) || Math.abs(a - b) >= tolerance;

/** Which time fields differ from the template's: the start within the slack, the rest as lengths. */
function changedTimes(content: DirectiveContent, template: DirectiveContent): DirectiveField[] {
  const start = Date.parse(content.validFrom);
  const templateStart = Date.parse(template.validFrom);
  const changed: DirectiveField[] = [];
  if (differ(start, templateStart, TEMPLATE_START_SLACK_MS)) changed.push('validFrom');
  if (
    differ(Date.parse(content.validUntil) - start, Date.parse(template.validUntil) - templateStart, MINUTE)
  ) {
    changed.push('validUntil');
  }
  if ((content.reviewAt === null) !== (template.reviewAt === null)) changed.push('reviewAt');
  else if (
    content.reviewAt !== null &&
    template.reviewAt !== null &&
    differ(Date.parse(content.reviewAt) - start, Date.parse(template.reviewAt) - templateStart, MINUTE)
  ) {
    changed.push('reviewAt');
  }
  return changed;
}

/**
 * The fields of a draft that differ from what its template filled in (`directiveDiff`),
 * the times read as the template gives them: a start "from now", and lengths from it.
 */
export function changedFromTemplate(
  content: DirectiveContent,
  template: DirectiveContent,
): Set<DirectiveField> {
  const changed = new Set(directiveDiff(template, content).map((change) => change.field));
  for (const field of TIME_FIELDS) changed.delete(field);
  for (const field of changedTimes(content, template)) changed.add(field);
  return changed;
}

/**
 * The draft's times as the template would fill them at `now`, where the person left them
 * as the template had them: the hub fills the template again when the draft is saved, and
 * a draft written over twenty minutes must not read as "start changed".
 */
export function shiftedToNow(
  content: DirectiveContent,
  template: DirectiveContent,
  now: number,
): DirectiveContent {
  const changed = new Set(changedTimes(content, template));
  if (changed.has('validFrom')) return content;
  const delta = now - Date.parse(content.validFrom);
  const shift = (iso: string) => new Date(Date.parse(iso) + delta).toISOString();
  return {
    ...content,
    validFrom: new Date(now).toISOString(),
    validUntil: changed.has('validUntil') ? content.validUntil : shift(content.validUntil),
    reviewAt:
      content.reviewAt === null || changed.has('reviewAt') ? content.reviewAt : shift(content.reviewAt),
  };
}
