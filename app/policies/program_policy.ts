import { BasePolicy, allowGuest } from '@adonisjs/bouncer'
import type User from '#models/user'
import type Program from '#models/program'
import type { Workspace } from '#tenancy/workspace'

function rolesIn(workspace: Workspace | null) {
  return workspace?.kind === 'tenant' ? workspace.roles : []
}

/**
 * Programs: every tenant role reads them; program managers and tenant admins shape them.
 */
export default class ProgramPolicy extends BasePolicy {
  /** Any staff role of the tenant may list and read its programs. */
  view(_user: User, workspace: Workspace | null) {
    return rolesIn(workspace).length > 0
  }

  /** Program managers and tenant admins create, edit, publish and close programs. */
  manage(_user: User, workspace: Workspace | null) {
    const roles = rolesIn(workspace)
    return roles.includes('program_manager') || roles.includes('tenant_admin')
  }

  /** Anyone may run the eligibility pre-check of a published program. */
  @allowGuest()
  precheck(_user: User | null, program: Program | null) {
    return !!program && program.status === 'published'
  }
}
