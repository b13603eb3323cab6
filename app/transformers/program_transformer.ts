import type Program from '#models/program'
import type ProgramVersion from '#models/program_version'

/** A program in lists. */
export function programSummary(
  program: Program,
  version: ProgramVersion,
  /** The installed plugin's name in the reader's locale (null when it is not installed). */
  pluginName: string | null = null
) {
  return {
    id: program.id,
    slug: program.slug,
    pluginId: program.pluginId,
    pluginName,
    status: program.status,
    nationwide: program.nationwide,
    version: program.currentVersion,
    name: version.name,
    currency: version.currency,
    budgetMinor: version.budgetMinor,
    applicationOpensAt: version.applicationOpensAt?.toISO() ?? null,
    applicationClosesAt: version.applicationClosesAt?.toISO() ?? null,
  }
}

/** A program version's whole configuration, in the shape the admin form and API edit. */
export function programConfig(version: ProgramVersion) {
  return {
    name: version.name,
    description: version.description ?? {},
    applicationOpensAt: version.applicationOpensAt?.toISO() ?? undefined,
    applicationClosesAt: version.applicationClosesAt?.toISO() ?? undefined,
    periods: version.periods,
    audience: version.audience,
    currency: version.currency,
    budgetMinor: version.budgetMinor,
    whenBudgetExhausted: version.whenBudgetExhausted,
    limits: version.limits,
    coPaymentBp: version.coPaymentBp,
    documents: version.documents,
    eligibilityRule: version.eligibilityRule,
    params: version.params,
    categories: version.categories,
    requiresActivityApproval: version.requiresActivityApproval,
    pluginSettings: version.pluginSettings,
  }
}
