import { z } from 'zod';
import { Slug } from './ids.js';
import { LIMITS } from './limits.js';

// The building blocks every item of the model uses: who did it, who may read it, and its
// place in the log. Apart from model.ts so the item modules (model.ts, conference-model.ts)
// can share them without importing each other.

export const ShortText = z.string().trim().min(1).max(LIMITS.maxShortTextLength);
export const LongText = z.string().max(LIMITS.maxTextLength);

/**
 * The seq of the event that logged an item: its place in the log, which orders it among
 * its kind ("latest", "newest first") whatever the clocks of the hubs that decided it.
 * 0 for items in snapshots of hubs older than this field: they come before every item
 * logged since, and among themselves by time (`byLogOrder`).
 */
export const LogSeq = z.number().int().nonnegative().default(0);

/** Like `LogSeq`, for a step an item may not have taken yet (null until then, and in older snapshots). */
export const StepSeq = z.number().int().positive().nullable().default(null);

/** Who did something: the person, and the actor and function they acted for. */
export const Attribution = z.strictObject({
  userId: z.string().min(1).max(100),
  userName: z.string().min(1).max(LIMITS.maxShortTextLength),
  actorId: Slug,
  functionId: Slug,
});
export type Attribution = z.infer<typeof Attribution>;

/** Who may read an item: the whole region, named actors (and the owner), or the owner only. */
export const Sharing = z.discriminatedUnion('scope', [
  z.strictObject({ scope: z.literal('region') }),
  z.strictObject({
    scope: z.literal('actors'),
    actorIds: z.array(Slug).min(1).max(LIMITS.maxActorsPerList),
  }),
  z.strictObject({ scope: z.literal('own') }),
]);
export type Sharing = z.infer<typeof Sharing>;

/** An actor's overall state in a situation report. */
export const ACTOR_STATUSES = ['normal', 'strained', 'severe'] as const;
export const ActorStatus = z.enum(ACTOR_STATUSES);
export type ActorStatus = z.infer<typeof ActorStatus>;

/** Kinds of member organisation; drives icons and grouping, never rights. */
export const ACTOR_KINDS = [
  'countyBoard',
  'municipality',
  'healthRegion',
  'police',
  'emergencyCentre',
  'transport',
  'armedForces',
  'port',
  'rescueService',
  'other',
] as const;

/** The kinds of event handled jointly; prepared directives are keyed by them. */
export const INCIDENT_KINDS = [
  'weather',
  'flooding',
  'fire',
  'infrastructure',
  'cyber',
  'health',
  'cbrn',
  'transport',
  'publicOrder',
  'security',
  'other',
] as const;
export const IncidentKind = z.enum(INCIDENT_KINDS);
export type IncidentKind = z.infer<typeof IncidentKind>;
