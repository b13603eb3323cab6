import { createHash, randomBytes } from 'node:crypto'
import { DateTime } from 'luxon'
import UserToken from '#models/user_token'
import type User from '#models/user'

/** SHA-256 of a token: only hashes are stored. */
export function hashToken(token: string) {
  return createHash('sha256').update(token).digest('hex')
}

/**
 * Issues a one-time token for a person (e-mail verification or password reset), voiding the
 * earlier unused ones of the same purpose. Returns the plain token for the e-mail link.
 */
export default class IssueUserToken {
  async handle(input: {
    user: User
    purpose: 'verify_email' | 'reset_password'
    validFor: { hours: number }
  }) {
    await UserToken.query()
      .where('userId', input.user.id)
      .where('purpose', input.purpose)
      .whereNull('usedAt')
      .update({ used_at: DateTime.now().toSQL() })
    const token = randomBytes(32).toString('base64url')
    await UserToken.create({
      userId: input.user.id,
      purpose: input.purpose,
      tokenHash: hashToken(token),
      expiresAt: DateTime.now().plus(input.validFor),
    })
    return token
  }
}

/**
 * Consumes a token atomically: marks it used only if it is unused and unexpired, in one
 * statement, so a link clicked twice (or raced) works once. Returns the person's id.
 */
export async function consumeUserToken(token: string, purpose: 'verify_email' | 'reset_password') {
  const rows = await UserToken.query()
    .where('tokenHash', hashToken(token))
    .where('purpose', purpose)
    .whereNull('usedAt')
    .where('expiresAt', '>', DateTime.now().toSQL()!)
    .update({ used_at: DateTime.now().toSQL() }, ['user_id'])
  const row = (rows as any[])[0]
  return row ? (row.user_id as string) : null
}
