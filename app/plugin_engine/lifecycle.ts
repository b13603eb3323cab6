/*
 * Plugin lifecycle: `onEnable` and `onDisable` of a program's plugin, called by the program
 * status change (app/actions/programs/program_actions.ts, ChangeProgramStatus).
 *
 * A plugin is enabled for a program exactly while the program is published:
 * - `onEnable` on every move into `published`: draft → published, and closed → published
 *   (re-publishing a closed program calls it again, hence callbacks are idempotent);
 * - `onDisable` on every move out of `published`: published → closed;
 * - archiving calls neither (only a draft or a closed program can be archived, and the plugin is
 *   not enabled for either), nor does any other change (settings, a new version).
 * The callback runs inside the status change's transaction after the new status is written, with
 * the settings of the program's current version loaded through the plugin's schema. Throwing
 * refuses the change: the caller rolls the status back together with anything the callback wrote.
 */
import { HookRefusal } from './hooks.js'
import type { PluginRegistry } from './registry.js'

/** A lifecycle callback's name. */
export type LifecycleEvent = 'onEnable' | 'onDisable'

/** The callback a program status change calls, or null for a change that calls none. */
export function lifecycleEventFor(from: string, to: string): LifecycleEvent | null {
  if (to === 'published' && from !== 'published') return 'onEnable'
  if (from === 'published' && to !== 'published') return 'onDisable'
  return null
}

/** A lifecycle callback refused or failed; carries the plugin's `HookRefusal` when it refused on purpose. */
export class LifecycleError extends Error {
  /** The program's plugin. */
  readonly pluginId: string
  /** The callback that failed. */
  readonly event: LifecycleEvent
  /** The plugin's refusal (a message for people), or null when it failed by a bug. */
  readonly refusal: HookRefusal | null

  constructor(pluginId: string, event: LifecycleEvent, cause: Error) {
    super(`plugin "${pluginId}" failed ${event}: ${cause.message}`, { cause })
    this.name = 'LifecycleError'
    this.pluginId = pluginId
    this.event = event
    this.refusal = cause instanceof HookRefusal ? cause : null
  }
}

/** What a lifecycle callback is called for. */
export interface LifecycleTarget {
  pluginId: string
  tenantId: string
  programId: string
  /** The program's stored settings for the plugin (loaded through its schema here). */
  settings: unknown
}

/**
 * Calls the plugin's callback for `event` when it declares one; resolves to whether it was
 * called. Rejects with `LifecycleError` when the settings do not load or the callback throws.
 */
export async function runLifecycle(
  registry: PluginRegistry,
  event: LifecycleEvent,
  target: LifecycleTarget
): Promise<boolean> {
  const manifest = registry.get(target.pluginId)
  const callback = manifest.lifecycle?.[event]
  if (!callback) return false
  try {
    const settings = await manifest.settings.load(target.settings ?? {})
    await callback({ tenantId: target.tenantId, programId: target.programId, settings })
  } catch (thrown) {
    const error = thrown instanceof Error ? thrown : new Error(String(thrown))
    throw new LifecycleError(target.pluginId, event, error)
  }
  return true
}
