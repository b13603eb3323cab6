import { randomUUID } from 'node:crypto'
import { DateTime } from 'luxon'
import drive from '@adonisjs/drive/services/main'
import type User from '#models/user'
import type Tenant from '#models/tenant'
import Verification, { VERIFICATION_VALIDITY } from '#models/verification'
import VerificationDocument from '#models/verification_document'
import DomainError from '#exceptions/domain_error'
import NotFoundException from '#exceptions/not_found_exception'
import { recordAudit } from '#actions/audit'
import { notifyVerificationResult } from '#actions/verification/notify_verification_result'
import { currentTransaction } from '#tenancy/tenant_context'
import { checkIdentityDocument, DOCUMENT_MAX_BYTES } from '#verification/identity_document'

/** Longest reason a reviewer may write (refusal, revocation). */
export const REASON_MAX_LENGTH = 2000

/** The drive key of a verification document: always under the tenant's own folder. */
export function documentKey(
  tenantId: string,
  verificationId: string,
  documentId: string,
  ext: string
) {
  return `${tenantId}/verifications/${verificationId}/${documentId}.${ext}`
}

/** A reason typed by staff: required, trimmed, bounded. */
export function staffReason(value: string | null | undefined) {
  const reason = (value ?? '').trim()
  if (!reason) throw new DomainError('verification.reason_required', 'reason')
  if (reason.length > REASON_MAX_LENGTH)
    throw new DomainError('verification.reason_too_long', 'reason', { max: REASON_MAX_LENGTH })
  return reason
}

/**
 * A citizen asks to be verified by documents: the file is checked by its content, stored on the
 * private disk under `<tenant_id>/…`, and a `pending` verification waits for a reviewer. At most
 * one pending request per person. If the transaction rolls back, the stored file is deleted.
 */
export class SubmitDocuments {
  async handle(input: { user: User; tenant: Tenant; bytes: Uint8Array | null }) {
    if (!input.bytes) throw new DomainError('verification.document_missing', 'document')
    const check = await checkIdentityDocument(input.bytes)
    if (!check.ok) {
      throw new DomainError(`verification.document_${check.problem}`, 'document', {
        max: Math.round(DOCUMENT_MAX_BYTES / (1024 * 1024)),
      })
    }
    const pending = await Verification.query()
      .where('tenantId', input.tenant.id)
      .where('userId', input.user.id)
      .where('status', 'pending')
      .first()
    if (pending) throw new DomainError('verification.documents_pending', 'document')

    const verification = await Verification.create({
      tenantId: input.tenant.id,
      userId: input.user.id,
      method: 'documents',
      status: 'pending',
      reasons: [],
      residentOf: null,
      verifiedAt: null,
      expiresAt: null,
    })
    const documentId = randomUUID()
    const key = documentKey(input.tenant.id, verification.id, documentId, check.extension)
    const document = await VerificationDocument.create({
      tenantId: input.tenant.id,
      id: documentId,
      verificationId: verification.id,
      userId: input.user.id,
      storageKey: key,
      contentType: check.contentType,
      sizeBytes: input.bytes.byteLength,
      sha256: check.sha256,
    })
    const disk = drive.use()
    currentTransaction()?.after('rollback', () => {
      disk.delete(key).catch(() => {})
    })
    await disk.put(key, input.bytes, { contentType: check.contentType, visibility: 'private' })
    return { verification, document }
  }
}

/** Loads a verification of the tenant, locked for a decision; 404 when it is not the tenant's. */
async function lockedVerification(tenant: Tenant, id: string) {
  const verification = await Verification.query()
    .where('tenantId', tenant.id)
    .where('id', id)
    .forUpdate()
    .first()
  if (!verification) throw new NotFoundException()
  return verification
}

/**
 * A reviewer decides on a pending verification by documents: verified (valid for
 * VERIFICATION_VALIDITY) or refused with a reason the citizen will read. Audited and e-mailed.
 */
export class DecideDocuments {
  async handle(input: {
    tenant: Tenant
    actor: User
    verificationId: string
    decision: 'verify' | 'refuse'
    reason?: string | null
  }) {
    const reason = input.decision === 'refuse' ? staffReason(input.reason) : null
    const verification = await lockedVerification(input.tenant, input.verificationId)
    if (verification.userId === input.actor.id) throw new DomainError('verification.own_decision')
    if (verification.status !== 'pending') throw new DomainError('verification.not_pending')

    const now = DateTime.now()
    verification.decidedBy = input.actor.id
    verification.decidedAt = now
    if (input.decision === 'verify') {
      verification.status = 'verified'
      verification.verifiedAt = now
      verification.expiresAt = now.plus(VERIFICATION_VALIDITY)
      verification.residentOf = input.tenant.slug
    } else {
      verification.status = 'refused'
      verification.decisionReason = reason
    }
    await verification.save()
    await recordAudit({
      tenantId: input.tenant.id,
      actorUserId: input.actor.id,
      action: input.decision === 'verify' ? 'verification.verified' : 'verification.refused',
      subjectType: 'verification',
      subjectId: verification.id,
      data: { userId: verification.userId, method: verification.method },
    })
    await notifyVerificationResult(verification, { tenant: input.tenant })
    return verification
  }
}

/**
 * Staff withdraw a verification (any method): it stops counting at once, the citizen reads the
 * reason and what to do next, by e-mail and on their page. Only a verified one can be revoked.
 */
export class RevokeVerification {
  async handle(input: {
    tenant: Tenant
    actor: User
    verificationId: string
    reason?: string | null
  }) {
    const reason = staffReason(input.reason)
    const verification = await lockedVerification(input.tenant, input.verificationId)
    if (verification.userId === input.actor.id) throw new DomainError('verification.own_decision')
    if (verification.status !== 'verified') throw new DomainError('verification.not_revocable')

    verification.status = 'revoked'
    verification.revokedAt = DateTime.now()
    verification.revokedBy = input.actor.id
    verification.revokeReason = reason
    await verification.save()
    await recordAudit({
      tenantId: input.tenant.id,
      actorUserId: input.actor.id,
      action: 'verification.revoked',
      subjectType: 'verification',
      subjectId: verification.id,
      data: { userId: verification.userId, method: verification.method },
    })
    await notifyVerificationResult(verification, { tenant: input.tenant })
    return verification
  }
}
