import { explain } from '#eligibility/explain'
import { describeRule } from '#eligibility/explain'
import type { Facts, Locale } from '#eligibility/types'
import type { ProgramParam } from '#eligibility/fact_catalog'
import type ProgramVersion from '#models/program_version'
import { installedPluginFacts } from '#plugin_engine/fact_declarations'

/**
 * Evaluates a program version's rule over an applicant's facts: the verdict, one sentence per
 * unmet condition in the person's language, the condition trace, and what to record with a
 * decision (the version and the facts used), so it can be replayed.
 */
export function precheckVersion(version: ProgramVersion, facts: Facts, locale: Locale) {
  return precheckRule(
    version.eligibilityRule,
    version.params as Record<string, ProgramParam>,
    version.currency,
    facts,
    locale,
    version.id
  )
}

/** The same for a rule being edited (not saved yet): the builder's live test. */
export function precheckRule(
  rule: unknown,
  params: Record<string, ProgramParam>,
  currency: string,
  facts: Facts,
  locale: Locale,
  key?: string
) {
  const { eligible, sentences, result } = explain(rule, facts, {
    locale,
    currency,
    params,
    pluginFacts: installedPluginFacts(),
    key,
  })
  return {
    eligible,
    reasons: sentences,
    missing: result.missing ?? [],
    trace: result.trace ?? [],
    ruleKey: result.ruleKey,
  }
}

/** The whole rule as a sentence (the builder's sentence view and the citizen's program page). */
export function ruleSentence(
  version: Pick<ProgramVersion, 'eligibilityRule' | 'params' | 'currency'>,
  locale: Locale
) {
  return describeRule(version.eligibilityRule, {
    locale,
    currency: version.currency,
    params: version.params as any,
    pluginFacts: installedPluginFacts(),
  })
}
