import { describe, expect, it } from 'vitest';
import { DirectoryAccount, formatPhoneNumber, normalisePhoneNumber, PhoneNumberInput } from './directory.js';

describe('phone numbers', () => {
  it.each([
    ['070-174 06 05', '+46701740605'],
    ['0701740605', '+46701740605'],
    ['+46 (70) 174 06 05', '+46701740605'],
    ['0046 70 174 06 05', '+46701740605'],
    ['08-465 004 10', '+46846500410'],
    ['0980-123 45', '+4698012345'],
    ['+358 9 123 4567', '+35891234567'],
  ])('reads %s as %s', (typed, e164) => {
    expect(normalisePhoneNumber(typed)).toBe(e164);
  });

  it.each([
    '',
    'ring mig',
    '070 174 06 05 ext 3',
    '+46 070 174 06 05',
    '12345',
    '+0 123 456 789',
    '0'.repeat(41),
  ])('refuses %j', (typed) => {
    expect(normalisePhoneNumber(typed)).toBeNull();
    const parsed = PhoneNumberInput.safeParse(typed);
    expect(parsed.success).toBe(false);
  });

  it.each([
    ['+46701740605', '070-174 06 05'],
    ['+46846500410', '08-465 004 10'],
    ['+4684650041', '08-465 00 41'],
    ['+4698012345', '098012345'],
    ['+35891234567', '+35891234567'],
  ])('shows %s as %s', (e164, shown) => {
    expect(formatPhoneNumber(e164)).toBe(shown);
  });

  it('still reads an account saved before accounts had phone numbers', () => {
    const saved = {
      id: 'a',
      username: 'a',
      name: 'A',
      actorId: 'nacka',
      functionIds: [],
      disabled: false,
      externalId: null,
    };
    expect(DirectoryAccount.parse(saved)).toEqual(saved);
    expect(DirectoryAccount.safeParse({ ...saved, phone: '070-174 06 05' }).success).toBe(false);
  });
});
