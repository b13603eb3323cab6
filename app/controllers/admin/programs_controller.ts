import type { HttpContext } from '@adonisjs/core/http'
import Program from '#models/program'
import ProgramVersion from '#models/program_version'
import ProgramPolicy from '#policies/program_policy'
import {
  ChangeProgramStatus,
  CreateProgram,
  SaveProgramConfig,
} from '#actions/programs/program_actions'
import {
  createProgramValidator,
  programStatusValidator,
  ruleTestValidator,
  saveProgramValidator,
} from '#validators/programs'
import { done, render } from '#controllers/respond'
import { programConfig, programSummary } from '#transformers/program_transformer'
import { precheckRule, ruleSentence } from '#programs/precheck'
import { validateRule } from '#eligibility/validate'
import { formatValidationError } from '#eligibility/messages'
import { paramTypesOf } from '#programs/program_config'
import {
  builderPluginFacts,
  pluginChoices,
  pluginSettingsForm,
  programPluginFacts,
} from '#programs/plugin_bridge'
import { installedPluginFacts } from '#plugin_engine/fact_declarations'
import { budgetUse } from '#programs/budget'
import { ReleaseWaitlist } from '#actions/applications/application_actions'
import { programLinks } from '#programs/plugin_nav'
import NotFoundException from '#exceptions/not_found_exception'
import type { Locale } from '#models/tenant'
import Application from '#models/application'
import { evaluate } from '#eligibility/engine'

/** How many applications the impact count reads at most (the newest). */
const IMPACT_LIMIT = 5000

/**
 * The rule being edited over the program's existing applications (their recorded facts): how
 * many are eligible under it, against how many were eligible when they were submitted.
 */
async function ruleImpact(program: Program, rule: unknown, params: any) {
  const applications = await Application.query()
    .where('tenantId', program.tenantId)
    .where('programId', program.id)
    .whereNot('status', 'withdrawn')
    .orderBy('submittedAt', 'desc')
    .limit(IMPACT_LIMIT)
    .select('facts', 'eligible')
  let eligibleNow = 0
  let eligibleBefore = 0
  let changed = 0
  for (const application of applications) {
    const now = evaluate(rule, application.facts, {
      params,
      pluginFacts: installedPluginFacts(),
    }).eligible
    if (now) eligibleNow++
    if (application.eligible) eligibleBefore++
    if (now !== application.eligible) changed++
  }
  return { total: applications.length, eligibleNow, eligibleBefore, changed }
}

/**
 * Programs of the current tenant: list, detail with versions, create, save (new version once
 * published), status changes, and the live test of a rule being edited.
 */
export default class ProgramsController {
  protected tenantId(ctx: HttpContext) {
    return ctx.workspace?.kind === 'tenant' ? ctx.workspace.tenant.id : ''
  }

  protected async find(ctx: HttpContext) {
    const program = await Program.query()
      .where('tenantId', this.tenantId(ctx))
      .where('id', ctx.params.id)
      .first()
    if (!program) throw new NotFoundException()
    return program
  }

  protected async version(program: Program, number = program.currentVersion) {
    return ProgramVersion.query()
      .where('tenantId', program.tenantId)
      .where('programId', program.id)
      .where('version', number)
      .firstOrFail()
  }

  async index(ctx: HttpContext) {
    await ctx.bouncer.with(ProgramPolicy).authorize('view', ctx.workspace)
    const programs = await Program.query()
      .where('tenantId', this.tenantId(ctx))
      .orderBy('createdAt', 'desc')
    // The installed program types (plugins): their names, and the new-program form's choices.
    const plugins = await pluginChoices(ctx.i18n.locale)
    const nameOf = (id: string) => plugins.find((p) => p.id === id)?.name ?? null
    const rows = []
    for (const program of programs) {
      rows.push(programSummary(program, await this.version(program), nameOf(program.pluginId)))
    }
    return render(ctx, 'admin/programs/index', {
      programs: rows,
      canManage: await ctx.bouncer.with(ProgramPolicy).allows('manage', ctx.workspace),
      plugins,
    })
  }

