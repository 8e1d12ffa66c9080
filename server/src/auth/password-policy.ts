import type { AppError } from '@lagesbild/shared';

/** Bounds of a local password, counted in characters (code points), not bytes. */
export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 200;

/** Why a password was refused; the UI may translate each. */
export type PasswordProblem = 'too_short' | 'too_long' | 'contains_username' | 'too_common';

export type PasswordPolicyResult = { ok: true } | { ok: false; problems: PasswordProblem[]; error: AppError };

/**
 * Passwords of 12 characters or more that lead the public breach lists, plus the obvious
 * Swedish ones. Shorter common passwords are already refused by the length rule.
 */
const COMMON_PASSWORDS = new Set([
  '123456789012',
  '1234567890123',
  '12345678901234',
  '123456789123',
  '111111111111',
  '000000000000',
  '123123123123',
  '123412341234',
  '987654321098',
  '1q2w3e4r5t6y',
  '1qaz2wsx3edc',
  'qwertyuiopas',
  'qwertyuiop12',
  'qwertyuiop123',
  'qwerty123456',
  'qwertyqwerty',
  'asdfghjkl123',
  'asdfasdfasdf',
  'zxcvbnm12345',
  'abcdefghijkl',
  'abc123abc123',
  'password1234',
  'password12345',
  'password123456',
  'passwordpassword',
  'password123!',
  'p@ssword1234',
  'p@ssw0rd1234',
  'iloveyou1234',
  'welcome12345',
  'letmein12345',
  'football1234',
  'baseball1234',
  'sunshine1234',
  'princess1234',
  'dragon123456',
  'monkey123456',
  'trustno1trustno1',
  'changeme1234',
  'administrator',
  'administrator1',
  'adminadmin123',
  'lösenord1234',
  'losenord1234',
  'lösenordlösenord',
  'losenordlosenord',
  'hemligthemligt',
  'sommarsommar',
  'vintervinter',
  'stockholm123',
  'stockholm1234',
  'sverige12345',
  'sverige123456',
  'välkommen123',
  'valkommen123',
  'välkommen1234',
  'valkommen1234',
]);

/**
 * Words people build passwords from by adding digits and symbols ("Sommar2024!!").
 * A password that is only one of these plus digits and punctuation is refused.
 */
const COMMON_WORDS = new Set([
  'password',
  'passw0rd',
  'lösenord',
  'losenord',
  'qwerty',
  'qwertyuiop',
  'asdfghjkl',
  'welcome',
  'välkommen',
  'valkommen',
  'sommar',
  'vinter',
  'våren',
  'hösten',
  'hosten',
  'stockholm',
  'sverige',
  'admin',
  'administrator',
  'letmein',
  'iloveyou',
  'changeme',
  'hemligt',
  'januari',
  'februari',
  'augusti',
  'september',
  'oktober',
  'november',
  'december',
]);

const MESSAGES: Record<PasswordProblem, string> = {
  too_short: `at least ${PASSWORD_MIN_LENGTH} characters`,
  too_long: `at most ${PASSWORD_MAX_LENGTH} characters`,
  contains_username: 'must not contain the username',
  too_common: 'is one of the most common passwords; choose a longer phrase',
};

/**
 * Checks a new local password: 12–200 characters, not containing the username, and not
 * one of the most common passwords. Used wherever a password is set (admin API, CLI);
 * the seeded demo accounts are the only ones that skip it.
 */
export function checkPasswordPolicy(password: string, context: { username: string }): PasswordPolicyResult {
  const problems: PasswordProblem[] = [];
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH) problems.push('too_short');
  if (length > PASSWORD_MAX_LENGTH) problems.push('too_long');
  const lower = password.normalize('NFC').toLowerCase();
  const username = context.username.trim().normalize('NFC').toLowerCase();
  // A one- or two-letter username would forbid half the alphabet; such names cannot be guessed from anyway.
  if (username.length >= 3 && lower.includes(username)) problems.push('contains_username');
  if (isCommon(lower)) problems.push('too_common');
  if (problems.length === 0) return { ok: true };
  return {
    ok: false,
    problems,
    error: { code: 'bad_request', message: `The password ${problems.map((p) => MESSAGES[p]).join('; ')}` },
  };
}

function isCommon(lower: string): boolean {
  if (COMMON_PASSWORDS.has(lower)) return true;
  // One character repeated, however long, is as weak as the character.
  if (new Set(lower).size <= 2) return true;
  const word = lower.replace(/[\d\s\p{P}\p{S}]+$/u, '').replace(/^[\d\s\p{P}\p{S}]+/u, '');
  return COMMON_WORDS.has(word) || COMMON_WORDS.has(word.replace(/(.+)\1$/u, '$1'));
}
