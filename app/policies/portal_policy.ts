import { BasePolicy } from '@adonisjs/bouncer'
import type User from '#models/user'

/**
 * The citizen portal.
 */
export default class PortalPolicy extends BasePolicy {
  /** Citizens: people with a home tenant. */
  access(user: User) {
    return !!user.homeTenantId
  }
}
