/*
 * What an applicant declares on an application form, and which questions a program asks.
 *
 * Facts come from three places: the platform knows some (citizenship, home tenant, verification,
 * the child's birth date, the household, history, the period); the applicant declares others
 * (benefits received, protection status, income); documents back the declarations and a reviewer
 * checks them. A program asks only the declarable facts its rule and its documents' `requiredWhen`
 * rules reference, so the form never asks for what the rule does not use.
 */
import vine from '@vinejs/vine'
import { lookupFact, type FactDefinition } from '#eligibility/fact_catalog'
import type ProgramVersion from '#models/program_version'

/** Facts an applicant may declare (everything else is computed by the platform). */
export const DECLARABLE_FACTS = [
  'applicant.benefits.child_allowance',
  'applicant.benefits.care_allowance',
  'applicant.benefits.foster_care_allowance',
  'applicant.benefits.foster_parent_reward',
  'applicant.protection_status',
  'applicant.birth_date',
  'household.monthly_income',
  'household.subsistence_minimum',
] as const

export type DeclarableFact = (typeof DECLARABLE_FACTS)[number]

/** The most money a declaration may state (minor units): 100 million in the main unit. */
const MAX_MONEY_MINOR = 10_000_000_000

/** Every `var` path a JSON Logic rule reads. */
export function referencedVars(rule: unknown, into: Set<string> = new Set()): Set<string> {
  if (Array.isArray(rule)) {
    for (const item of rule) referencedVars(item, into)
  } else if (rule && typeof rule === 'object') {
    for (const [op, args] of Object.entries(rule)) {
      if (op === 'var') {
        const path = Array.isArray(args) ? args[0] : args
        if (typeof path === 'string') into.add(path)
      } else {
        referencedVars(args, into)
      }
    }
  }
  return into
}

/** A question of the application form: the fact and its definition (type, labels, choices). */
export interface DeclaredQuestion {
  path: DeclarableFact
  definition: FactDefinition
}

/** The questions a program version asks, in the catalogue's order. */
export function questionsFor(
  version: Pick<ProgramVersion, 'eligibilityRule' | 'documents'>,
  options: {
    /** Facts the platform already knows for this person (a verified birth date): not asked. */
    known?: ReadonlySet<string>
  } = {}
) {
  const used = referencedVars(version.eligibilityRule)
  for (const doc of version.documents ?? []) referencedVars(doc.requiredWhen, used)
  // The income multiple is computed from the two declared amounts.
  if (used.has('household.income_multiple')) {
    used.add('household.monthly_income')
    used.add('household.subsistence_minimum')
  }
  const questions: DeclaredQuestion[] = []
  for (const path of DECLARABLE_FACTS) {
    if (!used.has(path) || options.known?.has(path)) continue
    const definition = lookupFact(path)
    if (definition) questions.push({ path, definition })
  }
  return questions
}

/** A validator of the declarations for the given questions (all answers required). */
export function declaredValidator(questions: readonly DeclaredQuestion[]) {
  const shape: Record<string, any> = {}
  for (const { path, definition } of questions) {
    const key = path
    switch (definition.type) {
      case 'boolean':
        shape[key] = vine.boolean()
        break
      case 'money':
        shape[key] = vine.number().withoutDecimals().min(0).max(MAX_MONEY_MINOR)
        break
      case 'date':
        shape[key] = vine.string().regex(/^(19|20)\d{2}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/)
        break
      case 'enum':
        shape[key] = vine.enum((definition.choices ?? []).map((choice) => choice.value))
        break
      default:
        shape[key] = vine.string().trim().maxLength(200)
    }
  }
  return vine.create(vine.object(shape))
}

/**
 * Reads the form's declarations: `declared` as an object keyed by fact path (JSON), or the
 * browser form's flat fields (`declared[applicant.benefits.child_allowance]` arrives as nested
 * objects through the body parser, so both shapes are flattened to dot paths).
 */
export function flattenDeclared(input: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  const walk = (value: unknown, prefix: string, depth: number) => {
    if (depth > 4) return
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      for (const [key, inner] of Object.entries(value)) {
        if (key === '__proto__' || key === 'constructor' || key === 'prototype') continue
        walk(inner, prefix ? `${prefix}.${key}` : key, depth + 1)
      }
    } else if (prefix) {
      out[prefix] = value
    }
  }
  walk(input, '', 0)
  return out
}

/** Coerces form strings ("true", "on", "1", "12000") to what the validator expects. */
export function coerceDeclared(
  questions: readonly DeclaredQuestion[],
  flat: Record<string, unknown>
): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const { path, definition } of questions) {
    let value = flat[path]
    if (value === '' || value === null) value = undefined
    if (definition.type === 'boolean' && typeof value === 'string') {
      value = ['true', 'on', '1', 'yes'].includes(value)
        ? true
        : value === 'false' || value === '0' || value === 'no'
          ? false
          : value
    }
    if (definition.type === 'boolean' && value === undefined) value = false
    if (definition.type === 'money' && typeof value === 'string' && /^\d+$/.test(value.trim())) {
      value = Number(value.trim())
    }
    out[path] = value
  }
  return out
}
