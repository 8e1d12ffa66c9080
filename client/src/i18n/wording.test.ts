import { OidcSignInError } from '@lagesbild/shared';
import { beforeEach, describe, expect, it } from 'vitest';
import { CLIENT_ERROR_CODES } from '../api/client-result';
import { errorText, signInErrorText } from '../components/error-text';
import { phoneSv } from '../phone/phone-sv';
import { allTexts, leaves as leavesOf } from '../test/translations';
import { en } from './en';
import { initI18n, setLanguage } from './i18n';
import { sv } from './sv';

/** Every leaf as [dotted.key, text]. */
const leaves = (tree: object): [string, string][] =>
  leavesOf(tree).map(([key, text]): [string, string] => [key, String(text)]);

// Every text the UI can show: the first page's and those of the lazily loaded views.
const swedish = leaves(allTexts('sv'));
const english = new Map(leaves(allTexts('en')));

/**
 * English words that have no business in a Swedish sentence. Short and common on purpose:
 * a slip like "Inloggningen godtogs inte. Wrong username or password" contains several.
 */
const ENGLISH_WORDS =
  /\b(the|and|not|cannot|please|wrong|username|password|error|failed|sign|signed|try|again|event|queued|hub|outbox|server's)\b/i;

/** Developer words a duty officer should never have to decode (the wall and phone included). */
const DEVELOPER_WORDS =
  /hubb|\bhub\b|\bepoch\b|epok|socket|\bseq\b|\bsekvens|händelsenummer|websocket|payload|backend/i;

/**
 * Keys whose text is rightly the same in both languages: names, abbreviations and
 * coordinate systems. Anything else the same in both is an untranslated string.
 */
const SAME_IN_BOTH = new Set([
  'app.name',
  'language.sv',
  'language.en',
  'map.wgs84',
  'map.sweref',
  'incidentKind.cbrn',
  'actorStatus.normal',
  'ackMatrix.status',
  'dashboard.status',
  'reportForm.status',
  'phone.status',
  'phone.position',
  'phone.positionShared',
  'phone.roster.person',
  'phone.roster.status',
  'minutes.status',
  'minutes.versionLabel',
  'directive.versionLabel',
  'directive.versions.version',
]);

describe('Swedish wording', () => {
  it('has a Swedish and an English text for every error code the hub or the client can produce', () => {
    const svErrors = new Map(leaves(sv.errors));
    const enErrors = new Map(leaves(en.errors));
    const missing = CLIENT_ERROR_CODES.flatMap((code) => [
      ...(svErrors.get(code)?.trim() ? [] : [`sv:errors.${code}`]),
      ...(enErrors.get(code)?.trim() ? [] : [`en:errors.${code}`]),
    ]);
    expect(missing, 'add these texts to client/src/i18n/sv.ts and en.ts').toEqual([]);
  });

  it("has both texts for every reason the organisation's sign-in can come back refused", () => {
    const svTexts = new Map(leaves(sv.session.oidcErrors));
    const enTexts = new Map(leaves(en.session.oidcErrors));
    const missing = OidcSignInError.options.filter((code) => !svTexts.get(code) || !enTexts.get(code));
    expect(missing, 'add these to session.oidcErrors in sv.ts and en.ts').toEqual([]);
  });

  it('contains no English words in the Swedish texts', () => {
    const slips = swedish
      .filter(([, text]) => ENGLISH_WORDS.test(text))
      .map(([key, text]) => `${key}: ${text}`);
    expect(slips).toEqual([]);
  });

  it('translates every longer text instead of repeating the English', () => {
    const untranslated = swedish
      .filter(([key, text]) => text.length > 3 && !SAME_IN_BOTH.has(key) && english.get(key) === text)
      .map(([key]) => key);
    expect(untranslated).toEqual([]);
  });

  it('uses no developer words in either language', () => {
    const jargon = [...swedish, ...english]
      .filter(([, text]) => DEVELOPER_WORDS.test(text))
      .map(([key, text]) => `${key}: ${text}`);
    expect(jargon).toEqual([]);
  });

  it('never calls the log\'s updates "händelser", which to these users are incidents', () => {
    for (const [key, text] of leaves(sv.connection)) expect(text, key).not.toMatch(/händelse/i);
  });

  it('says "Ingen position angiven." on the phone', () => {
    expect(phoneSv.noPosition).toBe('Ingen position angiven.');
  });
});

describe('errorText', () => {
  const fromHub = { code: 'unauthenticated', message: 'Wrong username or password', fromHub: true } as const;

  beforeEach(() => {
    localStorage.clear();
    initI18n('sv');
  });

  it("leaves the hub's English explanation out of the Swedish UI", () => {
    const i18n = initI18n('sv');
    expect(errorText(i18n.t, fromHub)).toBe('Du är inte inloggad. Logga in igen.');
    expect(
      errorText(i18n.t, { code: 'conflict', message: 'Incident is closed', fromHub: true }),
    ).not.toContain('Incident');
  });

  it("adds the hub's explanation as detail in the English UI", () => {
    const i18n = initI18n('sv');
    setLanguage('en');
    expect(errorText(i18n.t, fromHub)).toBe(
      'You are not signed in. Sign in again. (Wrong username or password)',
    );
  });

  it('says wrong username or password on a refused sign-in, in Swedish', () => {
    const i18n = initI18n('sv');
    expect(signInErrorText(i18n.t, fromHub)).toBe(sv.session.wrongCredentials);
    expect(signInErrorText(i18n.t, { code: 'rate_limited', message: 'Too many', fromHub: true })).toBe(
      sv.errors.rate_limited,
    );
  });
});
