/*
 * Which documents an application needs: each document the program lists is required when its
 * `requiredWhen` rule holds over the application's facts (always, without a rule).
 */
import { evaluate } from '#eligibility/engine'
import type { Facts, Locale } from '#eligibility/types'
import type ProgramVersion from '#models/program_version'
import type { ProgramParam } from '#eligibility/fact_catalog'
import { installedPluginFacts } from '#plugin_engine/fact_declarations'

export interface DocumentRequirement {
  key: string
  name: string
  help: string | null
  formats: string[]
  maxSizeBytes: number
  required: boolean
}

/** The program's documents with whether each is required for these facts, in `locale`. */
export function documentRequirements(
  version: Pick<ProgramVersion, 'documents' | 'params' | 'id'>,
  facts: Facts,
  locale: Locale
): DocumentRequirement[] {
  return (version.documents ?? []).map((doc, index) => {
    let required = true
    if (doc.requiredWhen !== undefined && doc.requiredWhen !== null) {
      required = evaluate(doc.requiredWhen, facts, {
        params: version.params as Record<string, ProgramParam>,
        pluginFacts: installedPluginFacts(),
        key: `${version.id}:doc:${index}`,
        missingFacts: 'allow',
      }).eligible
    }
    const name = doc.name as Record<string, string>
    const help = (doc.help ?? {}) as Record<string, string | undefined>
    return {
      key: doc.key,
      name: name[locale] ?? name.en ?? name.cs,
      help: help[locale] ?? help.en ?? help.cs ?? null,
      formats: [...doc.formats],
      maxSizeBytes: doc.maxSizeBytes,
      required,
    }
  })
}
