import {
  LIMITS,
  MessageContent,
  MESSAGE_LANGUAGES,
  Position,
  withinRegion,
  type AreaGeometry,
  type MessageLanguage,
  type RegionConfig,
} from '@lagesbild/shared';
import { z } from 'zod';
import { geometryFromPositions } from '../domain/drawing';
import { fromLocalInput, toLocalInput } from '../domain/format';

/** One language's texts as typed. */
export const LanguageForm = z.object({ headline: z.string(), core: z.string(), whatToDo: z.string() });
export type LanguageForm = z.infer<typeof LanguageForm>;

/** An actor's channel as the form holds it: the actor is '' until chosen. */
export const ChannelForm = z.object({ id: z.string(), actorId: z.string(), url: z.string() });
export type ChannelForm = z.infer<typeof ChannelForm>;

/**
 * The message form as filled in. Times are `datetime-local` values. The schema checks a draft
 * read back from localStorage, where an older page may have left another shape.
 */
export const MessageForm = z.object({
  texts: z.object({ sv: LanguageForm, en: LanguageForm.nullable(), svEasy: LanguageForm.nullable() }),
  channels: z.array(ChannelForm),
  phone11313: z.boolean(),
  krisinformation: z.boolean(),
  /** The drawn outline without GeoJSON's repeated first vertex; empty for none. */
  polygon: z.array(Position),
  municipalityCodes: z.array(z.string()),
  areaDescription: z.string(),
  validFrom: z.string(),
  validUntil: z.string(),
  exercise: z.boolean(),
  directiveId: z.string().nullable(),
  approverActorIds: z.array(z.string()),
});
export type MessageForm = z.infer<typeof MessageForm>;

/**
 * A draft kept on this device (domain/drafts): the form, the message it edits and the version
 * it was opened on, which the save names as `baseVersion`.
 */
export const KeptMessageDraft = z.object({
  messageId: z.string(),
  baseVersion: z.number().int().nonnegative(),
  form: MessageForm,
});
export type KeptMessageDraft = z.infer<typeof KeptMessageDraft>;

/** Where a user's draft of an incident's message is kept. */
export const messageDraftKey = (userId: string, incidentId: string): string =>
  `message.${userId}.${incidentId}`;

/** What is wrong with the form, per field: each a key of `message.problem`. */
export type MessageProblem =
  | 'required'
  | 'tooLong'
  | 'badTime'
  | 'endsBeforeStart'
  | 'badUrl'
  | 'noActor'
  | 'areaTooSmall'
  | 'tooMany'
  | 'noApprovers'
  | 'untilPast'
  | 'outsideRegion'
  | 'approverGone'
  | 'approverGoneAskOwner'
  | 'ownerGone'
  | 'invalid';

/**
 * Problems keyed by field: `sv.headline`, `en.core`, `channel.<id>.url`, `channel.<id>.actor`,
 * `polygon`, `validFrom`, `validUntil`, `approvers`, `form` …
 */
export type MessageProblems = Partial<Record<string, MessageProblem>>;

const emptyLanguage = (): LanguageForm => ({ headline: '', core: '', whatToDo: '' });

const HOUR = 3_600_000;

/** A new message: valid from now for twelve hours, Swedish only, the drafter's actor approving. */
export function blankMessageForm(now: number, ownActorId: string, directiveId: string | null): MessageForm {
  return {
    texts: { sv: emptyLanguage(), en: null, svEasy: null },
    channels: [],
    phone11313: false,
    krisinformation: true,
    polygon: [],
    municipalityCodes: [],
    areaDescription: '',
    validFrom: toLocalInput(new Date(now).toISOString()),
    validUntil: toLocalInput(new Date(now + 12 * HOUR).toISOString()),
    exercise: false,
    directiveId,
    approverActorIds: [ownActorId],
  };
}

const outline = (area: AreaGeometry | null): Position[] => (area?.coordinates[0] ?? []).slice(0, -1);

/** How long a renewed message is valid when the old validity gives no usable length. */
const RENEWED_VALIDITY_MS = 6 * HOUR;

