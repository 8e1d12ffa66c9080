import { z } from 'zod';
import { isCommandType } from './commands.js';
import { DirectiveTemplate, FunctionLevel } from './directive-model.js';
import { mostItemsFilled } from './directive-templates.js';
import { LatLng, RegionBounds, withinRegion } from './geo.js';
import { Slug } from './ids.js';
import { LIMITS } from './limits.js';
import { ACTOR_KINDS } from './model-base.js';

export { ACTOR_KINDS } from './model-base.js';

const Localised = z.strictObject({ sv: z.string().min(1), en: z.string().min(1) });

/** A member organisation of the collaboration. */
export const Actor = z.strictObject({
  id: Slug,
  name: z.string().min(1).max(200),
  shortName: z.string().min(1).max(60),
  kind: z.enum(ACTOR_KINDS),
  home: LatLng,
  /** A municipality's SCB code (kommunkod): joint messages name their areas by it, and CAP carries it. */
  municipalityCode: z
    .string()
    .regex(/^\d{4}$/)
    .optional(),
});
export type Actor = z.infer<typeof Actor>;

/**
 * A role within an actor, held by whoever is on shift. `level` places it in the agreement's
 * three levels (directing, coordinating, executing); roles outside them (viewer, admin) have none.
 */
export const RegionFunction = z.strictObject({ id: Slug, name: Localised, level: FunctionLevel.optional() });
export type RegionFunction = z.infer<typeof RegionFunction>;

/**
 * Who may send a command — one of the listed functions, optionally only at the listed
 * actors. Several rules are alternatives.
 */
export const RightRule = z.strictObject({
  functions: z.array(Slug).min(1),
  actors: z.array(Slug).min(1).optional(),
});
export type RightRule = z.infer<typeof RightRule>;

/** The whole region: actors, functions and rights. Configuration, not code. */
export const RegionConfig = z
  .strictObject({
    id: Slug,
    name: z.string().min(1),
    shortName: z.string().min(1),
    map: z.strictObject({ center: LatLng, zoom: z.number().int().min(1).max(18) }),
    /**
     * Where the region's map work lies: places farther out (past a margin) are refused.
     * Region files written before bounds existed leave it out; see `boundsAround`.
     */
    bounds: RegionBounds.optional(),
    leadActorId: Slug,
    actors: z.array(Actor).min(1),
    functions: z.array(RegionFunction).min(1),
    rights: z.record(z.string(), z.array(RightRule)),
    /**
     * The order of the actors' rounds at a conference, by kind of actor, after the convening
     * actor (which always goes first). Actors of kinds not listed follow, in file order.
     */
    conferenceRoundOrder: z
      .array(z.enum(ACTOR_KINDS))
      .default([
        'municipality',
        'healthRegion',
        'rescueService',
        'police',
        'emergencyCentre',
        'transport',
        'port',
        'armedForces',
        'countyBoard',
        'other',
      ]),
    /** Prepared directives (förberedda inriktningar) offered when drafting; admins add more in the app. */
    directiveTemplates: z.array(DirectiveTemplate).default([]),
  })
  .superRefine((region, ctx) => {
    const actorIds = new Set<string>();
    const municipalityCodes = new Map<string, string>();
    for (const actor of region.actors) {
      if (actorIds.has(actor.id)) ctx.addIssue({ code: 'custom', message: `duplicate actor ${actor.id}` });
      actorIds.add(actor.id);
      // Joint messages name their areas by these codes, and CAP carries them: a code on another
      // kind of actor, or on two municipalities, would put the wrong place in a public alert.
      if (actor.municipalityCode !== undefined) {
        const code = actor.municipalityCode;
        if (actor.kind !== 'municipality') {
          ctx.addIssue({
            code: 'custom',
            message: `actor ${actor.id}: only a municipality has a municipalityCode`,
          });
        }
        const holder = municipalityCodes.get(code);
        if (holder !== undefined) {
          ctx.addIssue({
            code: 'custom',
            message: `actor ${actor.id}: municipalityCode ${code} is already ${holder}'s`,
          });
        }
        municipalityCodes.set(code, holder ?? actor.id);
      }
      if (region.bounds && !withinRegion(region.bounds, [actor.home.lng, actor.home.lat])) {
        ctx.addIssue({ code: 'custom', message: `actor ${actor.id}: home lies outside the bounds` });
      }
    }
    if (region.bounds && !withinRegion(region.bounds, [region.map.center.lng, region.map.center.lat])) {
      ctx.addIssue({ code: 'custom', message: 'map.center lies outside the bounds' });
    }
    const functionIds = new Set(region.functions.map((f) => f.id));
    for (const message of templateProblems(region.directiveTemplates, region))
      ctx.addIssue({ code: 'custom', message });
    if (!actorIds.has(region.leadActorId)) {
      ctx.addIssue({ code: 'custom', message: `leadActorId ${region.leadActorId} is not an actor` });
    }
    for (const [command, rules] of Object.entries(region.rights)) {
      // A misspelt command would otherwise leave that command allowed to nobody, silently.
      if (!isCommandType(command)) ctx.addIssue({ code: 'custom', message: `unknown command ${command}` });
      for (const rule of rules) {
        for (const f of rule.functions) {
          if (!functionIds.has(f))
            ctx.addIssue({ code: 'custom', message: `${command}: unknown function ${f}` });
        }
        for (const a of rule.actors ?? []) {
          if (!actorIds.has(a)) ctx.addIssue({ code: 'custom', message: `${command}: unknown actor ${a}` });
        }
      }
    }
  })
  .transform((region) => ({
    ...region,
    bounds: region.bounds ?? boundsAround([...region.actors.map((a) => a.home), region.map.center]),
  }));
