import { ERROR_CODES, INCIDENT_KINDS } from '@lagesbild/shared';
import i18next from 'i18next';
import { beforeEach, describe, expect, it } from 'vitest';
import { allTexts, FEATURE_TRANSLATIONS, leaves } from '../test/translations';
import { en } from './en';
import { initI18n, LANGUAGE_STORAGE_KEY, missingTranslations, setLanguage, storedLanguage } from './i18n';
import { sv } from './sv';

// The first page's texts (sv.ts, en.ts) and those the lazily loaded views bring with them
// (conference/i18n-sv.ts, …) are checked as the one set the UI speaks.
const swedish = leaves(allTexts('sv'));
const english = leaves(allTexts('en'));

describe('translations', () => {
  it('has exactly the same keys in Swedish and English', () => {
    const svKeys = swedish.map(([key]) => key);
    const enKeys = english.map(([key]) => key);
    expect(enKeys.sort()).toEqual(svKeys.sort());
    // Each part on its own too: a view's English loads with its Swedish, not with another part.
    const keysOf = (tree: object) =>
      leaves(tree)
        .map(([key]) => key)
        .sort();
    expect(keysOf(en), 'i18n/en.ts').toEqual(keysOf(sv));
    for (const feature of FEATURE_TRANSLATIONS) {
      expect(keysOf(feature.en), feature.name).toEqual(keysOf(feature.sv));
    }
  });

  it('defines every key once: in the first page or in one view, never in two', () => {
    const sources = [{ name: 'i18n/sv.ts', sv }, ...FEATURE_TRANSLATIONS];
    const seen = new Map<string, string>();
    const twice: string[] = [];
    for (const source of sources) {
      for (const [key] of leaves(source.sv)) {
        const first = seen.get(key);
        if (first) twice.push(`${key}: ${first} and ${source.name}`);
        seen.set(key, source.name);
      }
    }
    expect(twice).toEqual([]);
  });

  it('has a non-empty text for every key in both languages', () => {
    for (const [key, text] of [...swedish, ...english]) {
      expect(typeof text === 'string' && text.trim().length > 0, key).toBe(true);
    }
  });

  it('uses the same placeholders in both languages', () => {
    const placeholders = (text: unknown) =>
      [...String(text).matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();
    const inEnglish = new Map(english);
    for (const [key, text] of swedish) {
      expect(placeholders(inEnglish.get(key)), key).toEqual(placeholders(text));
    }
  });

  it('names every error code and incident kind the hub can send', () => {
    for (const code of ERROR_CODES) expect(Object.keys(sv.errors)).toContain(code);
    for (const kind of INCIDENT_KINDS) expect(Object.keys(sv.incidentKind)).toContain(kind);
  });

  it('speaks the Swedish crisis-management words', () => {
    expect(sv.mode.ordinary).toBe('ORDINARIE LÄGE');
    expect(sv.mode.activated).toBe('AKTIVERAT LÄGE');
    expect(sv.mode.heightenedReadiness).toBe('HÖJD BEREDSKAP');
    expect(sv.terms.dutyOfficer).toBe('Tjänsteman i beredskap');
    expect(sv.terms.acknowledgement).toBe('Kvittens');
    expect(sv.terms.situationReport).toBe('Lägesrapport');
  });
});

describe('language switch', () => {
  beforeEach(() => {
    localStorage.clear();
    initI18n('sv');
  });

  it('starts in Swedish when nothing was chosen', () => {
    expect(storedLanguage()).toBe('sv');
    expect(i18next.t('session.signIn')).toBe('Logga in');
    expect(document.documentElement.lang).toBe('sv');
  });

  it('switches to English and remembers the choice for the next visit', () => {
    setLanguage('en');
    expect(i18next.t('session.signIn')).toBe('Sign in');
    expect(document.documentElement.lang).toBe('en');
    expect(localStorage.getItem(LANGUAGE_STORAGE_KEY)).toBe('en');
    expect(storedLanguage()).toBe('en');
  });

  it('ignores a stored value that is not a language', () => {
    localStorage.setItem(LANGUAGE_STORAGE_KEY, 'klingon');
    expect(storedLanguage()).toBe('sv');
  });

  it('records a key the UI asks for that the language lacks', () => {
    const t = i18next.t as (key: string) => string;
    t('no.such.key');
    expect(missingTranslations()).toContain('sv:no.such.key');
  });

  it('chooses plural forms by count', () => {
    expect(i18next.t('mode.activeCount', { count: 1 })).toBe('1 aktiv händelse');
    expect(i18next.t('mode.activeCount', { count: 3 })).toBe('3 aktiva händelser');
  });
});