/**
 * The form of a saved version to be changed into the next one, its validity renewed when it
 * has run out: a new version of an expired message is news again, so it is valid from now,
 * for as long as the old one was (six hours when that length makes no sense). Otherwise the
 * drafter would have to notice and fix two times the server would accept but the public
 * would read as over.
 */
export function formFromVersion(
  content: MessageContent,
  approverActorIds: readonly string[],
  now: number,
): MessageForm {
  const form = formFromContent(content, approverActorIds);
  const from = Date.parse(content.validFrom);
  const until = Date.parse(content.validUntil);
  if (until > now) return form;
  const length = until > from ? until - from : RENEWED_VALIDITY_MS;
  return {
    ...form,
    validFrom: toLocalInput(new Date(now).toISOString()),
    validUntil: toLocalInput(new Date(now + length).toISOString()),
  };
}

/** Whether a saved version's validity has run out by `now`: the form then renews it. */
export const hasExpired = (content: Pick<MessageContent, 'validUntil'>, now: number): boolean =>
  Date.parse(content.validUntil) <= now;

/** The form showing a saved version, to be changed into the next one. */
export function formFromContent(content: MessageContent, approverActorIds: readonly string[]): MessageForm {
  const language = (text: MessageContent['texts']['sv'] | null): LanguageForm | null =>
    text ? { headline: text.headline, core: text.core, whatToDo: text.whatToDo } : null;
  return {
    texts: {
      sv: language(content.texts.sv) ?? emptyLanguage(),
      en: language(content.texts.en),
      svEasy: language(content.texts.svEasy),
    },
    channels: content.moreInfo.channels.map((c, i) => ({ id: `c${i}`, actorId: c.actorId, url: c.url })),
    phone11313: content.moreInfo.phone11313,
    krisinformation: content.moreInfo.krisinformation,
    polygon: outline(content.area.polygon),
    municipalityCodes: [...content.area.municipalityCodes],
    areaDescription: content.area.description,
    validFrom: toLocalInput(content.validFrom),
    validUntil: toLocalInput(content.validUntil),
    exercise: content.exercise,
    directiveId: content.directiveId,
    approverActorIds: [...approverActorIds],
  };
}

/** An empty language's texts, for the "add English" button. */
export const newLanguage = emptyLanguage;

const textProblem = (text: string, max: number, required: boolean): MessageProblem | undefined => {
  if (required && text.trim() === '') return 'required';
  if (text.trim().length > max) return 'tooLong';
  return undefined;
};

/** An untouched minute keeps the original's exact time, so a re-save does not move it by seconds. */
function timeOf(value: string, original: string | undefined): string | null {
  if (original && toLocalInput(original) === value) return original;
  return fromLocalInput(value);
}

