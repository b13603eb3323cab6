/*
 * Replaying a decision: the rule it recorded, with the parameters it recorded, over the facts it
 * recorded (the plugin facts among them typed by the plugin's declarations). The same verdict and the same rule key show that the decision can be explained and
 * reproduced, whatever changed in the program since.
 */
import type ApplicationDecision from '#models/application_decision'
import { explain } from '#eligibility/explain'
import type { Locale } from '#eligibility/types'
import type { ProgramParam } from '#eligibility/fact_catalog'
import { installedPluginFacts } from '#plugin_engine/fact_declarations'

export function replayDecision(decision: ApplicationDecision, locale: Locale) {
  const params = decision.params as Record<string, ProgramParam>
  const { eligible, sentences, result } = explain(decision.rule, decision.facts, {
    locale,
    params,
    pluginFacts: installedPluginFacts(),
  })
  return {
    decisionId: decision.id,
    outcome: decision.outcome,
    programVersion: decision.programVersion,
    recorded: { eligible: decision.eligible, ruleKey: decision.ruleKey },
    replayed: { eligible, ruleKey: result.ruleKey, reasons: sentences, trace: result.trace ?? [] },
    same: eligible === decision.eligible && result.ruleKey === decision.ruleKey,
  }
}
