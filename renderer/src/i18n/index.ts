/**
 * vue-i18n in composition mode. Locale choice: the user's saved choice, else the OS/browser
 * languages (any `zh*` → zh-CN), else English. Switching also sets `<html lang>`, so fonts,
 * hyphenation and screen readers follow.
 */
import { createI18n } from 'vue-i18n'
import en, { type MessageSchema } from './locales/en'
import zhCN from './locales/zh-CN'

export const SUPPORTED_LOCALES = ['zh-CN', 'en'] as const
export type AppLocale = (typeof SUPPORTED_LOCALES)[number]

export const LOCALE_STORAGE_KEY = 'quorum-lab.locale'
export const FALLBACK_LOCALE: AppLocale = 'en'

/** Each locale's own name, for the switcher (shown the same in every UI language). */
export const LOCALE_NAMES: Record<AppLocale, string> = {
  'zh-CN': '简体中文',
  en: 'English'
}

export const messages: Record<AppLocale, MessageSchema> = { en, 'zh-CN': zhCN }

// Typed keys: `t('quorum.summar')` fails the typecheck instead of rendering the raw key.
declare module 'vue-i18n' {
  // Augmentation must be an interface that extends the schema; it adds no members of its own.
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  export interface DefineLocaleMessage extends MessageSchema {}
}

export function isAppLocale(v: unknown): v is AppLocale {
  return typeof v === 'string' && (SUPPORTED_LOCALES as readonly string[]).includes(v)
}

/** Map one BCP 47 tag to a supported locale, or null. */
export function matchLocale(tag: string): AppLocale | null {
  const lower = tag.toLowerCase()
  if (lower === 'zh' || lower.startsWith('zh-') || lower.startsWith('zh_')) return 'zh-CN'
  if (lower === 'en' || lower.startsWith('en-') || lower.startsWith('en_')) return 'en'
  return null
}

/** Pure: saved choice, else the first language we support in preference order, else English. */
export function detectLocale(saved: string | null | undefined, languages: readonly string[]): AppLocale {
  if (isAppLocale(saved)) return saved
  for (const tag of languages) {
    const match = matchLocale(tag)
    if (match) return match
  }
  return FALLBACK_LOCALE
}

function readSavedLocale(): string | null {
  try {
    return window.localStorage.getItem(LOCALE_STORAGE_KEY)
  } catch {
    return null
  }
}

function browserLanguages(): readonly string[] {
  const nav = window.navigator
  if (nav.languages && nav.languages.length > 0) return nav.languages
  return nav.language ? [nav.language] : []
}

/** The locale to start with in this browser/app. */
export function initialLocale(): AppLocale {
  return detectLocale(readSavedLocale(), browserLanguages())
}

function makeI18n(locale: AppLocale) {
  return createI18n<[MessageSchema], AppLocale, false>({
    legacy: false,
    locale,
    fallbackLocale: FALLBACK_LOCALE,
    messages
  })
}

export type AppI18n = ReturnType<typeof makeI18n>

export function createAppI18n(locale: AppLocale = initialLocale()): AppI18n {
  const i18n = makeI18n(locale)
  document.documentElement.lang = locale
  return i18n
}

/** Switch the UI language, remember the choice and update `<html lang>`. */
export function setLocale(i18n: AppI18n, locale: AppLocale): void {
  i18n.global.locale.value = locale
  rememberLocale(locale)
}

/**
 * The side effects of a switch, for callers that set the composer's `locale` themselves
 * (components via `useI18n()`): save the choice and update `<html lang>`.
 */
export function rememberLocale(locale: AppLocale): void {
  document.documentElement.lang = locale
  try {
    window.localStorage.setItem(LOCALE_STORAGE_KEY, locale)
  } catch {
    // No storage: the choice lasts for this page only.
  }
}
