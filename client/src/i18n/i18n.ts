import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import type { TemplatesAdminTranslation } from '../admin/i18n-sv';
import type { ConferenceTranslation } from '../conference/i18n-sv';
import type { DirectiveTranslation } from '../directive/i18n-sv';
import type { IncidentViewsTranslation } from '../features/i18n-sv';
import type { MessageTranslation } from '../message/i18n-sv';
import type { CommandTypeTranslation } from '../outbox/i18n-sv';
import type { PhoneTranslation } from '../phone/phone-sv';
import type { ReadinessTranslation } from '../readiness/i18n-sv';
import type { WallTranslation } from '../wall/wall-sv';
import { en } from './en';
import { addRegisteredTranslations } from './register';
import { sv, type Translation } from './sv';

/** The languages the UI speaks; Swedish first because it is the default. */
export const LANGUAGES = ['sv', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

/** Where the chosen language is remembered between visits. */
export const LANGUAGE_STORAGE_KEY = 'lagesbild.language';

const isLanguage = (value: unknown): value is Language =>
  typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);

const missing = new Set<string>();

/**
 * Keys the UI asked for that the current language lacks, as "lng:key". The types catch
 * literal keys; this catches the built ones (`errors.${code}`) at run time, and the
 * browser tests read it through the debug hook.
 */
export const missingTranslations = (): string[] => [...missing];

/** The language saved by the switch, or Swedish. Storage can be blocked (private mode). */
export function storedLanguage(): Language {
  try {
    const saved = globalThis.localStorage?.getItem(LANGUAGE_STORAGE_KEY);
    return isLanguage(saved) ? saved : 'sv';
  } catch {
    return 'sv';
  }
}

/** The language the UI shows now. */
export const currentLanguage = (): Language => (isLanguage(i18next.language) ? i18next.language : 'sv');

/**
 * Starts i18next with both languages of the first page bundled: a crisis tool must not wait
 * for a translation file over a bad network. The texts of lazily loaded views come with
 * their code (`registerTranslations`), so they cost the first page nothing.
 */
export function initI18n(language: Language = storedLanguage()) {
  if (!i18next.isInitialized) {
    void i18next.use(initReactI18next).init({
      resources: { sv: { translation: sv }, en: { translation: en } },
      lng: language,
      fallbackLng: 'sv',
      supportedLngs: [...LANGUAGES],
      interpolation: { escapeValue: false }, // React escapes
      returnNull: false,
      initAsync: false,
      saveMissing: true,
      missingKeyHandler: (languages, _namespace, key) => {
        for (const language of languages) missing.add(`${language}:${key}`);
        console.warn(`Missing translation: ${languages.join(',')} ${key}`);
      },
    });
    addRegisteredTranslations();
  } else if (i18next.language !== language) {
    void i18next.changeLanguage(language);
  }
  setDocumentLanguage(language);
  return i18next;
}

/** Switches the UI language and remembers it for the next visit. */
export function setLanguage(language: Language): void {
  void i18next.changeLanguage(language);
  setDocumentLanguage(language);
  try {
    globalThis.localStorage?.setItem(LANGUAGE_STORAGE_KEY, language);
  } catch {
    // Storage blocked: the switch still works for this visit.
  }
}

// Screen readers pick their voice from <html lang>.
function setDocumentLanguage(language: Language): void {
  if (typeof document !== 'undefined') document.documentElement.lang = language;
}

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    // Every key the UI may ask for: the first page's, and those its lazy views register.
    resources: {
      translation: Translation &
        ConferenceTranslation &
        DirectiveTranslation &
        MessageTranslation &
        TemplatesAdminTranslation &
        ReadinessTranslation &
        IncidentViewsTranslation &
        CommandTypeTranslation & { phone: PhoneTranslation; wall: WallTranslation };
    };
    returnNull: false;
  }
}
