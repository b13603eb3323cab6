import type { HttpContext } from '@adonisjs/core/http'
import { readFile } from 'node:fs/promises'
import User from '#models/user'
import VerificationPolicy from '#policies/verification_policy'
import { UploadCensus, currentCensus } from '#actions/verification/census_actions'
import { done, render } from '#controllers/respond'
import NotFoundException from '#exceptions/not_found_exception'
import CensusFileInvalid from '#exceptions/census_file_invalid'
import { VerifyByRegister } from '#actions/verification/verify_by_register'
import { CENSUS_MAX_BYTES, CENSUS_MAX_ROWS } from '#verification/census_file'

/**
 * The tenant's census file (tenant admins): what is loaded now, and uploading a new one, which
 * replaces it (docs/decisions/0014-identity-verification.md). Only hashes are stored.
 */
export default class CensusController {
  protected tenant(ctx: HttpContext) {
    if (ctx.workspace?.kind !== 'tenant') throw new NotFoundException()
    return ctx.workspace.tenant
  }

  async show(ctx: HttpContext) {
    await ctx.bouncer.with(VerificationPolicy).authorize('manageCensus', ctx.workspace)
    const tenant = this.tenant(ctx)
    const census = await currentCensus(tenant.id)
    const uploader = census?.uploadedBy ? await User.find(census.uploadedBy) : null
    return render(ctx, 'admin/census/show', {
      census: census
        ? {
            rowCount: census.rowCount,
            uploadedAt: census.uploadedAt.toISO(),
            uploadedBy: uploader?.fullName ?? null,
          }
        : null,
      registerAvailable: new VerifyByRegister().available(tenant),
      limits: {
        maxMegabytes: Math.round(CENSUS_MAX_BYTES / (1024 * 1024)),
        maxRows: CENSUS_MAX_ROWS,
      },
    })
  }

  async store(ctx: HttpContext) {
    await ctx.bouncer.with(VerificationPolicy).authorize('manageCensus', ctx.workspace)
    const tenant = this.tenant(ctx)
    const file = ctx.request.file('file')
    if (!file?.tmpPath) throw new CensusFileInvalid({ code: 'empty' })
    const bytes = new Uint8Array(await readFile(file.tmpPath))
    const upload = await new UploadCensus().handle({
      tenant,
      actor: ctx.auth.getUserOrFail(),
      bytes,
    })
    return done(ctx, '/admin/census', 'census.uploaded', {
      census: { rowCount: upload.rowCount, uploadedAt: upload.uploadedAt.toISO() },
    })
  }
}
