import { BasePolicy } from '@adonisjs/bouncer'
import type User from '#models/user'

/**
 * The platform operator's area.
 */
export default class PlatformPolicy extends BasePolicy {
  /** Only platform admins. */
  access(user: User) {
    return user.isPlatformAdmin
  }
}
