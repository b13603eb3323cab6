/*
 * Shared types of the eligibility engine (pure TypeScript: no database, no HTTP).
 */

/** The locales the engine speaks (the same as the app's: see docs/decisions/0010-i18n.md). */
export type Locale = 'cs' | 'en' | 'uk' | 'pl'

/** Every locale the engine speaks, in a fixed order. */
export const LOCALES: readonly Locale[] = ['cs', 'en', 'uk', 'pl']

/** A text in every locale the engine speaks. */
export type Localized = Record<Locale, string>

/** A JSON value as stored in the database (a rule, a fact, a constant). */
export type JsonValue =
  null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue }

/** A JSON Logic rule: any JSON value; an object with exactly one key is an operation. */
export type JsonLogicRule = JsonValue

/** The facts a rule is evaluated over: a plain JSON object built in one place (the facts builder). */
export type Facts = Record<string, unknown>
