import { BasePolicy } from '@adonisjs/bouncer'
import type User from '#models/user'
import type Child from '#models/child'

/**
 * A citizen's household: only citizens (people with a home tenant, as PortalPolicy.access)
 * keep one, and a parent reads and changes only their own children. Row-level security
 * enforces the same in the database.
 */
export default class ChildPolicy extends BasePolicy {
  /** List and add children: citizens. */
  manage(user: User) {
    return !!user.homeTenantId
  }

  /** Read, change or remove one child: its own parent only. */
  own(user: User, child: Child) {
    return !!user.homeTenantId && child.parentUserId === user.id
  }
}
