import i18next from 'i18next';
import type { Widen } from './sv';

/** One view's texts in both languages, merged into the one namespace the UI reads. */
type FeatureTranslations = { sv: object; en: object };

const registered: FeatureTranslations[] = [];

function add({ sv, en }: FeatureTranslations): void {
  // Deep merge: a feature adds keys beside the first page's within a block (`conference.*`),
  // and never overwrites one the first page has.
  i18next.addResourceBundle('sv', 'translation', sv, true, false);
  i18next.addResourceBundle('en', 'translation', en, true, false);
}

/**
 * Adds the texts of a lazily loaded view to i18next, in Swedish and English at once (so a
 * later language switch has them too). Call it at the top level of the module a lazy import
 * loads, so the texts are in before anything of it renders. Before i18next starts (a test
 * that imports the view first) the texts wait and `initI18n` adds them.
 */
export function registerTranslations<T extends object>(sv: T, en: Widen<T>): void {
  const bundle = { sv, en };
  if (registered.some((r) => r.sv === sv)) return;
  registered.push(bundle);
  if (i18next.isInitialized) add(bundle);
}

/** Adds every registered view's texts again after i18next has started. */
export function addRegisteredTranslations(): void {
  for (const bundle of registered) add(bundle);
}
