import { DateTime } from 'luxon'
import User from '#models/user'
import Tenant from '#models/tenant'
import type Verification from '#models/verification'
import { sendTemplatedMail } from '#services/mailer'

/** Outcomes the citizen is told about by e-mail (a register that did not answer is not one). */
const MAILED = new Set([
  'verified',
  'no_match',
  'not_resident',
  'name_mismatch',
  'refused',
  'revoked',
])

/**
 * E-mails the citizen the result of a verification (template `verification_result`), once the
 * transaction that recorded it has committed. Said plainly, in the person's language, with what
 * to do next; the reason a reviewer wrote is quoted as written.
 */
export async function notifyVerificationResult(
  verification: Verification,
  known: { user?: User; tenant?: Tenant } = {}
) {
  if (!MAILED.has(verification.status)) return
  const user = known.user ?? (await User.findOrFail(verification.userId))
  const tenant = known.tenant ?? (await Tenant.findOrFail(verification.tenantId))
  const residentOf =
    verification.status === 'not_resident' && verification.residentOf
      ? await Tenant.findBy('slug', verification.residentOf)
      : null
  const formatDate = (value: DateTime | null) =>
    value ? value.setLocale(user.locale).toLocaleString(DateTime.DATE_FULL) : ''
  sendTemplatedMail({
    to: user.email,
    template: 'verification_result',
    locale: user.locale,
    tenant,
    data: {
      fullName: user.fullName,
      status: verification.status,
      method: verification.method,
      byCensus: verification.method === 'census',
      validUntil: formatDate(verification.expiresAt),
      reason:
        verification.status === 'revoked'
          ? verification.revokeReason
          : verification.status === 'refused'
            ? verification.decisionReason
            : null,
      residentOfName: residentOf?.name ?? null,
      path: '/portal/verification',
    },
  })
}
