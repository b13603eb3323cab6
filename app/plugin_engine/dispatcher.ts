/*
 * Sends catalogue hooks to plugins (after pretix's EventPluginSignal): only to the plugins enabled
 * for the program (the ids the caller passes), in a fixed order (manifest `order`, then id, never
 * the caller's order), one receiver after the other, each with its own settings for the program
 * validated by its schema (`load`, defaults filled in).
 *
 * Blocking hooks (`blocking: true` in the catalogue): the first receiver that throws, returns a
 * malformed result or has invalid settings rejects the dispatch with `HookDispatchError` naming the
 * plugin; later receivers are not called. Non-blocking hooks: such failures are logged and
 * collected in `failures`, and every other receiver still runs.
 */
import {
  hookCatalogue,
  HookRefusal,
  type HookName,
  type HookPayload,
  type HookResult,
} from './hooks.js'
import type { PluginRegistry } from './registry.js'
import type { SettingsSchema } from './settings_schema.js'

/** What `dispatch` needs besides the hook name. */
export interface DispatchOptions<H extends HookName> {
  /** The plugins enabled for the program (order does not matter; unknown ids are an error). */
  pluginIds: readonly string[]
  /** The hook's payload. */
  payload: HookPayload<H>
  /**
   * Each enabled plugin's stored settings for the program, by plugin id (validated here before the
   * receiver sees them). A plugin missing from this map is an error: pass `{}` to mean "defaults".
   */
  settings: Readonly<Record<string, unknown>>
}

/** One receiver's result. */
export interface HookReceipt<H extends HookName> {
  pluginId: string
  result: HookResult<H>
}

/** One receiver's failure on a non-blocking hook. */
export interface HookFailure {
  pluginId: string
  error: Error
}

/** What a dispatch returns: results in dispatch order, and the failures of non-blocking receivers. */
export interface DispatchOutcome<H extends HookName> {
  /** Results of the receivers that answered, in dispatch order (plugins without a receiver are skipped). */
  results: HookReceipt<H>[]
  /** Receivers of a non-blocking hook that failed (always empty for blocking hooks). */
  failures: HookFailure[]
}

/** Rejects a blocking hook's dispatch: names the hook and the plugin; `cause` is the original error. */
export class HookDispatchError extends Error {
  /** The hook being dispatched. */
  readonly hook: HookName
  /** The plugin whose receiver failed. */
  readonly pluginId: string
  /** The receiver's refusal, when it refused on purpose with `HookRefusal` (a message for people). */
  readonly refusal: HookRefusal | null

  constructor(hook: HookName, pluginId: string, cause: Error) {
    super(`plugin "${pluginId}" failed hook "${hook}": ${cause.message}`, { cause })
    this.name = 'HookDispatchError'
    this.hook = hook
    this.pluginId = pluginId
    this.refusal = cause instanceof HookRefusal ? cause : null
  }
}

/** Where non-blocking failures are reported (the app logger fits). */
export interface DispatchLogger {
  error(details: Record<string, unknown>, message: string): void
}

/** Sends catalogue hooks to the plugins of a registry. */
export class HookDispatcher {
  /** Uses the plugins of `registry`; reports non-blocking failures to `logger` when given. */
  constructor(
    private readonly registry: PluginRegistry,
    private readonly logger?: DispatchLogger
  ) {}

  /**
   * Sends `hook` to the enabled plugins that receive it, in dispatch order, and collects their
   * results; rejects with `HookDispatchError` when a receiver of a blocking hook fails.
   */
  async dispatch<H extends HookName>(
    hook: H,
    options: DispatchOptions<H>
  ): Promise<DispatchOutcome<H>> {
    const declaration = hookCatalogue[hook]
    if (!declaration) throw new Error(`unknown hook "${String(hook)}"`)
    const outcome: DispatchOutcome<H> = { results: [], failures: [] }

    for (const manifest of this.registry.inOrder(options.pluginIds)) {
      const receiver = manifest.hooks[hook] as
        | ((payload: HookPayload<H>, context: { pluginId: string; settings: unknown }) => unknown)
        | undefined
      if (!receiver) continue
      try {
        if (!Object.hasOwn(options.settings, manifest.id)) {
          throw new Error(
            `no settings were given for plugin "${manifest.id}" (pass {} for its defaults)`
          )
        }
        const settings = await loadSettings(manifest.settings, options.settings[manifest.id])
        const result = await receiver(options.payload, { pluginId: manifest.id, settings })
        const problems = declaration.checkResult?.(result, options.payload as never) ?? []
        if (problems.length > 0)
          throw new Error(`returned a malformed result: ${problems.join('; ')}`)
        outcome.results.push({ pluginId: manifest.id, result: result as HookResult<H> })
      } catch (thrown) {
        const error = thrown instanceof Error ? thrown : new Error(String(thrown))
        if (declaration.blocking) throw new HookDispatchError(hook, manifest.id, error)
        outcome.failures.push({ pluginId: manifest.id, error })
        this.logger?.error(
          { err: error, hook, pluginId: manifest.id },
          `plugin "${manifest.id}" failed hook "${hook}"`
        )
      }
    }
    return outcome
  }
}

/** Loads a plugin's stored settings; a validation failure becomes an error listing the fields. */
async function loadSettings(schema: SettingsSchema, stored: unknown): Promise<unknown> {
  try {
    return await schema.load(stored)
  } catch (error) {
    const messages = (error as { messages?: { field: string; message: string }[] }).messages
    if (!Array.isArray(messages)) throw error
    throw new Error(
      `its settings for this program are invalid: ${messages.map((m) => `${m.field}: ${m.message}`).join('; ')}`,
      {
        cause: error,
      }
    )
  }
}
