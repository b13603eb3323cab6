import type Tenant from '#models/tenant'
import type Organization from '#models/organization'
import type { TenantRole } from '#models/tenant_membership'
import type { OrganizationRole } from '#models/organization_membership'

/**
 * Where a staff member works in the admin right now: a tenant (city, district, NGO) with
 * their roles there, or a provider organisation with their role there.
 */
export type Workspace =
  | { kind: 'tenant'; key: string; tenant: Tenant; roles: TenantRole[] }
  | { kind: 'organization'; key: string; organization: Organization; role: OrganizationRole }

export const WORKSPACE_SESSION_KEY = 'workspace'
