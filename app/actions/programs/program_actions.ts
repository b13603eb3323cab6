import { DateTime } from 'luxon'
import app from '@adonisjs/core/services/app'
import i18nManager from '@adonisjs/i18n/services/main'
import logger from '@adonisjs/core/services/logger'
import Program, { type ProgramStatus } from '#models/program'
import ProgramVersion from '#models/program_version'
import type Tenant from '#models/tenant'
import type User from '#models/user'
import {
  checkProgramConfig,
  programConfigValidator,
  type ProgramConfig,
} from '#programs/program_config'
import { checkPluginSettings, programPluginFacts } from '#programs/plugin_bridge'
import { recordAudit } from '#actions/audit'
import ConfigInvalid from '#exceptions/config_invalid'
import DomainError from '#exceptions/domain_error'
import { scopedClient } from '#tenancy/tenant_context'
import { ReleaseWaitlist } from '#actions/applications/application_actions'
import { canonicalJson } from '#services/canonical_json'
import { HookDispatcher } from '#plugin_engine/dispatcher'
import { PluginRegistry } from '#plugin_engine/registry'
import { lifecycleEventFor, LifecycleError, runLifecycle } from '#plugin_engine/lifecycle'

/**
 * Tells the program's plugin its settings were saved (`program.settings_saved`, non-blocking:
 * a failing receiver is logged and the save stands).
 */
async function settingsSaved(
  program: Program,
  previous: Record<string, unknown> | null,
  current: Record<string, unknown>
) {
  if (previous !== null && canonicalJson(previous) === canonicalJson(current)) return
  const dispatcher = await app.container.make(HookDispatcher)
  await dispatcher.dispatch('program.settings_saved', {
    pluginIds: [program.pluginId],
    settings: { [program.pluginId]: current },
    payload: { tenantId: program.tenantId, programId: program.id, previous, current },
  })
}

function columns(config: ProgramConfig) {
  return {
    name: config.name,
    description: config.description,
    applicationOpensAt: config.applicationOpensAt
      ? DateTime.fromISO(config.applicationOpensAt)
      : null,
    applicationClosesAt: config.applicationClosesAt
      ? DateTime.fromISO(config.applicationClosesAt)
      : null,
    periods: config.periods,
    audience: config.audience,
    currency: config.currency,
    budgetMinor: config.budgetMinor,
    whenBudgetExhausted: config.whenBudgetExhausted ?? 'refuse',
    limits: config.limits,
    coPaymentBp: config.coPaymentBp,
    documents: config.documents,
    eligibilityRule: config.eligibilityRule,
    params: config.params,
    categories: config.categories,
    requiresActivityApproval: config.requiresActivityApproval,
    pluginSettings: config.pluginSettings,
  }
}

/**
 * Validates a configuration completely (schema, rules, plugin settings); throws with every
 * problem at once, changing nothing. Returns the normalised configuration.
 */
export async function validateProgramConfig(
  pluginId: string,
  input: unknown
): Promise<ProgramConfig> {
  const config = await programConfigValidator.validate(input)
  const problems = [
    ...checkProgramConfig(config, await programPluginFacts(pluginId)),
    ...(await checkPluginSettings(pluginId, config)),
  ]
  if (problems.length > 0) throw new ConfigInvalid(problems)
  config.whenBudgetExhausted = config.whenBudgetExhausted ?? 'refuse'
  return config
}

/**
 * Creates a draft program of a plugin with its first version.
 */
export class CreateProgram {
  async handle(input: {
    tenant: Tenant
    actor: User | null
    slug: string
    pluginId: string
    config: unknown
  }) {
    const config = await validateProgramConfig(input.pluginId, input.config)
    const taken = await Program.query()
      .where('tenantId', input.tenant.id)
      .where('slug', input.slug)
      .first()
    if (taken) throw new DomainError('programs.slug_taken', 'slug')
    const program = await Program.create({
      tenantId: input.tenant.id,
      slug: input.slug,
      pluginId: input.pluginId,
      status: 'draft',
      nationwide: config.audience.scope === 'nationwide',
      currentVersion: 1,
    })
    await ProgramVersion.create({
      tenantId: input.tenant.id,
      programId: program.id,
      version: 1,
      createdBy: input.actor?.id ?? null,
      ...columns(config),
    })
    await settingsSaved(program, null, config.pluginSettings)
    await recordAudit({
      tenantId: input.tenant.id,
      actorUserId: input.actor?.id ?? null,
      action: 'program.created',
      subjectType: 'program',
      subjectId: program.id,
      data: { slug: input.slug, plugin: input.pluginId },
    })
    return program
  }
}

/**
 * Saves a program's configuration. A draft's version is edited in place; a published (or
 * closed) program gets a new version, so decisions already made keep the version they used.
 * The program row is locked for the duration, so two editors cannot both write version N+1.
 */