export type RegionConfig = z.infer<typeof RegionConfig>;

/**
 * What the schema alone cannot see in the prepared directives: a template id used twice would
 * let one silently hide the other, an incident kind listed twice is a typo, and a template
 * filling in more items for the region's actors than a directive holds could not be used.
 */
function templateProblems(
  templates: readonly DirectiveTemplate[],
  region: Pick<RegionConfig, 'actors'>,
): string[] {
  const problems: string[] = [];
  const ids = new Set<string>();
  for (const template of templates) {
    if (ids.has(template.id)) problems.push(`duplicate directive template ${template.id}`);
    ids.add(template.id);
    const filled = mostItemsFilled(template, region);
    if (filled > LIMITS.maxDirectiveItems) {
      problems.push(
        `directive template ${template.id}: fills in ${filled} items for the region's actors; a directive holds ${LIMITS.maxDirectiveItems}`,
      );
    }
    const kinds = new Set<string>();
    for (const kind of template.incidentKinds) {
      if (kinds.has(kind))
        problems.push(`directive template ${template.id}: incident kind ${kind} listed twice`);
      kinds.add(kind);
    }
  }
  return problems;
}

/**
 * The smallest rectangle holding the given places: the bounds of a region file that names
 * none, from its actors' homes and its map centre. `withinRegion` adds the same margin
 * around it as around bounds a file names, so work near any member is still accepted.
 */
export function boundsAround(places: readonly LatLng[]): RegionBounds {
  const lats = places.map((p) => p.lat);
  const lngs = places.map((p) => p.lng);
  return {
    south: Math.min(...lats),
    west: Math.min(...lngs),
    north: Math.max(...lats),
    east: Math.max(...lngs),
  };
}

/** Parses a region config and explains every problem in one message. */
export function parseRegionConfig(input: unknown): RegionConfig {
  const result = RegionConfig.safeParse(input);
  if (!result.success) {
    throw new Error(`Invalid region config: ${z.prettifyError(result.error)}`);
  }
  return result.data;
}
