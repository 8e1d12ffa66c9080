import {
  DirectiveContent,
  LIMITS,
  type AreaGeometry,
  type Position,
  type RegionConfig,
} from '@lagesbild/shared';
import { geometryFromPositions } from '../domain/drawing';
import { fromLocalInput, toLocalInput } from '../domain/format';

/** One responsibility as the form holds it: the owner is '' until one is chosen. */
export type FormItem = { id: string; text: string; ownerActorId: string };

/** The drafting form as filled in. Times are `datetime-local` values; '' for review means none. */
export type DirectiveForm = {
  purpose: string;
  priorities: string[];
  items: FormItem[];
  /** The area's outline as drawn, without the closing vertex; empty for no area. */
  area: Position[];
  limits: string;
  validFrom: string;
  validUntil: string;
  reviewAt: string;
  underReadiness: boolean;
};

/** What is wrong with the form, per field: each a key of `directive.problem`. */
export type FormProblem =
  | 'required'
  | 'tooLong'
  | 'badTime'
  | 'endsBeforeStart'
  | 'reviewBeforeStart'
  | 'noOwner'
  | 'unknownOwner'
  | 'areaTooSmall'
  | 'tooMany'
  | 'invalid';
export type FormProblems = {
  purpose?: FormProblem;
  /** Per priority, by position. */
  priorities?: Record<number, FormProblem>;
  prioritiesList?: FormProblem;
  /** Per item, by id: the text and the owner separately. */
  itemText?: Record<string, FormProblem>;
  itemOwner?: Record<string, FormProblem>;
  itemsList?: FormProblem;
  area?: FormProblem;
  limits?: FormProblem;
  validFrom?: FormProblem;
  validUntil?: FormProblem;
  reviewAt?: FormProblem;
  form?: FormProblem;
};

/** The outer ring of an area as vertices, without GeoJSON's repeated first vertex. */
const outline = (area: AreaGeometry | null): Position[] => (area?.coordinates[0] ?? []).slice(0, -1);

/** The form showing a directive's content: a version, a draft, or a filled template. */
export function formFromContent(content: DirectiveContent): DirectiveForm {
  return {
    purpose: content.purpose,
    priorities: [...content.priorities],
    items: content.items.map((item) => ({ ...item })),
    area: outline(content.area),
    limits: content.limits,
    validFrom: toLocalInput(content.validFrom),
    validUntil: toLocalInput(content.validUntil),
    reviewAt: toLocalInput(content.reviewAt),
    underReadiness: content.underReadiness,
  };
}

const HOUR = 3_600_000;

/**
 * A blank directive's form: valid from now for a day, reviewed in four hours (a common
 * rhythm of staff meetings), nothing else filled in.
 */
export function blankForm(now: number): DirectiveForm {
  return {
    purpose: '',
    priorities: [''],
    items: [],
    area: [],
    limits: '',
    validFrom: toLocalInput(new Date(now).toISOString()),
    validUntil: toLocalInput(new Date(now + 24 * HOUR).toISOString()),
    reviewAt: toLocalInput(new Date(now + 4 * HOUR).toISOString()),
    underReadiness: false,
  };
}

/**
 * A time from the form; the original's exact value while the person left the minute as it
 * was, so an untouched time keeps its seconds and compares equal to where it came from.
 */
function timeOf(value: string, original: string | null | undefined): string | null {
  if (original && toLocalInput(original) === value) return original;
  return fromLocalInput(value);
}

const textProblem = (text: string, max: number, required: boolean): FormProblem | undefined => {
  if (required && text.trim() === '') return 'required';
  if (text.length > max) return 'tooLong';
  return undefined;
};

/**
 * Checks the form as the hub will and builds the content, or says per field what is wrong.
 * `base` is the content the form started from (its untouched times are kept exactly);
 * `region` names the actors that may own items.
 */
