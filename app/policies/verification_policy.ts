import { BasePolicy } from '@adonisjs/bouncer'
import type User from '#models/user'
import type Verification from '#models/verification'
import type VerificationDocument from '#models/verification_document'
import type { Workspace } from '#tenancy/workspace'

function tenantRoles(workspace: Workspace | null) {
  return workspace?.kind === 'tenant' ? workspace.roles : []
}

/**
 * Identity verification. In the citizen portal, citizens (people with a home tenant) verify
 * themselves and read only their own verifications and documents. In the admin, the tenant's
 * staff who review applications (reviewers, program managers, tenant admins) review documents
 * and revoke verifications; only tenant admins upload the census. Row-level security enforces
 * the same split (docs/decisions/0014-identity-verification.md).
 */
export default class VerificationPolicy extends BasePolicy {
  /** See one's verification state and verify (register, census, documents). */
  verify(user: User) {
    return !!user.homeTenantId
  }

  /** Read one verification: its own person only. */
  own(user: User, verification: Verification) {
    return verification.userId === user.id
  }

  /** Open an uploaded document in the portal: its own person only. */
  ownDocument(user: User, document: VerificationDocument) {
    return document.userId === user.id
  }

  /** List and open the tenant's verifications and documents, decide and revoke. */
  review(_user: User, workspace: Workspace | null) {
    const roles = tenantRoles(workspace)
    return (
      roles.includes('reviewer') ||
      roles.includes('program_manager') ||
      roles.includes('tenant_admin')
    )
  }

  /** Upload (replace) the tenant's census file. */
  manageCensus(_user: User, workspace: Workspace | null) {
    return tenantRoles(workspace).includes('tenant_admin')
  }
}
