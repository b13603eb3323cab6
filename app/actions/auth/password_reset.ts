import User from '#models/user'
import IssueUserToken, { consumeUserToken } from '#actions/auth/issue_user_token'
import { sendTemplatedMail } from '#services/mailer'

/**
 * Sends a password reset link when the address belongs to an account. Says nothing about
 * whether it does (the caller answers the same either way).
 */
export class RequestPasswordReset {
  async handle(input: { email: string }) {
    const user = await User.findBy('emailNormalized', User.normalizeEmail(input.email))
    if (!user) return
    const token = await new IssueUserToken().handle({
      user,
      purpose: 'reset_password',
      validFor: { hours: 2 },
    })
    sendTemplatedMail({
      to: user.email,
      template: 'reset_password',
      locale: user.locale,
      data: { fullName: user.fullName, path: `/reset-password/${token}` },
    })
  }
}

/**
 * Sets a new password from a reset token (one use, two hours). Returns the person, or null
 * when the token is unknown, used or expired.
 */
export class ResetPassword {
  async handle(input: { token: string; password: string }) {
    const userId = await consumeUserToken(input.token, 'reset_password')
    if (!userId) return null
    const user = await User.findOrFail(userId)
    user.password = input.password
    await user.save()
    return user
  }
}
