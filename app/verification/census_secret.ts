/*
 * The secret salt of a tenant's census hashes (docs/decisions/0014-identity-verification.md):
 * HMAC-SHA-256 of the tenant id keyed with APP_KEY, so it is never stored in the database and
 * differs per tenant. Rotating APP_KEY changes every salt: the census must then be uploaded
 * again (the stored hashes no longer match anyone).
 */
import { createHmac } from 'node:crypto'
import { MIN_SALT_LENGTH } from '#verification/census'

/** The census salt of a tenant, derived from the application key (hex, 64 characters). */
export function censusSalt(tenantId: string, applicationKey: string): string {
  if (typeof applicationKey !== 'string' || applicationKey.length < MIN_SALT_LENGTH) {
    throw new Error('APP_KEY is too short to derive census salts')
  }
  return createHmac('sha256', applicationKey)
    .update(`census-salt|v1|${tenantId}`, 'utf8')
    .digest('hex')
}
