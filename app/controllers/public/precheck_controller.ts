import type { HttpContext } from '@adonisjs/core/http'
import Program from '#models/program'
import ProgramVersion from '#models/program_version'
import ProgramPolicy from '#policies/program_policy'
import { precheckValidator } from '#validators/programs'
import { precheckVersion } from '#programs/precheck'
import NotFoundException from '#exceptions/not_found_exception'
import type { Locale } from '#models/tenant'

/**
 * "Am I eligible?": the verdict of a published program's rule over the facts a person gives,
 * with the reasons in their language. A program is found under its own tenant's site
 * (/t/<tenant>/programs/<program>/precheck, e.g. /t/crdm/... for the nationwide calls), which
 * anyone may call; under another tenant's site it answers 404.
 */
export default class PrecheckController {
  async store(ctx: HttpContext) {
    const program = ctx.tenant
      ? await Program.query()
          .where('tenantId', ctx.tenant.id)
          .where('slug', ctx.params.program)
          .first()
      : null
    // Unknown, unpublished or another tenant's (hidden by row-level security): all 404.
    if (!(await ctx.bouncer.with(ProgramPolicy).allows('precheck', program)) || !program) {
      throw new NotFoundException()
    }
    const { facts } = await ctx.request.validateUsing(precheckValidator)
    const version = await ProgramVersion.query()
      .where('tenantId', program.tenantId)
      .where('programId', program.id)
      .where('version', program.currentVersion)
      .firstOrFail()
    const outcome = precheckVersion(version, facts, ctx.i18n.locale as Locale)
    return ctx.response.send({
      program: program.slug,
      version: version.version,
      eligible: outcome.eligible,
      reasons: outcome.reasons,
      missing: outcome.missing,
    })
  }
}
