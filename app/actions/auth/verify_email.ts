import { DateTime } from 'luxon'
import User from '#models/user'
import { consumeUserToken } from '#actions/auth/issue_user_token'

/**
 * Marks a person's e-mail address verified from the link's token. Returns null for an
 * unknown, used or expired token.
 */
export default class VerifyEmail {
  async handle(input: { token: string }) {
    const userId = await consumeUserToken(input.token, 'verify_email')
    if (!userId) return null
    const user = await User.findOrFail(userId)
    if (!user.emailVerifiedAt) {
      user.emailVerifiedAt = DateTime.now()
      await user.save()
    }
    return user
  }
}
