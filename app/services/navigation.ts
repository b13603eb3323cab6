import type User from '#models/user'
import type { Workspace } from '#tenancy/workspace'

export type NavItem = {
  route: string
  href: string
  label: string
}

/**
 * The menu a person sees, by role and current workspace. Labels are keys of the `ui`
 * translation namespace. Built in one place so the menu and the policies stay in step.
 */
export function navigationFor(
  user: User | null,
  workspace: Workspace | null,
  hasWorkspaces: boolean
): NavItem[] {
  if (!user) return []
  const items: NavItem[] = []
  if (user.homeTenantId) {
    items.push({ route: 'portal.dashboard', href: '/portal', label: 'nav.portal' })
    items.push({ route: 'portal.offers', href: '/portal/offers', label: 'nav.offers' })
    items.push({
      route: 'portal.applications.index',
      href: '/portal/applications',
      label: 'nav.applications',
    })
    items.push({ route: 'portal.benefits', href: '/portal/benefits', label: 'nav.benefits' })
    items.push({ route: 'portal.children.index', href: '/portal/children', label: 'nav.children' })
    items.push({
      route: 'portal.verification.show',
      href: '/portal/verification',
      label: 'nav.verification',
    })
  }
  if (hasWorkspaces) items.push({ route: 'admin.dashboard', href: '/admin', label: 'nav.admin' })
  if (workspace?.kind === 'tenant' && workspace.roles.includes('tenant_admin')) {
    items.push({ route: 'admin.staff.index', href: '/admin/staff', label: 'nav.staff' })
    items.push({ route: 'admin.settings.edit', href: '/admin/settings', label: 'nav.settings' })
    items.push({ route: 'admin.census.show', href: '/admin/census', label: 'nav.census' })
  }
  if (
    workspace?.kind === 'tenant' &&
    workspace.roles.some((role) => ['reviewer', 'program_manager', 'tenant_admin'].includes(role))
  ) {
    items.push({
      route: 'admin.applications.index',
      href: '/admin/applications',
      label: 'nav.review',
    })
  }
  if (workspace?.kind === 'tenant') {
    items.push({
      route: 'admin.verifications.index',
      href: '/admin/verifications',
      label: 'nav.verifications',
    })
    items.push({ route: 'admin.programs.index', href: '/admin/programs', label: 'nav.programs' })
    items.push({ route: 'admin.audit.index', href: '/admin/audit', label: 'nav.audit' })
  }
  if (workspace?.kind === 'organization') {
    items.push({
      route: 'admin.organization.show',
      href: '/admin/organization',
      label: 'nav.organization',
    })
  }
  if (user.isPlatformAdmin)
    items.push({ route: 'platform.tenants.index', href: '/platform', label: 'nav.platform' })
  items.push({ route: 'account.edit', href: '/account', label: 'nav.account' })
  return items
}