  async show(ctx: HttpContext) {
    await ctx.bouncer.with(ProgramPolicy).authorize('view', ctx.workspace)
    const program = await this.find(ctx)
    const version = await this.version(program)
    const versions = await ProgramVersion.query()
      .where('tenantId', program.tenantId)
      .where('programId', program.id)
      .orderBy('version', 'desc')
      .select('version', 'createdAt', 'createdBy')
    return render(ctx, 'admin/programs/show', {
      program: programSummary(
        program,
        version,
        (await pluginChoices(ctx.i18n.locale)).find((p) => p.id === program.pluginId)?.name ?? null
      ),
      config: programConfig(version),
      ruleSentence: ruleSentence(version, ctx.i18n.locale as Locale),
      versions: versions.map((v) => ({ version: v.version, createdAt: v.createdAt.toISO() })),
      canManage: await ctx.bouncer.with(ProgramPolicy).allows('manage', ctx.workspace),
      // The plugin's settings form, generated from its declaration (no page code per setting).
      settingsForm: await pluginSettingsForm(program.pluginId, ctx.i18n.locale),
      // The facts the program's plugin declares: the rule builder lists them as their own group.
      pluginFacts: await builderPluginFacts(program.pluginId, ctx.i18n.locale),
      budget: await budgetUse(program.tenantId, program.id, version.budgetMinor),
      // The program's menu from its plugin (program.nav_items, area admin).
      pluginLinks:
        (await programLinks([{ program, version }], 'admin', (key) => ctx.i18n.t(key)))[
          program.id
        ] ?? [],
    })
  }

  async store(ctx: HttpContext) {
    await ctx.bouncer.with(ProgramPolicy).authorize('manage', ctx.workspace)
    const payload = await ctx.request.validateUsing(createProgramValidator)
    if (ctx.workspace?.kind !== 'tenant') throw new NotFoundException()
    const program = await new CreateProgram().handle({
      tenant: ctx.workspace.tenant,
      actor: ctx.auth.getUserOrFail(),
      slug: payload.slug,
      pluginId: payload.pluginId,
      config: payload.config,
    })
    return done(ctx, `/admin/programs/${program.id}`, 'programs.created', { id: program.id })
  }

  async update(ctx: HttpContext) {
    await ctx.bouncer.with(ProgramPolicy).authorize('manage', ctx.workspace)
    const program = await this.find(ctx)
    const payload = await ctx.request.validateUsing(saveProgramValidator)
    const { version, released } = await new SaveProgramConfig().handle({
      program,
      actor: ctx.auth.getUserOrFail(),
      config: payload.config,
    })
    return done(ctx, `/admin/programs/${program.id}`, 'programs.saved', {
      version: version.version,
      released,
    })
  }

  async status(ctx: HttpContext) {
    await ctx.bouncer.with(ProgramPolicy).authorize('manage', ctx.workspace)
    const program = await this.find(ctx)
    const { status } = await ctx.request.validateUsing(programStatusValidator)
    await new ChangeProgramStatus().handle({
      program,
      actor: ctx.auth.getUserOrFail(),
      status,
      locale: ctx.i18n.locale,
    })
    return done(ctx, `/admin/programs/${program.id}`, 'programs.status_changed', { status })
  }

  /**
   * Grants the program's waiting applications, in submission order, as far as the budget now
   * covers them (e.g. after a benefit was reversed); the budget's growth does this by itself.
   */
  async releaseWaitlist(ctx: HttpContext) {
    await ctx.bouncer.with(ProgramPolicy).authorize('manage', ctx.workspace)
    const program = await this.find(ctx)
    const outcome = await new ReleaseWaitlist().handle({
      tenantId: program.tenantId,
      programId: program.id,
      actorUserId: ctx.auth.getUserOrFail().id,
    })
    return done(ctx, `/admin/programs/${program.id}`, 'programs.waitlist_released', { ...outcome })
  }

  /** Evaluates a rule being edited against sample applicants (nothing is saved). */
  async testRule(ctx: HttpContext) {
    await ctx.bouncer.with(ProgramPolicy).authorize('view', ctx.workspace)
    const program = await this.find(ctx)
    const version = await this.version(program)
    const payload = await ctx.request.validateUsing(ruleTestValidator)
    const params = (payload.ruleParams ?? version.params) as any
    const locale = ctx.i18n.locale as Locale
    const check = validateRule(payload.rule, {
      params: paramTypesOf(params),
      pluginFacts: await programPluginFacts(program.pluginId),
    })
    if (!check.valid) {
      return ctx.response.status(422).send({
        errors: check.errors
          .slice(0, 10)
          .map((e) => ({ field: 'rule', path: e.path, message: formatValidationError(e, locale) })),
      })
    }
    const results = payload.samples.map((sample) => {
      const outcome = precheckRule(payload.rule, params, version.currency, sample.facts, locale)
      return {
        name: sample.name,
        expected: sample.expected ?? null,
        eligible: outcome.eligible,
        matches: sample.expected === undefined ? null : sample.expected === outcome.eligible,
        reasons: outcome.reasons,
        trace: outcome.trace,
      }
    })
    return ctx.response.send({
      sentence: ruleSentence(
        { eligibilityRule: payload.rule, params, currency: version.currency },
        locale
      ),
      results,
      impact: await ruleImpact(program, payload.rule, params),
    })
  }
}
