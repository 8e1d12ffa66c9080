import { templatesAdminEn } from '../admin/i18n-en';
import { templatesAdminSv } from '../admin/i18n-sv';
import { conferenceEn } from '../conference/i18n-en';
import { conferenceSv } from '../conference/i18n-sv';
import { directiveEn } from '../directive/i18n-en';
import { directiveSv } from '../directive/i18n-sv';
import { incidentViewsEn } from '../features/i18n-en';
import { messageEn } from '../message/i18n-en';
import { messageSv } from '../message/i18n-sv';
import { incidentViewsSv } from '../features/i18n-sv';
import { commandTypeEn } from '../outbox/i18n-en';
import { commandTypeSv } from '../outbox/i18n-sv';
import { phoneEn } from '../phone/phone-en';
import { phoneSv } from '../phone/phone-sv';
import { en } from '../i18n/en';
import { registerTranslations } from '../i18n/register';
import { sv } from '../i18n/sv';
import { readinessEn } from '../readiness/i18n-en';
import { readinessSv } from '../readiness/i18n-sv';
import { wallEn } from '../wall/wall-en';
import { wallSv } from '../wall/wall-sv';

// Tests only: the app never imports this, or every view's texts would be in the first page.

/** The texts of the lazily loaded views, as each registers them (`registerTranslations`). */
export const FEATURE_TRANSLATIONS = [
  { name: 'conference', sv: conferenceSv, en: conferenceEn },
  { name: 'directive', sv: directiveSv, en: directiveEn },
  { name: 'message', sv: messageSv, en: messageEn },
  { name: 'templatesAdmin', sv: templatesAdminSv, en: templatesAdminEn },
  { name: 'readiness', sv: readinessSv, en: readinessEn },
  { name: 'incidentViews', sv: incidentViewsSv, en: incidentViewsEn },
  { name: 'commandType', sv: commandTypeSv, en: commandTypeEn },
  { name: 'phone', sv: { phone: phoneSv }, en: { phone: phoneEn } },
  { name: 'wall', sv: { wall: wallSv }, en: { wall: wallEn } },
] as const;

type Tree = { [key: string]: unknown };
const isTree = (value: unknown): value is Tree => value !== null && typeof value === 'object';

/** Every leaf as [dotted.key, text]. */
export function leaves(tree: object, prefix = ''): [string, unknown][] {
  return Object.entries(tree).flatMap(([key, value]): [string, unknown][] =>
    isTree(value) ? leaves(value, `${prefix}${key}.`) : [[`${prefix}${key}`, value]],
  );
}

function merge(target: Tree, source: object): Tree {
  for (const [key, value] of Object.entries(source)) {
    const existing = target[key];
    target[key] = isTree(value) ? merge(isTree(existing) ? existing : {}, value) : value;
  }
  return target;
}

/** Everything the UI can say in one language: the first page's texts and every view's. */
export function allTexts(language: 'sv' | 'en'): Tree {
  return FEATURE_TRANSLATIONS.reduce<Tree>(
    (all, feature) => merge(all, feature[language]),
    merge({}, language === 'sv' ? sv : en),
  );
}

/**
 * Registers every view's texts, as if each had been loaded: component tests render a view's
 * parts without the lazily loaded module that registers them in the app.
 */
export function registerAllTranslations(): void {
  for (const feature of FEATURE_TRANSLATIONS) registerTranslations(feature.sv, feature.en);
}

/** The Swedish of the first page and of every view, typed: for tests that look for the UI's words. */
export type AllSwedish = typeof sv &
  typeof conferenceSv &
  typeof directiveSv &
  typeof messageSv &
  typeof templatesAdminSv &
  typeof readinessSv &
  typeof incidentViewsSv &
  typeof commandTypeSv & { phone: typeof phoneSv; wall: typeof wallSv };

/** Every Swedish text the UI can show, as one tree (`allSwedish.conference.nextStep`). */
// The merge builds exactly the intersection of the parts; TypeScript cannot follow it there.
export const allSwedish = allTexts('sv') as AllSwedish;
