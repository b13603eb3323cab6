import { computed } from 'vue'
import { FACT_CATALOGUE, lookupFact, type FactDefinition } from '@eligibility/fact_catalog'
import { engineLocale } from '~/components/rule_builder/locale'
import { useProgramLabels } from '~/components/programs/labels'
import type { BenefitLine, DocumentRequirement } from '~/components/review/types'

/** A fact as the reviewer reads it: its catalogue label and its value in words. */
export interface ReadableFact {
  path: string
  label: string
  value: string
}

/** Nested facts as `path → value` (lists and scalars are leaves). */
export function flattenFacts(facts: unknown, prefix = ''): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  if (!facts || typeof facts !== 'object' || Array.isArray(facts)) return out
  for (const [key, value] of Object.entries(facts as Record<string, unknown>)) {
    const path = prefix ? `${prefix}.${key}` : key
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      Object.assign(out, flattenFacts(value, path))
    } else {
      out[path] = value
    }
  }
  return out
}

const CATALOGUE_ORDER = new Map(FACT_CATALOGUE.map((def, index) => [def.path, index]))
/** Where a fact stands in the catalogue (facts it does not list come last). */
function catalogueRank(path: string) {
  return CATALOGUE_ORDER.get(path) ?? CATALOGUE_ORDER.size
}

/**
 * Texts of the reviewers' pages: facts with their catalogue labels and values in words (money from
 * minor units, yes/no, dates, choices), benefits, statuses and history entries.
 */
export function useReviewLabels() {
  const labels = useProgramLabels()
  const { t, locale, or, day, money } = labels
  const engine = computed(() => engineLocale(locale.value))

  const yesNo = (value: boolean) => (value ? t('common.yes') : t('common.no'))
  const applicationStatus = (code: string) => or(`application_status.${code}`, code)

  function number(value: number, fractionDigits = 2) {
    return new Intl.NumberFormat(locale.value, { maximumFractionDigits: fractionDigits }).format(
      value
    )
  }

  function factLabel(path: string, def = lookupFact(path)) {
    return def?.label[engine.value] ?? def?.label.en ?? path
  }

  /** A value of a fact in words, typed by the fact catalogue. */
  function factValue(
    path: string,
    value: unknown,
    currency: string,
    requirements: readonly DocumentRequirement[] = [],
    def: FactDefinition | undefined = lookupFact(path)
  ): string {
    if (value === null || value === undefined || value === '') return t('review.facts.not_given')
    if (typeof value === 'boolean') return yesNo(value)
    if (Array.isArray(value)) {
      if (value.length === 0) return t('review.facts.none')
      if (path === 'applicant.documents') {
        return value
          .map((key) => requirements.find((r) => r.key === key)?.name ?? String(key))
          .join(', ')
      }
      if (path === 'household.children') {
        return value
          .map((child) =>
            child && typeof child === 'object' && 'birth_date' in child
              ? t('review.facts.child_born', { date: day(String(child.birth_date)) })
              : String(child)
          )
          .join(', ')
      }
      return value
        .map((item) => (typeof item === 'object' ? JSON.stringify(item) : String(item)))
        .join(', ')
    }
    switch (def?.type) {
      case 'money':
        return typeof value === 'number' ? money(value, currency) : String(value)
      case 'date':
        return day(String(value))
      case 'enum': {
        const choice = def.choices?.find((c) => c.value === value)
        return choice ? (choice.label[engine.value] ?? String(value)) : String(value)
      }
      case 'number':
        return typeof value === 'number'
          ? number(value, def.format?.maximumFractionDigits ?? 2)
          : String(value)
      default:
        if (typeof value === 'number') return number(value)
        if (typeof value === 'object') return JSON.stringify(value)
        return String(value)
    }
  }

  /** Facts as label and value in words, in the catalogue's order where possible. */
  function readableFacts(
    flat: Record<string, unknown>,
    currency: string,
    requirements: readonly DocumentRequirement[] = []
  ): ReadableFact[] {
    return Object.entries(flat)
      .sort(([a], [b]) => catalogueRank(a) - catalogueRank(b))
      .map(([path, value]) => ({
        path,
        label: factLabel(path),
        value: factValue(path, value, currency, requirements),
      }))
  }

  /** A line of what a decision granted: "2 × voucher of 1 000 Kč". */
  function benefit(line: BenefitLine, currency: string) {
    const kind = or(`review.benefit.${line.kind}`, line.kind)
    return t('review.benefit.line', {
      count: line.count,
      kind,
      amount: money(line.amountMinor, currency),
    })
  }

  /** A file size in kB or MB. */
  function size(bytes: number) {
    if (bytes < 1024 * 1024) return `${number(Math.max(1, Math.round(bytes / 1024)), 0)} kB`
    return `${number(bytes / (1024 * 1024), 1)} MB`
  }

  return {
    ...labels,
    engine,
    yesNo,
    applicationStatus,
    number,
    factLabel,
    factValue,
    readableFacts,
    benefit,
    size,
  }
}
