import type { HttpContext } from '@adonisjs/core/http'
import { DateTime } from 'luxon'
import User from '#models/user'
import Verification from '#models/verification'
import VerificationDocument from '#models/verification_document'
import VerificationPolicy from '#policies/verification_policy'
import {
  DecideDocuments,
  REASON_MAX_LENGTH,
  RevokeVerification,
} from '#actions/verification/document_actions'
import { staffReasonValidator, verificationListValidator } from '#validators/verification'
import { done, render } from '#controllers/respond'
import NotFoundException from '#exceptions/not_found_exception'
import { presentVerification } from '#verification/present'
import { streamDocument } from '#verification/document_response'

/** How many verifications the list shows. */
const LIST_LIMIT = 200

/**
 * The tenant's verifications for the staff who review applications: the queue of documents
 * waiting for a decision, every verification with its outcome, a detail page with the documents,
 * and the decisions (verify, refuse with a reason, revoke with a reason). Another tenant's
 * verification answers 404 (row-level security and the query both name the tenant).
 */
export default class VerificationsController {
  protected tenant(ctx: HttpContext) {
    if (ctx.workspace?.kind !== 'tenant') throw new NotFoundException()
    return ctx.workspace.tenant
  }

  protected async authorize(ctx: HttpContext) {
    await ctx.bouncer.with(VerificationPolicy).authorize('review', ctx.workspace)
    return { tenant: this.tenant(ctx), actor: ctx.auth.getUserOrFail() }
  }

  protected async find(ctx: HttpContext, tenantId: string) {
    const verification = await Verification.query()
      .where('tenantId', tenantId)
      .where('id', ctx.params.id)
      .preload('user')
      .preload('documents')
      .first()
    if (!verification) throw new NotFoundException()
    return verification
  }

  async index(ctx: HttpContext) {
    const { tenant } = await this.authorize(ctx)
    const { status = 'pending' } = await ctx.request.validateUsing(verificationListValidator, {
      data: ctx.request.qs(),
    })
    const query = Verification.query()
      .where('tenantId', tenant.id)
      .preload('user')
      .limit(LIST_LIMIT)
    if (status !== 'all') query.where('status', status)
    // The queue oldest first (first come, first served); outcomes newest first.
    query.orderBy('createdAt', status === 'pending' ? 'asc' : 'desc')
    const rows = await query
    const [counted] = await Verification.query()
      .where('tenantId', tenant.id)
      .where('status', 'pending')
      .count('* as total')
    const now = DateTime.now()
    return render(ctx, 'admin/verifications/index', {
      status,
      pendingCount: Number(counted?.$extras.total ?? 0),
      verifications: rows.map((row) => ({
        id: row.id,
        fullName: row.user.fullName,
        email: row.user.email,
        method: row.method,
        status: row.status,
        createdAt: row.createdAt.toISO(),
        expiresAt: row.expiresAt?.toISO() ?? null,
        valid: row.isValidAt(now),
        expired: row.isExpiredAt(now),
      })),
    })
  }

  async show(ctx: HttpContext) {
    const { tenant, actor } = await this.authorize(ctx)
    const verification = await this.find(ctx, tenant.id)
    const names = new Map<string, string>()
    for (const id of [verification.decidedBy, verification.revokedBy]) {
      if (id && !names.has(id)) names.set(id, (await User.find(id))?.fullName ?? '')
    }
    const now = DateTime.now()
    return render(ctx, 'admin/verifications/show', {
      verification: {
        ...(await presentVerification(verification, now)),
        decidedBy: verification.decidedBy ? names.get(verification.decidedBy) : null,
        revokedBy: verification.revokedBy ? names.get(verification.revokedBy) : null,
      },
      person: {
        fullName: verification.user.fullName,
        email: verification.user.email,
        citizenship: verification.user.citizenship,
      },
      ownVerification: verification.userId === actor.id,
      canDecide: verification.status === 'pending' && verification.userId !== actor.id,
      canRevoke: verification.status === 'verified' && verification.userId !== actor.id,
      reasonMaxLength: REASON_MAX_LENGTH,
    })
  }

  /** Streams one document of the verification, inline. */
  async document(ctx: HttpContext) {
    const { tenant } = await this.authorize(ctx)
    const document = await VerificationDocument.query()
      .where('tenantId', tenant.id)
      .where('verificationId', ctx.params.id)
      .where('id', ctx.params.documentId)
      .first()
    if (!document) throw new NotFoundException()
    return streamDocument(ctx, document)
  }

  async verify(ctx: HttpContext) {
    const { tenant, actor } = await this.authorize(ctx)
    const verification = await new DecideDocuments().handle({
      tenant,
      actor,
      verificationId: ctx.params.id,
      decision: 'verify',
    })
    return done(
      ctx,
      `/admin/verifications/${verification.id}`,
      'verification.admin.flash_verified',
      {
        verification: await presentVerification(verification),
      }
    )
  }

  async refuse(ctx: HttpContext) {
    const { tenant, actor } = await this.authorize(ctx)
    const { reason } = await ctx.request.validateUsing(staffReasonValidator)
    const verification = await new DecideDocuments().handle({
      tenant,
      actor,
      verificationId: ctx.params.id,
      decision: 'refuse',
      reason,
    })
    return done(
      ctx,
      `/admin/verifications/${verification.id}`,
      'verification.admin.flash_refused',
      {
        verification: await presentVerification(verification),
      }
    )
  }

  async revoke(ctx: HttpContext) {
    const { tenant, actor } = await this.authorize(ctx)
    const { reason } = await ctx.request.validateUsing(staffReasonValidator)
    const verification = await new RevokeVerification().handle({
      tenant,
      actor,
      verificationId: ctx.params.id,
      reason,
    })
    return done(
      ctx,
      `/admin/verifications/${verification.id}`,
      'verification.admin.flash_revoked',
      {
        verification: await presentVerification(verification),
      }
    )
  }
}