export class SaveProgramConfig {
  async handle(input: { program: Program; actor: User | null; config: unknown }) {
    const config = await validateProgramConfig(input.program.pluginId, input.config)
    const locked = await Program.query({ client: scopedClient() })
      .where('tenantId', input.program.tenantId)
      .where('id', input.program.id)
      .forUpdate()
      .firstOrFail()
    if (locked.status === 'archived')
      throw new DomainError('programs.bad_transition', 'form', { from: 'archived', to: 'edit' })
    const current = await ProgramVersion.query()
      .where('tenantId', locked.tenantId)
      .where('programId', locked.id)
      .where('version', locked.currentVersion)
      .firstOrFail()
    const previousSettings = (current.pluginSettings ?? {}) as Record<string, unknown>
    let version = current
    if (locked.status === 'draft') {
      current.merge({ ...columns(config), createdBy: input.actor?.id ?? current.createdBy })
      await current.save()
    } else {
      version = await ProgramVersion.create({
        tenantId: locked.tenantId,
        programId: locked.id,
        version: locked.currentVersion + 1,
        createdBy: input.actor?.id ?? null,
        ...columns(config),
      })
      locked.currentVersion = version.version
    }
    locked.nationwide = config.audience.scope === 'nationwide'
    await locked.save()
    await settingsSaved(locked, previousSettings, config.pluginSettings)
    await recordAudit({
      tenantId: locked.tenantId,
      actorUserId: input.actor?.id ?? null,
      action: 'program.saved',
      subjectType: 'program',
      subjectId: locked.id,
      data: { version: version.version },
    })
    // A budget that grew may now cover applications on the waiting list: grant them, in order.
    const released = await new ReleaseWaitlist().handle({
      tenantId: locked.tenantId,
      programId: locked.id,
      actorUserId: input.actor?.id ?? null,
    })
    return { program: locked, version, released }
  }
}

const TRANSITIONS: Record<ProgramStatus, ProgramStatus[]> = {
  draft: ['published', 'archived'],
  published: ['closed'],
  closed: ['published', 'archived'],
  archived: [],
}

/**
 * Moves a program through draft → published → closed → archived (a closed program may be
 * re-opened; an archived one is final). Publishing calls the plugin's `onEnable`, closing its
 * `onDisable` (app/plugin_engine/lifecycle.ts), in this transaction after the status is written;
 * when the callback throws, the change is undone (status, audit, whatever the callback wrote) and
 * refused with a translated error.
 */
export class ChangeProgramStatus {
  async handle(input: {
    program: Program
    actor: User | null
    status: ProgramStatus
    /** The language of the refusal message (default: the app's default locale). */
    locale?: string
  }) {
    const { program } = input
    if (!TRANSITIONS[program.status].includes(input.status)) {
      throw new DomainError('programs.bad_transition', 'status', {
        from: program.status,
        to: input.status,
      })
    }
    const before = program.status
    const publishedBefore = program.publishedAt
    const event = lifecycleEventFor(before, input.status)
    const client = scopedClient()
    if (event) await client.rawQuery('savepoint program_lifecycle')
    program.status = input.status
    if (input.status === 'published' && !program.publishedAt) program.publishedAt = DateTime.now()
    await program.save()
    await recordAudit({
      tenantId: program.tenantId,
      actorUserId: input.actor?.id ?? null,
      action: 'program.status_changed',
      subjectType: 'program',
      subjectId: program.id,
      data: { from: before, to: input.status },
    })
    if (!event) return program
    try {
      const version = await ProgramVersion.query()
        .where('tenantId', program.tenantId)
        .where('programId', program.id)
        .where('version', program.currentVersion)
        .firstOrFail()
      await runLifecycle(await app.container.make(PluginRegistry), event, {
        pluginId: program.pluginId,
        tenantId: program.tenantId,
        programId: program.id,
        settings: version.pluginSettings ?? {},
      })
    } catch (error) {
      await client.rawQuery('rollback to savepoint program_lifecycle')
      program.status = before
      program.publishedAt = publishedBefore
      if (!(error instanceof LifecycleError)) throw error
      throw lifecycleRefusal(error, input.locale)
    }
    await client.rawQuery('release savepoint program_lifecycle')
    return program
  }
}

/** The translated refusal of a status change whose lifecycle callback threw. */
function lifecycleRefusal(error: LifecycleError, locale?: string) {
  const i18n = i18nManager.locale(locale ?? i18nManager.defaultLocale)
  const detail = error.refusal
    ? i18n.t(error.refusal.key, error.refusal.values)
    : i18n.t('errors.programs.plugin_failed', { plugin: error.pluginId })
  if (!error.refusal) logger.error({ err: error }, error.message)
  return new DomainError(
    error.event === 'onEnable' ? 'programs.enable_refused' : 'programs.disable_refused',
    'status',
    { detail }
  )
}
