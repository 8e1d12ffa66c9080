import { z } from 'zod';

/** Idempotency keys and entity ids are client-made UUIDs (any version). */
export const Uuid = z.uuid({ version: undefined });

/** Actor and function ids are slugs from the region config. */
export const Slug = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[a-z][a-zA-Z0-9-]*$/, 'must be a lower-case slug');

/** Timestamps travel as ISO 8601 strings in UTC. */
export const IsoTime = z.iso.datetime({ offset: true });
