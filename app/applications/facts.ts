/*
 * The facts builder: the one place that turns what the platform knows and what the applicant
 * declared into the plain JSON facts an eligibility rule reads (app/eligibility/fact_catalog.ts).
 * Money in minor units, dates as YYYY-MM-DD. Runs in the applicant's scope (their children,
 * verification and applications are visible there); the facts are stored with the application and
 * every decision is made and replayed over the stored facts.
 */
import { DateTime } from 'luxon'
import type Child from '#models/child'
import type ProgramVersion from '#models/program_version'
import type { Facts } from '#eligibility/types'

export interface ProgramPeriod {
  key: string
  name: Record<string, string>
  start: string
  end: string
}

export interface FactsInput {
  citizenship: string | null
  homeTenantSlug: string | null
  verified: boolean
  /**
   * The birth date a register or census verification confirmed; it wins over a declared one
   * (a rule on the applicant's age must not be passed by typing another date).
   */
  verifiedBirthDate?: string | null
  /** The child the application is for; null when the applicant is the beneficiary. */
  child: Pick<Child, 'birthDate'> | null
  household: readonly Pick<Child, 'birthDate'>[]
  period: ProgramPeriod
  declared: Record<string, unknown>
  documentKeys: readonly string[]
  history?: { applications: number; benefits: number; amountMinor: number }
  referenceDate?: string
}

/** Today in the Czech calendar (rules compare calendar dates, not instants). */
export function today() {
  return DateTime.now().setZone('Europe/Prague').toISODate()!
}

function setPath(target: Record<string, any>, path: string, value: unknown) {
  const segments = path.split('.')
  let node = target
  for (const segment of segments.slice(0, -1)) {
    if (!node[segment] || typeof node[segment] !== 'object') node[segment] = {}
    node = node[segment]
  }
  node[segments.at(-1)!] = value
}

/** Builds the facts of one application (or of a pre-check, with what is known so far). */
export function buildFacts(input: FactsInput): Facts {
  const facts: Record<string, any> = {
    applicant: {
      citizenship: input.citizenship,
      home_tenant: input.homeTenantSlug,
      verified: input.verified,
      documents: [...new Set(input.documentKeys)],
    },
    // No `child` at all for a program whose beneficiary is the applicant (rules there cannot read it).
    ...(input.child ? { child: { birth_date: input.child.birthDate } } : {}),
    household: {
      children: input.household.map((child) => ({ birth_date: child.birthDate })),
      children_count: input.household.length,
    },
    history: {
      applications_in_period: input.history?.applications ?? 0,
      benefits_in_period: input.history?.benefits ?? 0,
      amount_granted_in_period: input.history?.amountMinor ?? 0,
    },
    period: { start: input.period.start, end: input.period.end },
    reference_date: input.referenceDate ?? today(),
  }
  for (const [path, value] of Object.entries(input.declared)) {
    if (value !== undefined) setPath(facts, path, value)
  }
  if (input.verifiedBirthDate) facts.applicant.birth_date = input.verifiedBirthDate
  const income = facts.household.monthly_income
  const minimum = facts.household.subsistence_minimum
  if (typeof income === 'number' && typeof minimum === 'number') {
    facts.household.income_multiple = minimum > 0 ? income / minimum : null
  }
  return facts
}

/** The period of a version by key. */
export function periodOf(version: Pick<ProgramVersion, 'periods'>, key: string) {
  return (version.periods as ProgramPeriod[]).find((period) => period.key === key) ?? null
}

/** Periods one can still apply for (not yet ended), in order. */
export function openPeriods(version: Pick<ProgramVersion, 'periods'>, day: string = today()) {
  return (version.periods as ProgramPeriod[]).filter((period) => period.end >= day)
}
