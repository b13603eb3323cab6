/*
 * "Offers of contributions": the published programs a citizen can see (their home tenant's and
 * the nationwide ones, by row-level security), each with a pre-check per child (or, for a program
 * whose beneficiary is the applicant, for the applicant themselves).
 *
 * Before the applicant has answered the form's questions, a rule can only be partly decided:
 * the conditions of its top-level `and` that read no declarable fact (the child's age, the home
 * tenant, the citizenship) are evaluated now; when one fails the child is not eligible, with the
 * reasons; when all pass and the rest depends on answers, the child "may be eligible" and the
 * form's live check decides.
 */
import { DateTime } from 'luxon'
import type Child from '#models/child'
import type ProgramVersion from '#models/program_version'
import { beneficiaryOf } from '#programs/program_config'
import type User from '#models/user'
import DomainError from '#exceptions/domain_error'
import { explain } from '#eligibility/explain'
import type { Facts, Locale } from '#eligibility/types'
import type { ProgramParam } from '#eligibility/fact_catalog'
import { installedPluginFacts } from '#plugin_engine/fact_declarations'
import { DECLARABLE_FACTS, referencedVars } from './declared.js'
import { applicantContextFrom, applicantFacts, audienceProblem, knownFacts } from './context.js'
import { personSnapshot } from './person.js'
import { publishedPrograms } from '#programs/published'
import { openPeriods, type ProgramPeriod } from './facts.js'

export type ChildVerdict = 'eligible' | 'not_eligible' | 'answers_needed' | 'applied'

const DECLARABLE = new Set<string>(DECLARABLE_FACTS)

function readsDeclarable(rule: unknown, known: ReadonlySet<string>) {
  for (const path of referencedVars(rule)) {
    if (known.has(path)) continue
    if (DECLARABLE.has(path) || path.startsWith('household.income')) return true
  }
  return false
}

/**
 * The pre-check of a rule before the applicant answered anything. `known` are declarable facts
 * the platform already has for this person (a verified birth date): they decide now.
 */
export function partialPrecheck(
  version: ProgramVersion,
  facts: Facts,
  locale: Locale,
  known: ReadonlySet<string> = new Set()
) {
  const rule = version.eligibilityRule as any
  const options = {
    locale,
    currency: version.currency,
    params: version.params as Record<string, ProgramParam>,
    pluginFacts: installedPluginFacts(),
  }
  if (!readsDeclarable(rule, known)) {
    const { eligible, sentences } = explain(rule, facts, { ...options, key: version.id })
    return { verdict: (eligible ? 'eligible' : 'not_eligible') as ChildVerdict, reasons: sentences }
  }
  const parts: unknown[] =
    rule && typeof rule === 'object' && Array.isArray(rule.and) ? rule.and : []
  const reasons: string[] = []
  parts.forEach((part, index) => {
    if (readsDeclarable(part, known)) return
    const { eligible, sentences } = explain(part, facts, {
      ...options,
      key: `${version.id}:and:${index}`,
    })
    if (!eligible) reasons.push(...sentences)
  })
  return {
    verdict: (reasons.length > 0 ? 'not_eligible' : 'answers_needed') as ChildVerdict,
    reasons,
  }
}

function localized(value: unknown, locale: Locale) {
  const map = (value ?? {}) as Record<string, string>
  return map[locale] ?? map.en ?? map.cs ?? ''
}

/** The offers for a citizen: programs, why one is closed to them, and a verdict per child. */
export async function offersFor(user: User, locale: Locale, translate: (e: DomainError) => string) {
  // The visible published programs with versions and tenants, then the person, in two statements.
  const published = await publishedPrograms()
  const person = await personSnapshot(user)
  const children = person.household
  const mine = person.liveApplications
  const now = DateTime.now()
  const context = await applicantContextFrom(user, person)
  const offers = []
  for (const loaded of published) {
    const { program, version, tenant } = loaded
    // Residents' programs of another tenant are not offers for this person at all.
    if (version.audience.scope === 'residents' && program.tenantId !== user.homeTenantId) continue
    const problem = await audienceProblem(user, loaded, now, locale, person.verification)
    const periods = openPeriods(version)
    const period: ProgramPeriod | undefined = periods[0]
    const forApplicant = beneficiaryOf(version) === 'applicant'
    // Whom this program can be for: each child, or the applicant themselves.
    const beneficiaries: { child: Child | null; name: string }[] = forApplicant
      ? [{ child: null, name: user.fullName }]
      : children.map((child) => ({ child, name: `${child.firstName} ${child.lastName}` }))
    const perChild = []
    for (const { child, name } of beneficiaries) {
      // A live application in any period still open counts (the verdict is for the first one).
      const applied = mine.find(
        (row) =>
          row.programId === program.id &&
          row.childId === (child?.id ?? null) &&
          periods.some((open) => open.key === row.periodKey)
      )
      if (applied) {
        perChild.push({
          childId: child?.id ?? null,
          name,
          verdict: 'applied' as ChildVerdict,
          reasons: [],
          applicationId: applied.id,
          status: applied.status,
        })
        continue
      }
      if (!period) continue
      let check: { verdict: ChildVerdict; reasons: string[] }
      try {
        const facts = await applicantFacts({
          user,
          loaded,
          child,
          period,
          declared: {},
          documentKeys: [],
          context,
          historyOnlyIfRead: true,
        })
        check = partialPrecheck(version, facts, locale, knownFacts(context))
      } catch (error) {
        // The program's plugin refused or failed to add its facts: this offer says why.
        if (!(error instanceof DomainError)) throw error
        check = { verdict: 'not_eligible', reasons: [translate(error)] }
      }
      perChild.push({
        childId: child?.id ?? null,
        name,
        verdict: check.verdict,
        reasons: check.reasons,
        applicationId: null,
        status: null,
      })
    }
    offers.push({
      id: program.id,
      slug: program.slug,
      pluginId: program.pluginId,
      tenant: { slug: tenant.slug, name: tenant.name, nationwide: tenant.nationwide },
      name: localized(version.name, locale),
      description: localized(version.description, locale),
      currency: version.currency,
      opensAt: version.applicationOpensAt?.toISO() ?? null,
      closesAt: version.applicationClosesAt?.toISO() ?? null,
      periods: periods.map((p) => ({
        key: p.key,
        name: localized(p.name, locale),
        start: p.start,
        end: p.end,
      })),
      closedReason: problem ? translate(problem) : null,
      forApplicant,
      children: perChild,
    })
  }
  return { offers, hasChildren: children.length > 0 }
}
