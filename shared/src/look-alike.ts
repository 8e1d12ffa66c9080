import { z } from 'zod';

/**
 * Names people pick for others to recognise — usernames and actor ids — must not pass for
 * one another: `tib.nаcka` with a Cyrillic а would otherwise sit next to `tib.nacka`. New
 * ones are therefore limited to a small character set, and refused when they look like an
 * existing one (same skeleton). The seeded region ids and demo usernames fit the set.
 */

/**
 * A username an administrator may give: a–z, digits and `. _ @ -`, stored in lower case
 * (sign-in ignores case anyway).
 */
export const SafeUsername = z
  .string()
  .trim()
  .toLowerCase()
  .min(1)
  .max(100)
  .regex(
    /^[a-z0-9][a-z0-9._@-]*$/,
    'may hold only a–z, 0–9 and . _ @ - (lower case), starting with a letter or digit',
  );

/** An actor id an administrator may give: lower-case a–z, digits and `-`, starting with a letter. */
export const SafeActorId = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[a-z][a-z0-9-]*$/, 'may hold only a–z, 0–9 and - (lower case), starting with a letter');

/**
 * Letters from other scripts that look like Latin ones: only names made before the character
 * set was enforced (in the log already) can hold them, and they must still be compared.
 */
const LOOK_ALIKE_LETTERS: Record<string, string> = {
  а: 'a',
  в: 'b',
  е: 'e',
  ё: 'e',
  к: 'k',
  м: 'm',
  н: 'h',
  о: 'o',
  р: 'p',
  с: 'c',
  т: 't',
  у: 'y',
  х: 'x',
  і: 'i',
  ї: 'i',
  ј: 'j',
  ѕ: 's',
  ԁ: 'd',
  ԛ: 'q',
  ԝ: 'w',
  ɡ: 'g',
  α: 'a',
  β: 'b',
  ε: 'e',
  ι: 'i',
  κ: 'k',
  ν: 'v',
  ο: 'o',
  ρ: 'p',
  τ: 't',
  υ: 'u',
  χ: 'x',
};

/** Sequences read as one another at a glance, in this order: `rn` before the single letters. */
const LOOK_ALIKE_SEQUENCES: [RegExp, string][] = [
  [/rn/g, 'm'],
  [/vv/g, 'w'],
  [/cl/g, 'd'],
  [/[0]/g, 'o'],
  [/[1il|!]/g, 'l'],
  [/[._-]+/g, '.'],
];

/**
 * The skeleton of a name: case folded, compatibility forms (NFKC) and accents undone, and
 * look-alikes mapped to one letter. Two names with the same skeleton can be mistaken for
 * each other.
 */
export function lookAlikeKey(name: string): string {
  const folded = name.normalize('NFKC').toLowerCase().normalize('NFD').replace(/\p{M}/gu, '');
  let key = [...folded].map((c) => LOOK_ALIKE_LETTERS[c] ?? c).join('');
  for (const [pattern, replacement] of LOOK_ALIKE_SEQUENCES) key = key.replace(pattern, replacement);
  // A separator at either end is easily overlooked: `nacka-` passes for `nacka`.
  return key.replace(/^\.+|\.+$/g, '');
}

/** The first of `existing` that looks like `name` (identical ones included), if any. */
export function lookAlikeOf(name: string, existing: Iterable<string>): string | undefined {
  const key = lookAlikeKey(name);
  for (const other of existing) if (lookAlikeKey(other) === key) return other;
  return undefined;
}
