import User from '#models/user'
import Tenant from '#models/tenant'
import IssueUserToken from '#actions/auth/issue_user_token'
import { sendTemplatedMail } from '#services/mailer'
import type { Locale } from '#models/tenant'

export interface RegisterCitizenInput {
  fullName: string
  email: string
  password: string
  citizenship: string
  homeTenantSlug: string
  locale: Locale
}

/**
 * Registers a citizen with a home tenant and sends the address verification e-mail.
 * The e-mail's uniqueness is enforced by the database (users.email_normalized).
 */
export default class RegisterCitizen {
  async handle(input: RegisterCitizenInput) {
    const tenant = await Tenant.query()
      .where('slug', input.homeTenantSlug)
      .where('status', 'active')
      .firstOrFail()
    const user = await User.create({
      fullName: input.fullName,
      email: input.email.trim(),
      password: input.password,
      citizenship: input.citizenship,
      homeTenantId: tenant.id,
      locale: input.locale,
      isPlatformAdmin: false,
    })
    await new SendVerificationEmail().handle({ user, tenant })
    return user
  }
}

/**
 * Sends (again) the e-mail with the link that verifies a person's address.
 */
export class SendVerificationEmail {
  async handle(input: { user: User; tenant?: Tenant | null }) {
    const token = await new IssueUserToken().handle({
      user: input.user,
      purpose: 'verify_email',
      validFor: { hours: 48 },
    })
    sendTemplatedMail({
      to: input.user.email,
      template: 'verify_email',
      locale: input.user.locale,
      tenant: input.tenant ?? null,
      data: { fullName: input.user.fullName, path: `/verify-email/${token}` },
    })
  }
}
