import { BasePolicy } from '@adonisjs/bouncer'
import type User from '#models/user'
import type { Workspace } from '#tenancy/workspace'

function tenantRoles(workspace: Workspace | null) {
  return workspace?.kind === 'tenant' ? workspace.roles : []
}

/**
 * The tenant part of the admin: city, district and NGO staff.
 */
export default class AdminPolicy extends BasePolicy {
  /** Any staff member (tenant or provider) may open the admin dashboard. */
  viewDashboard(_user: User, workspace: Workspace | null) {
    return !!workspace
  }

  /** Staff may switch only to a workspace they belong to (checked by the caller's lookup). */
  switchWorkspace(_user: User, target: Workspace | undefined) {
    return !!target
  }

  /** Only tenant admins manage the tenant's staff. */
  manageStaff(_user: User, workspace: Workspace | null) {
    return tenantRoles(workspace).includes('tenant_admin')
  }

  /** Only tenant admins change the tenant's settings and branding. */
  manageSettings(_user: User, workspace: Workspace | null) {
    return tenantRoles(workspace).includes('tenant_admin')
  }

  /** Every tenant role may read the tenant's audit log. */
  viewAudit(_user: User, workspace: Workspace | null) {
    return tenantRoles(workspace).length > 0
  }
}
