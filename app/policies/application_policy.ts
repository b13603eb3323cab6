import { BasePolicy } from '@adonisjs/bouncer'
import type User from '#models/user'
import type Application from '#models/application'
import type { Workspace } from '#tenancy/workspace'

const REVIEW_ROLES = ['reviewer', 'program_manager', 'tenant_admin']

function tenantRoles(workspace: Workspace | null) {
  return workspace?.kind === 'tenant' ? workspace.roles : []
}

/**
 * Applications. Citizens (people with a home tenant) apply for their own children and act on
 * their own applications; the staff of the program's tenant who review (reviewer, program
 * manager, tenant admin) see the queue and decide. Row-level security enforces the same.
 */
export default class ApplicationPolicy extends BasePolicy {
  /** Browse offers, apply, list one's applications and benefits. */
  apply(user: User) {
    return !!user.homeTenantId
  }

  /** Read, withdraw or answer one application: its applicant only. */
  own(user: User, application: Application) {
    return application.applicantUserId === user.id
  }

  /** The reviewers' queue and an application's page. */
  review(_user: User, workspace: Workspace | null) {
    return tenantRoles(workspace).some((role) => REVIEW_ROLES.includes(role))
  }

  /** Decide on one application: review roles of the application's tenant. */
  decide(_user: User, workspace: Workspace | null, application: Application) {
    return (
      workspace?.kind === 'tenant' &&
      workspace.tenant.id === application.tenantId &&
      tenantRoles(workspace).some((role) => REVIEW_ROLES.includes(role))
    )
  }
}
