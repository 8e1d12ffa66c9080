import {
  ACTOR_KINDS,
  DirectiveTemplate,
  LIMITS,
  type IncidentKind,
  type TemplateItem,
} from '@lagesbild/shared';

// The administrator's form for one prepared directive. Pure: what the form holds, what is
// wrong with it in words a person can act on, and the template it sends — the hub parses the
// same schema, so a form that passes here is not refused for its shape.

/** One responsibility row: an actor kind and the text every actor of that kind gets. */
export type ItemRow = { actorKind: TemplateItem['actorKind']; text: string };

/** What the form holds: numbers as typed, priorities one per line. */
export type TemplateForm = {
  id: string;
  nameSv: string;
  nameEn: string;
  incidentKinds: IncidentKind[];
  purpose: string;
  priorities: string;
  items: ItemRow[];
  limits: string;
  reviewIntervalHours: string;
  validityHours: string;
};

export type TemplateFormField =
  | 'id'
  | 'nameSv'
  | 'nameEn'
  | 'purpose'
  | 'priorities'
  | 'items'
  | 'limits'
  | 'reviewIntervalHours'
  | 'validityHours';

/** Why a field is wrong; the words are in the UI's language (`templatesAdmin.errors.*`). */
export type TemplateFormProblem =
  'required' | 'badId' | 'idTaken' | 'tooMany' | 'tooLong' | 'itemText' | 'hours' | 'reviewAfterValidity';

/** An empty form for a new prepared directive. */
export const emptyTemplateForm = (): TemplateForm => ({
  id: '',
  nameSv: '',
  nameEn: '',
  incidentKinds: [],
  purpose: '',
  priorities: '',
  items: [],
  limits: '',
  reviewIntervalHours: '12',
  validityHours: '72',
});

/** The form for changing a template. */
export const formFromTemplate = (template: DirectiveTemplate): TemplateForm => ({
  id: template.id,
  nameSv: template.name.sv,
  nameEn: template.name.en,
  incidentKinds: [...template.incidentKinds],
  purpose: template.purpose,
  priorities: template.priorities.join('\n'),
  items: template.items.map((item) => ({ ...item })),
  limits: template.limits,
  reviewIntervalHours: String(template.reviewIntervalHours),
  validityHours: String(template.validityHours),
});

/** The priorities, one per non-empty line, most important first. */
const prioritiesOf = (text: string): string[] =>
  text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');

const MAX_REVIEW_HOURS = 24 * 30;
const MAX_VALIDITY_HOURS = 24 * 90;
const ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,63}$/;

const hoursOf = (typed: string): number | null => {
  const n = Number(typed.trim());
  return typed.trim() !== '' && Number.isInteger(n) ? n : null;
};

/**
 * The problems of the form, by field. `takenIds` are the ids of the other templates, so a new
 * one cannot silently replace one of them.
 */
export function templateFormProblems(
  form: TemplateForm,
  takenIds: ReadonlySet<string> = new Set(),
  isNew = false,
): Partial<Record<TemplateFormField, TemplateFormProblem>> {
  const problems: Partial<Record<TemplateFormField, TemplateFormProblem>> = {};
  if (isNew) {
    if (!ID_PATTERN.test(form.id)) problems.id = form.id === '' ? 'required' : 'badId';
    else if (takenIds.has(form.id)) problems.id = 'idTaken';
  }
  if (form.nameSv.trim() === '') problems.nameSv = 'required';
  else if (form.nameSv.trim().length > 200) problems.nameSv = 'tooLong';
  if (form.nameEn.trim() === '') problems.nameEn = 'required';
  else if (form.nameEn.trim().length > 200) problems.nameEn = 'tooLong';
  if (form.purpose.trim() === '') problems.purpose = 'required';
  else if (form.purpose.length > LIMITS.maxTextLength) problems.purpose = 'tooLong';
  const priorities = prioritiesOf(form.priorities);
  if (priorities.length > LIMITS.maxDirectivePriorities) problems.priorities = 'tooMany';
  else if (priorities.some((p) => p.length > LIMITS.maxTextLength)) problems.priorities = 'tooLong';
  if (form.items.length > LIMITS.maxDirectiveItems) problems.items = 'tooMany';
  else if (form.items.some((item) => item.text.trim() === '' || item.text.length > LIMITS.maxTextLength)) {
    problems.items = 'itemText';
  }
  if (form.limits.length > LIMITS.maxTextLength) problems.limits = 'tooLong';
  const review = hoursOf(form.reviewIntervalHours);
  const validity = hoursOf(form.validityHours);
  if (review === null || review < 1 || review > MAX_REVIEW_HOURS) problems.reviewIntervalHours = 'hours';
  if (validity === null || validity < 1 || validity > MAX_VALIDITY_HOURS) problems.validityHours = 'hours';
  else if (review !== null && review > validity) problems.reviewIntervalHours = 'reviewAfterValidity';
  return problems;
}

/** The template the form sends, or null while the schema would refuse it. */
export function templateOf(form: TemplateForm): DirectiveTemplate | null {
  const parsed = DirectiveTemplate.safeParse({
    id: form.id,
    name: { sv: form.nameSv.trim(), en: form.nameEn.trim() },
    incidentKinds: form.incidentKinds,
    purpose: form.purpose.trim(),
    priorities: prioritiesOf(form.priorities),
    items: form.items.map((item) => ({ actorKind: item.actorKind, text: item.text.trim() })),
    limits: form.limits.trim(),
    reviewIntervalHours: hoursOf(form.reviewIntervalHours),
    validityHours: hoursOf(form.validityHours),
  });
  return parsed.success ? parsed.data : null;
}

/** The actor kinds in the order the form offers them. */
export const ITEM_ACTOR_KINDS = ACTOR_KINDS;
