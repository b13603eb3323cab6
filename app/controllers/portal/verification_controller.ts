import type { HttpContext } from '@adonisjs/core/http'
import { readFile } from 'node:fs/promises'
import { DateTime } from 'luxon'
import VerificationDocument from '#models/verification_document'
import PortalPolicy from '#policies/portal_policy'
import VerificationPolicy from '#policies/verification_policy'
import { VerifyByRegister, verificationStateOf } from '#actions/verification/verify_by_register'
import { VerifyByCensus, currentCensus } from '#actions/verification/census_actions'
import { SubmitDocuments } from '#actions/verification/document_actions'
import { verifyOnlineValidator } from '#validators/verification'
import { render, wantsJson } from '#controllers/respond'
import NotFoundException from '#exceptions/not_found_exception'
import DomainError from '#exceptions/domain_error'
import { presentVerification } from '#verification/present'
import { DOCUMENT_MAX_BYTES } from '#verification/identity_document'
import { streamDocument } from '#verification/document_response'

/**
 * The citizen's identity verification (docs/decisions/0014-identity-verification.md): the
 * current state, verification online against the home tenant's population register or census,
 * and the fallback by documents reviewed by staff.
 */
export default class VerificationController {
  protected homeTenant(ctx: HttpContext) {
    if (!ctx.tenant) throw new NotFoundException()
    return ctx.tenant
  }

  protected async authorize(ctx: HttpContext) {
    await ctx.bouncer.with(PortalPolicy).authorize('access')
    await ctx.bouncer.with(VerificationPolicy).authorize('verify')
    return { user: ctx.auth.getUserOrFail(), tenant: this.homeTenant(ctx) }
  }

  async show(ctx: HttpContext) {
    const { user, tenant } = await this.authorize(ctx)
    const now = DateTime.now()
    const { latest, current, pending } = await verificationStateOf(user, now)
    for (const row of [latest, pending]) {
      if (row?.method === 'documents') await row.load('documents')
    }
    const census = await currentCensus(tenant.id)
    const registerAvailable = new VerifyByRegister().available(tenant)
    return render(ctx, 'portal/verification/show', {
      tenant: { slug: tenant.slug, name: tenant.name },
      fullName: user.fullName,
      registerAvailable,
      censusAvailable: !!census,
      onlineMethod: registerAvailable ? 'register' : census ? 'census' : null,
      current: await presentVerification(current, now),
      latest: await presentVerification(latest, now),
      pending: await presentVerification(pending, now),
      documentLimits: { maxMegabytes: Math.round(DOCUMENT_MAX_BYTES / (1024 * 1024)) },
      today: now.toISODate(),
    })
  }

  /** Verifies online: the register when the tenant has one (or `method: register`), else the census. */
  async store(ctx: HttpContext) {
    const { user, tenant } = await this.authorize(ctx)
    const payload = await ctx.request.validateUsing(verifyOnlineValidator, {
      meta: { today: DateTime.now().toISODate()!, t: (key, values) => ctx.i18n.t(key, values) },
    })
    const register = new VerifyByRegister()
    const method =
      payload.method ??
      (register.available(tenant)
        ? 'register'
        : (await currentCensus(tenant.id))
          ? 'census'
          : 'register')
    const verification =
      method === 'census'
        ? await new VerifyByCensus().handle({
            user,
            tenant,
            birthDate: payload.birthDate,
            birthNumber: payload.birthNumber,
          })
        : await register.handle({
            user,
            tenant,
            birthDate: payload.birthDate,
            city: payload.city,
            street: payload.street,
          })
    if (wantsJson(ctx)) {
      return ctx.response.send({
        ok: true,
        verification: await presentVerification(verification, DateTime.now()),
      })
    }
    if (verification.status === 'verified') {
      ctx.session.flash('success', ctx.i18n.t('ui.verification.flash_verified'))
    }
    return ctx.response.redirect('/portal/verification')
  }

  /** Asks for verification by documents: one file (PDF, JPEG, PNG) reviewed by staff. */
  async storeDocuments(ctx: HttpContext) {
    const { user, tenant } = await this.authorize(ctx)
    const file = ctx.request.file('document')
    if (file && !file.isValid && file.errors.length > 0) {
      throw new DomainError('verification.document_missing', 'document')
    }
    const bytes = file?.tmpPath ? new Uint8Array(await readFile(file.tmpPath)) : null
    const { verification } = await new SubmitDocuments().handle({ user, tenant, bytes })
    if (wantsJson(ctx)) {
      await verification.load('documents')
      return ctx.response.send({
        ok: true,
        verification: await presentVerification(verification, DateTime.now()),
      })
    }
    ctx.session.flash('success', ctx.i18n.t('ui.verification.flash_documents_sent'))
    return ctx.response.redirect('/portal/verification')
  }

  /** Opens one of the citizen's own documents (inline). Someone else's answers 404. */
  async document(ctx: HttpContext) {
    const { user } = await this.authorize(ctx)
    const document = await VerificationDocument.query()
      .where('userId', user.id)
      .where('id', ctx.params.id)
      .first()
    if (!document) throw new NotFoundException()
    await ctx.bouncer.with(VerificationPolicy).authorize('ownDocument', document)
    return streamDocument(ctx, document)
  }
}
