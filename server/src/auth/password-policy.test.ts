import { describe, expect, it } from 'vitest';
import { checkPasswordPolicy, type PasswordProblem } from './password-policy.js';

const problems = (password: string, username = 'anna.berg'): PasswordProblem[] => {
  const result = checkPasswordPolicy(password, { username });
  return result.ok ? [] : result.problems;
};

describe('the password policy', () => {
  it.each([
    ['a passphrase', 'korv med bröd i regnet'],
    ['the demo password', 'lagesbild-demo'],
    ['exactly 12 characters', 'Tb7#kq9!mZ2x'],
    ['200 characters', 'x1y2'.repeat(50)],
    ['12 characters of non-Latin script', 'ἀγαθὴ τύχη σοι'],
  ])('accepts %s', (_name, password) => {
    expect(checkPasswordPolicy(password, { username: 'anna.berg' })).toEqual({ ok: true });
  });

  it.each<[string, string, PasswordProblem[]]>([
    ['11 characters', 'Tb7#kq9!mZ2', ['too_short']],
    ['201 characters', `${'x1y2'.repeat(50)}z`, ['too_long']],
    ['the username inside', 'my-Anna.Berg-secret', ['contains_username']],
    ['a common password', 'Password1234', ['too_common']],
    ['a Swedish common password', 'Lösenord1234', ['too_common']],
    ['a season with digits and symbols', 'Sommar2024!!!', ['too_common']],
    ['a doubled common word', 'sommarsommar!', ['too_common']],
    ['one character repeated', 'zzzzzzzzzzzzzzzz', ['too_common']],
    ['two characters alternating', 'abababababababab', ['too_common']],
    ['short and common', 'qwerty', ['too_short', 'too_common']],
  ])('refuses %s', (_name, password, expected) => {
    expect(problems(password)).toEqual(expected);
  });

  it('counts characters, not UTF-16 units, so emoji do not make a short password long', () => {
    expect(problems('🔥🔥🔥🔥🔥🔥🔥kx9')).toEqual(['too_short']);
  });

  it('explains every problem in one message the admin can read', () => {
    const result = checkPasswordPolicy('anna', { username: 'anna' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('bad_request');
    expect(result.error.message).toMatch(/at least 12 characters.*must not contain the username/);
  });

  it('does not let a very short username forbid ordinary passwords', () => {
    expect(checkPasswordPolicy('ett långt lösenord', { username: 'et' })).toEqual({ ok: true });
  });
});
