import { BasePolicy, allowGuest } from '@adonisjs/bouncer'
import type User from '#models/user'
import type Tenant from '#models/tenant'

/**
 * Pages anyone may see: the platform site, a tenant's public site, sign-in pages.
 */
export default class PublicPolicy extends BasePolicy {
  /** Anyone may view the public site. */
  @allowGuest()
  view(_user: User | null) {
    return true
  }

  /** A tenant's public site is visible while the tenant is active. */
  @allowGuest()
  viewTenant(_user: User | null, tenant: Tenant | null) {
    return !!tenant && tenant.status === 'active'
  }

  /** Sign-in, registration and password pages are for people not signed in. */
  @allowGuest()
  authenticate(user: User | null) {
    return !user
  }

  /** Signed-in people may sign out and manage their own account. */
  ownAccount(_user: User) {
    return true
  }
}
