import { BasePolicy } from '@adonisjs/bouncer'
import type User from '#models/user'
import type Verification from '#models/verification'

/**
 * Identity verification in the citizen portal: citizens (people with a home tenant) verify
 * themselves and read only their own verifications. Row-level security enforces the same.
 */
export default class VerificationPolicy extends BasePolicy {
  /** See one's verification state and verify against the home tenant's register. */
  verify(user: User) {
    return !!user.homeTenantId
  }

  /** Read one verification: its own person only. */
  own(user: User, verification: Verification) {
    return verification.userId === user.id
  }
}
