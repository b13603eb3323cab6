import { BasePolicy } from '@adonisjs/bouncer'
import type User from '#models/user'
import type { Workspace } from '#tenancy/workspace'

/**
 * The provider part of the admin: a provider's people see only their own organisation.
 */
export default class OrganizationPolicy extends BasePolicy {
  /** Provider admin and staff may view their organisation. */
  view(_user: User, workspace: Workspace | null) {
    return workspace?.kind === 'organization'
  }

  /** Only the provider admin edits the organisation and its people. */
  manage(_user: User, workspace: Workspace | null) {
    return workspace?.kind === 'organization' && workspace.role === 'provider_admin'
  }
}
