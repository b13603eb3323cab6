/*
 * A verification as pages (and JSON clients) see it: outcome, reason codes, dates and, for
 * staff, who decided. Never the census hashes, the storage key, nor the register's data.
 */
import { DateTime } from 'luxon'
import Tenant from '#models/tenant'
import type Verification from '#models/verification'
import type VerificationDocument from '#models/verification_document'

export function presentDocument(document: VerificationDocument) {
  return {
    id: document.id,
    contentType: document.contentType,
    sizeBytes: document.sizeBytes,
    createdAt: document.createdAt.toISO(),
  }
}

export async function presentVerification(
  verification: Verification | null,
  now: DateTime = DateTime.now()
) {
  if (!verification) return null
  const residentOf = verification.residentOf
    ? await Tenant.findBy('slug', verification.residentOf)
    : null
  const documents = (verification.$preloaded.documents ?? []) as VerificationDocument[]
  return {
    id: verification.id,
    method: verification.method,
    status: verification.status,
    reasons: verification.reasons,
    residentOf: verification.residentOf,
    residentOfName: residentOf?.name ?? null,
    verifiedAt: verification.verifiedAt?.toISO() ?? null,
    expiresAt: verification.expiresAt?.toISO() ?? null,
    createdAt: verification.createdAt.toISO(),
    decidedAt: verification.decidedAt?.toISO() ?? null,
    decisionReason: verification.decisionReason,
    revokedAt: verification.revokedAt?.toISO() ?? null,
    revokeReason: verification.revokeReason,
    valid: verification.isValidAt(now),
    expired: verification.isExpiredAt(now),
    documents: documents.map(presentDocument),
  }
}
