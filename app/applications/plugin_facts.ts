/*
 * Facts a program's plugin adds to an applicant's facts (`application.eligibility_facts`), sent
 * by `applicantFacts` (app/applications/context.ts) after the core facts are built and before
 * any rule runs. The additions are checked and merged here; the merged facts are what the
 * application records, so review, approval and replay use them without asking the plugin again.
 *
 * A plugin's facts live under its id (`voucher.used_this_year`), like its tables and routes, so
 * plugins never clash with each other, and each is declared in the plugin's manifest (`facts`),
 * so rules can read it. Refused, with a translated error for the person and nothing recorded: a
 * key outside the plugin's id, a key under a fact core sets (a plugin whose id is a core
 * namespace such as `household`), a key the manifest does not declare (a plugin declaring no
 * facts may add none), a value that is not plain JSON or not of the declared type (`null` is
 * allowed: the fact is unknown), a receiver that refuses (`HookRefusal`) or fails.
 */
import app from '@adonisjs/core/services/app'
import { HttpContext } from '@adonisjs/core/http'
import i18nManager from '@adonisjs/i18n/services/main'
import logger from '@adonisjs/core/services/logger'
import type User from '#models/user'
import type Child from '#models/child'
import DomainError from '#exceptions/domain_error'
import type { Facts } from '#eligibility/types'
import { HookDispatcher, HookDispatchError } from '#plugin_engine/dispatcher'
import { PluginRegistry } from '#plugin_engine/registry'
import type { FactValue } from '#plugin_engine/hooks'
import { factValueProblem } from '#plugin_engine/fact_declarations'
import type { PluginFactTypes } from '#eligibility/fact_catalog'
import type { LoadedProgram } from './context.js'
import type { ProgramPeriod } from './facts.js'

const KEY = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/

/** A plugin returned facts core cannot accept (a contract violation, logged). */
export class PluginFactsError extends Error {
  constructor(
    readonly pluginId: string,
    message: string
  ) {
    super(`plugin "${pluginId}" returned eligibility facts core refuses: ${message}`)
    this.name = 'PluginFactsError'
  }
}

/** Whether a value is plain JSON (finite numbers, no undefined, functions or class instances). */
function isFactValue(value: unknown): value is FactValue {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true
  if (typeof value === 'number') return Number.isFinite(value)
  if (Array.isArray(value)) return value.every(isFactValue)
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.values(value as Record<string, unknown>).every(isFactValue)
  }
  return false
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

/**
 * Checks every plugin's additions against its declarations (the manifest's `facts`) and the core
 * facts, and merges them into a copy of `facts`; throws `PluginFactsError` naming the first bad
 * key. Plugins cannot clash with each other: each writes only under its own id.
 */
export function mergePluginFacts(
  facts: Facts,
  additions: readonly { pluginId: string; result: Record<string, unknown> }[],
  declared: PluginFactTypes
): Facts {
  const core = facts as Record<string, unknown>
  const merged = structuredClone(core)
  for (const { pluginId, result } of additions) {
    const own = Object.hasOwn(declared, pluginId) ? declared[pluginId] : {}
    for (const [path, value] of Object.entries(result)) {
      if (!KEY.test(path) || !path.startsWith(`${pluginId}.`)) {
        throw new PluginFactsError(
          pluginId,
          `"${path}" is not a fact path under "${pluginId}." (lowercase snake_case segments)`
        )
      }
      // A plugin whose id is a core namespace (`household`) may not set, replace or extend it.
      if (Object.hasOwn(core, pluginId)) {
        throw new PluginFactsError(pluginId, `"${path}" is under "${pluginId}", a fact core sets`)
      }
      const name = path.slice(pluginId.length + 1)
      if (!Object.hasOwn(own, name)) {
        throw new PluginFactsError(
          pluginId,
          `"${path}" is not declared in the manifest's facts (declared: ${Object.keys(own).join(', ') || 'none'})`
        )
      }
      if (!isFactValue(value)) {
        throw new PluginFactsError(pluginId, `"${path}" is not plain JSON`)
      }
      const problem = factValueProblem(own[name], value)
      if (problem) {
        throw new PluginFactsError(
          pluginId,
          `"${path}" is declared ${own[name].type}, so its value must be ${problem}, not ${JSON.stringify(value)}`
        )
      }
      setPath(merged, path, value)
    }
  }
  return merged as Facts
}

function translator() {
  return HttpContext.get()?.i18n ?? i18nManager.locale(i18nManager.defaultLocale)
}

/** Core facts of one evaluation, with what the program's plugin adds; refuses with a translated error. */
export async function withPluginFacts(
  facts: Facts,
  input: {
    loaded: LoadedProgram
    user: User
    /** The child applied for; null when the applicant is the beneficiary. */
    child: Pick<Child, 'id'> | null
    period: ProgramPeriod
    applicationId: string | null
  }
): Promise<Facts> {
  const { program, version } = input.loaded
  // Most plugins add no facts: skip the dispatch (and the copy of the facts) for them. An
  // unknown plugin throws here as the dispatch would.
  const registry = await app.container.make(PluginRegistry)
  if (!registry.get(program.pluginId).hooks['application.eligibility_facts']) return facts
  const dispatcher = await app.container.make(HookDispatcher)
  try {
    const outcome = await dispatcher.dispatch('application.eligibility_facts', {
      pluginIds: [program.pluginId],
      settings: { [program.pluginId]: version.pluginSettings ?? {} },
      payload: {
        tenantId: program.tenantId,
        programId: program.id,
        applicationId: input.applicationId,
        applicantUserId: input.user.id,
        childId: input.child?.id ?? null,
        periodId: input.period.key,
        facts: Object.freeze(structuredClone(facts)) as Readonly<Record<string, FactValue>>,
      },
    })
    if (outcome.results.length === 0) return facts
    return mergePluginFacts(facts, outcome.results, registry.factsFor(program.pluginId))
  } catch (error) {
    if (error instanceof HookDispatchError && error.refusal) {
      const refusal = error.refusal
      throw new DomainError('applications.facts_refused', 'form', {
        detail: translator().t(refusal.key, refusal.values),
      })
    }
    if (error instanceof HookDispatchError || error instanceof PluginFactsError) {
      logger.error({ err: error, programId: program.id }, error.message)
      throw new DomainError('applications.facts_failed', 'form')
    }
    throw error
  }
}
