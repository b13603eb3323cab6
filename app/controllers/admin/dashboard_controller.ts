import type { HttpContext } from '@adonisjs/core/http'
import AdminPolicy from '#policies/admin_policy'
import TenantMembership from '#models/tenant_membership'
import AuditEvent from '#models/audit_event'
import { WORKSPACE_SESSION_KEY } from '#tenancy/workspace'
import { switchWorkspaceValidator } from '#validators/admin'
import { done, render } from '#controllers/respond'

/**
 * The admin home shared by tenant staff and providers, and the workspace switch.
 */
export default class AdminDashboardController {
  async index(ctx: HttpContext) {
    await ctx.bouncer.with(AdminPolicy).authorize('viewDashboard', ctx.workspace)
    const workspace = ctx.workspace!
    if (workspace.kind === 'tenant') {
      const staff = await TenantMembership.query()
        .where('tenantId', workspace.tenant.id)
        .count('* as n')
      const recent = await AuditEvent.query()
        .where('tenantId', workspace.tenant.id)
        .orderBy('createdAt', 'desc')
        .limit(5)
      return render(ctx, 'admin/dashboard', {
        stats: { staff: Number(staff[0].$extras.n) },
        recent: recent.map((e) => ({ id: e.id, action: e.action, createdAt: e.createdAt.toISO() })),
      })
    }
    return render(ctx, 'admin/dashboard', { stats: null, recent: [] })
  }

  async switch(ctx: HttpContext) {
    const { workspace } = await ctx.request.validateUsing(switchWorkspaceValidator)
    const target = ctx.workspaces.find((w) => w.key === workspace)
    await ctx.bouncer.with(AdminPolicy).authorize('switchWorkspace', target)
    ctx.session.put(WORKSPACE_SESSION_KEY, workspace)
    return done(ctx, '/admin', 'admin.workspace_switched')
  }
}