export function contentFromForm(
  form: DirectiveForm,
  base: DirectiveContent | null,
  region: RegionConfig,
): { ok: true; content: DirectiveContent } | { ok: false; problems: FormProblems } {
  const problems: FormProblems = {};
  const purposeProblem = textProblem(form.purpose, LIMITS.maxTextLength, true);
  if (purposeProblem) problems.purpose = purposeProblem;

  const priorities = form.priorities.map((p) => p.trim());
  const priorityProblems: Record<number, FormProblem> = {};
  priorities.forEach((p, i) => {
    const problem = textProblem(p, LIMITS.maxTextLength, true);
    if (problem) priorityProblems[i] = problem;
  });
  if (Object.keys(priorityProblems).length > 0) problems.priorities = priorityProblems;
  if (priorities.length > LIMITS.maxDirectivePriorities) problems.prioritiesList = 'tooMany';

  const actorIds = new Set(region.actors.map((a) => a.id));
  const itemText: Record<string, FormProblem> = {};
  const itemOwner: Record<string, FormProblem> = {};
  for (const item of form.items) {
    const problem = textProblem(item.text, LIMITS.maxTextLength, true);
    if (problem) itemText[item.id] = problem;
    if (item.ownerActorId === '') itemOwner[item.id] = 'noOwner';
    else if (!actorIds.has(item.ownerActorId)) itemOwner[item.id] = 'unknownOwner';
  }
  if (Object.keys(itemText).length > 0) problems.itemText = itemText;
  if (Object.keys(itemOwner).length > 0) problems.itemOwner = itemOwner;
  if (form.items.length > LIMITS.maxDirectiveItems) problems.itemsList = 'tooMany';

  const area = form.area.length === 0 ? null : geometryFromPositions('Polygon', form.area);
  if (form.area.length > 0 && area === null) problems.area = 'areaTooSmall';
  if (form.limits.length > LIMITS.maxTextLength) problems.limits = 'tooLong';

  const validFrom = timeOf(form.validFrom, base?.validFrom);
  const validUntil = timeOf(form.validUntil, base?.validUntil);
  const reviewAt = form.reviewAt === '' ? null : timeOf(form.reviewAt, base?.reviewAt);
  if (validFrom === null) problems.validFrom = form.validFrom === '' ? 'required' : 'badTime';
  if (validUntil === null) problems.validUntil = form.validUntil === '' ? 'required' : 'badTime';
  else if (validFrom !== null && Date.parse(validUntil) <= Date.parse(validFrom)) {
    problems.validUntil = 'endsBeforeStart';
  }
  if (form.reviewAt !== '' && reviewAt === null) problems.reviewAt = 'badTime';
  else if (reviewAt !== null && validFrom !== null && Date.parse(reviewAt) < Date.parse(validFrom)) {
    problems.reviewAt = 'reviewBeforeStart';
  }
  if (Object.keys(problems).length > 0 || validFrom === null || validUntil === null) {
    return { ok: false, problems };
  }

  const parsed = DirectiveContent.safeParse(lenientContent(form, base));
  if (!parsed.success) return { ok: false, problems: { form: 'invalid' } };
  return { ok: true, content: parsed.data };
}

/**
 * The form read as content without checking it, for showing what changed while the person
 * types: a time that cannot be read is '' (it differs from every time), an area too small
 * to be one is none, an owner not chosen is ''.
 */
export function lenientContent(form: DirectiveForm, base: DirectiveContent | null): DirectiveContent {
  const area = form.area.length === 0 ? null : geometryFromPositions('Polygon', form.area);
  return {
    purpose: form.purpose.trim(),
    priorities: form.priorities.map((p) => p.trim()),
    items: form.items.map((item) => ({ ...item, text: item.text.trim() })),
    area: area?.type === 'Polygon' ? area : null,
    limits: form.limits,
    validFrom: timeOf(form.validFrom, base?.validFrom) ?? '',
    validUntil: timeOf(form.validUntil, base?.validUntil) ?? '',
    reviewAt: form.reviewAt === '' ? null : (timeOf(form.reviewAt, base?.reviewAt) ?? ''),
    underReadiness: form.underReadiness,
  };
}

/** Moves the entry at `from` to `to`, leaving the list as it was when either is out of range. */
export function moved<T>(list: readonly T[], from: number, to: number): T[] {
  if (from < 0 || from >= list.length || to < 0 || to >= list.length) return [...list];
  const next = [...list];
  const [entry] = next.splice(from, 1);
  if (entry !== undefined) next.splice(to, 0, entry);
  return next;
}
