import type { z } from 'zod';

// Drafts live in localStorage: small, synchronous (a draft is read while the form renders)
// and kept across reloads. A draft that no longer parses is dropped, not trusted.

const PREFIX = 'lagesbild.draft.';

/** The draft stored under `key`, if it still has the expected shape. */
export function loadDraft<S extends z.ZodType>(key: string, schema: S): z.infer<S> | null {
  try {
    const raw = globalThis.localStorage?.getItem(PREFIX + key);
    if (raw === null || raw === undefined) return null;
    const parsed = schema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** Saves a draft; storage may be full or blocked, and a draft is not worth an error. */
export function saveDraft(key: string, value: unknown): void {
  try {
    globalThis.localStorage?.setItem(PREFIX + key, JSON.stringify(value));
  } catch {
    // The form still works; only the reload safety is lost.
  }
}

export function clearDraft(key: string): void {
  try {
    globalThis.localStorage?.removeItem(PREFIX + key);
  } catch {
    // Nothing to clear.
  }
}
