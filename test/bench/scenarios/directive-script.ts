import {
  fillTemplate,
  type DirectiveContent,
  type DirectiveTemplate,
  type RegionConfig,
} from '@lagesbild/shared';
import { command } from '../../support/commands.js';

// The directive C2 decides over and over: Länsstyrelsen's prepared storm directive filled
// for every actor of the region, then revised as a real one would be between conferences:
// one priority reworded with the latest picture, one actor's item sharpened, the review
// moved on and now and then the limits. Each revision starts from the template's text, so
// every version is about as large as the first, as in a long storm.

const HOUR_MS = 3_600_000;

/** What changed since the last version, in the words a coordinator would use. */
const UPDATES = [
  'Fler hushåll utan el i Norrtälje och Värmdö; reparationslagen når fram först i morgon.',
  'Framkomligheten på E18 och väg 222 är återställd; kollektivtrafiken går med förseningar.',
  'Reservkraften på två vård- och omsorgsboenden räcker till i morgon kväll; drivmedel beställt.',
  'Trygghetspunkterna i de drabbade kommunerna har haft 1 200 besök under dygnet.',
  'SMHI varnar för nya byar i natt; risk för fler träd över vägar och ledningar.',
  'Mobilnätet är nere i delar av skärgården; hänvisa till trygghetspunkterna för information.',
] as const;

const LIMITS_TEXT = [
  'Inga egna pressmeddelanden om elläget; hänvisa till Krisinformation.se och elnätsbolagen.',
  'Förstärkningsresurser flyttas inte mellan kommuner utan att Länsstyrelsen har samordnat det.',
  'Ingen röjning av vägar där ledningar ligger nere förrän elnätsbolaget har bekräftat att de är strömlösa.',
] as const;

/** The first version: the template filled for the region, valid from `now`. */
export function firstContent(
  template: DirectiveTemplate,
  region: RegionConfig,
  directiveId: string,
  now: Date,
): DirectiveContent {
  return fillTemplate(template, region, now.toISOString(), directiveId);
}

const pick = <T>(list: readonly T[], index: number): T => {
  const value = list[index % list.length];
  if (value === undefined) throw new Error('empty list');
  return value;
};

/**
 * The content of version `version` (2 and up): `first` with one priority and one item
 * reworded for this version, valid for another day from `now` and reviewed four hours on.
 * Consecutive versions always differ in the priorities, the items and the review time.
 */
export function revisedContent(first: DirectiveContent, version: number, now: Date): DirectiveContent {
  const at = (index: number) => index % Math.max(1, first.priorities.length);
  const reworded = at(version);
  const itemIndex = (version * 7) % Math.max(1, first.items.length);
  return {
    ...first,
    priorities: first.priorities.map((p, i) =>
      i === reworded ? `${p} Läget i v${version}: ${pick(UPDATES, version)}` : p,
    ),
    items: first.items.map((item, i) =>
      i === itemIndex
        ? { ...item, text: `${item.text} Från v${version}: ${pick(UPDATES, version + 3)}` }
        : item,
    ),
    limits: version % 3 === 0 ? `${first.limits} ${pick(LIMITS_TEXT, version / 3)}` : first.limits,
    validUntil: new Date(now.getTime() + 24 * HOUR_MS).toISOString(),
    reviewAt: new Date(now.getTime() + 4 * HOUR_MS + version * 60_000).toISOString(),
  };
}

/**
 * The coordinator's draft of the next version, written on the `baseVersion` decided ones.
 * Each version is drafted afresh after the last decision, so there is no saved draft to
 * rewrite (`baseDraftSeq` null).
 */
export const draftCommand = (
  ids: { directiveId: string; incidentId: string },
  content: DirectiveContent,
  baseVersion: number,
  templateId: string | null,
) => command('directive.draft', { ...ids, content, templateId, baseVersion, baseDraftSeq: null });

/**
 * The head's decision on the draft written on `baseVersion`, which the log holds at
 * `draftSeq`: it becomes version `baseVersion + 1`.
 */
export const decideCommand = (directiveId: string, baseVersion: number, draftSeq: number) =>
  command('directive.decide', { directiveId, baseVersion, draftSeq });

/** The draft for version `version` (1-based) of the scripted directive. */
export function draftFor(
  ids: { directiveId: string; incidentId: string },
  first: DirectiveContent,
  version: number,
  now: Date,
  templateId: string,
) {
  return version === 1
    ? draftCommand(ids, first, 0, templateId)
    : draftCommand(ids, revisedContent(first, version, now), version - 1, null);
}