const isHttpsUrl = (value: string): boolean => {
  try {
    const url = new URL(value.trim());
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
};

/**
 * What the approver check needs to know of the message and the incident: who owns the
 * matter, whether the user's actor is that owner (only the owner may remove an approver),
 * and which actors still take part in the incident (only they can answer).
 */
export type ApproverRules = {
  ownerActorId: string;
  userIsOwner: boolean;
  takesPart: (actorId: string) => boolean;
};

/** What the form is checked against beyond itself: the clock and the approver rules. */
export type FormChecks = { now?: number; approvers?: ApproverRules };

/** The approvers' problem, if any: the owner or a named actor no longer takes part. */
function approverProblem(approverActorIds: readonly string[], rules: ApproverRules): MessageProblem | null {
  if (!rules.takesPart(rules.ownerActorId)) return 'ownerGone';
  if (approverActorIds.every(rules.takesPart)) return null;
  return rules.userIsOwner ? 'approverGone' : 'approverGoneAskOwner';
}

/**
 * Checks the form as the hub will and builds the content with its approvers, or says per
 * field what is wrong. `base` is the version the form was opened on (its untouched times are
 * kept exactly). With `checks.now`, a validity that has already ended is refused (the server
 * would take it, but the public would read an expired message); with `checks.approvers`, an
 * approver that no longer takes part is.
 */
export function contentFromForm(
  form: MessageForm,
  base: MessageContent | null,
  region: RegionConfig,
  checks: FormChecks = {},
):
  | { ok: true; content: MessageContent; approverActorIds: string[] }
  | { ok: false; problems: MessageProblems } {
  const problems: MessageProblems = {};
  for (const language of MESSAGE_LANGUAGES) {
    const text = form.texts[language];
    if (!text) continue;
    const headline = textProblem(text.headline, LIMITS.maxMessageHeadlineLength, true);
    const core = textProblem(text.core, LIMITS.maxMessageTextLength, true);
    const whatToDo = textProblem(text.whatToDo, LIMITS.maxMessageTextLength, false);
    if (headline) problems[`${language}.headline`] = headline;
    if (core) problems[`${language}.core`] = core;
    if (whatToDo) problems[`${language}.whatToDo`] = whatToDo;
  }

  const actorIds = new Set(region.actors.map((a) => a.id));
  for (const channel of form.channels) {
    if (!actorIds.has(channel.actorId)) problems[`channel.${channel.id}.actor`] = 'noActor';
    if (!isHttpsUrl(channel.url)) problems[`channel.${channel.id}.url`] = 'badUrl';
  }
  if (form.channels.length > LIMITS.maxMessageChannels) problems.channels = 'tooMany';

  const polygon = form.polygon.length === 0 ? null : geometryFromPositions('Polygon', form.polygon);
  if (form.polygon.length > 0 && polygon === null) problems.polygon = 'areaTooSmall';
  else if (!form.polygon.every((p) => withinRegion(region.bounds, p))) problems.polygon = 'outsideRegion';
  if (form.municipalityCodes.length > LIMITS.maxMessageMunicipalities) problems.municipalities = 'tooMany';
  const areaDescription = textProblem(form.areaDescription, LIMITS.maxShortTextLength, false);
  if (areaDescription) problems.areaDescription = areaDescription;

  const validFrom = timeOf(form.validFrom, base?.validFrom);
  const validUntil = timeOf(form.validUntil, base?.validUntil);
  if (validFrom === null) problems.validFrom = form.validFrom === '' ? 'required' : 'badTime';
  if (validUntil === null) problems.validUntil = form.validUntil === '' ? 'required' : 'badTime';
  else if (validFrom !== null && Date.parse(validUntil) <= Date.parse(validFrom)) {
    problems.validUntil = 'endsBeforeStart';
  } else if (checks.now !== undefined && Date.parse(validUntil) <= checks.now) {
    problems.validUntil = 'untilPast';
  }

  const approverActorIds = [...new Set(form.approverActorIds)];
  if (approverActorIds.length === 0) problems.approvers = 'noApprovers';
  else if (approverActorIds.length > LIMITS.maxActorsPerList) problems.approvers = 'tooMany';
  else {
    const gone = checks.approvers && approverProblem(approverActorIds, checks.approvers);
    if (gone) problems.approvers = gone;
  }

  if (Object.keys(problems).length > 0 || validFrom === null || validUntil === null) {
    return { ok: false, problems };
  }

  const language = (text: LanguageForm | null) =>
    text && { headline: text.headline.trim(), core: text.core.trim(), whatToDo: text.whatToDo.trim() };
  const parsed = MessageContent.safeParse({
    texts: { sv: language(form.texts.sv), en: language(form.texts.en), svEasy: language(form.texts.svEasy) },
    moreInfo: {
      channels: form.channels.map((c) => ({ actorId: c.actorId, url: c.url.trim() })),
      phone11313: form.phone11313,
      krisinformation: form.krisinformation,
    },
    area: {
      polygon: polygon?.type === 'Polygon' ? polygon : null,
      // As picked (a saved version's order is kept, so an untouched area saves the same),
      // without duplicates; the server checks each code against the region's list.
      municipalityCodes: [...new Set(form.municipalityCodes)],
      description: form.areaDescription.trim(),
    },
    validFrom,
    validUntil,
    exercise: form.exercise,
    directiveId: form.directiveId,
  });
  if (!parsed.success) return { ok: false, problems: { form: 'invalid' } };
  return { ok: true, content: parsed.data, approverActorIds };
}

/** The languages in the order the form and the views show them. */
export const languagesOf = (texts: MessageForm['texts']): MessageLanguage[] =>
  MESSAGE_LANGUAGES.filter((language) => texts[language] !== null);
