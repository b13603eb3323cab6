import type { HttpContext } from '@adonisjs/core/http'
import AdminPolicy from '#policies/admin_policy'
import { registerSettingsValidator, tenantSettingsValidator } from '#validators/admin'
import {
  CheckRegisterConnection,
  SaveRegisterSettings,
} from '#actions/verification/register_settings'
import registerServiceRegistry from '#verification/register_service_registry'
import { done, render } from '#controllers/respond'
import { recordAudit } from '#actions/audit'
import { contrastRatio } from '#services/contrast'
import DomainError from '#exceptions/domain_error'

/**
 * A tenant's name, contact and branding, and where its residents are verified online (tenant
 * admins only).
 */
export default class SettingsController {
  async edit(ctx: HttpContext) {
    await ctx.bouncer.with(AdminPolicy).authorize('manageSettings', ctx.workspace)
    const tenant = ctx.workspace!.kind === 'tenant' ? ctx.workspace!.tenant : null
    return render(ctx, 'admin/settings', {
      settings: {
        name: tenant?.name,
        contactEmail: tenant?.contactEmail ?? '',
        primaryColor: tenant?.branding.primaryColor ?? '#1d4ed8',
        accentColor: tenant?.branding.accentColor ?? '#f59e0b',
        tagline: { cs: '', en: '', uk: '', pl: '', ...(tenant?.branding.tagline ?? {}) },
      },
      // The key itself is never sent back: only whether one is stored.
      register: {
        mode: tenant?.registerMode ?? 'platform',
        url: tenant?.registerUrl ?? '',
        hasKey: !!tenant?.registerApiKey,
        platformAvailable: registerServiceRegistry.for(tenant?.slug ?? '') !== null,
      },
    })
  }

  /** Where the tenant's residents are verified online: the platform's register, its own, none. */
  async updateRegister(ctx: HttpContext) {
    await ctx.bouncer.with(AdminPolicy).authorize('manageSettings', ctx.workspace)
    const payload = await ctx.request.validateUsing(registerSettingsValidator)
    const workspace = ctx.workspace!
    if (workspace.kind !== 'tenant') return ctx.response.notFound()
    await new SaveRegisterSettings().handle({
      tenant: workspace.tenant,
      actor: ctx.auth.getUserOrFail(),
      ...payload,
    })
    return done(ctx, '/admin/settings', 'settings.register_saved')
  }

  /** Checks the saved register connection (reachable, key accepted). */
  async checkRegister(ctx: HttpContext) {
    await ctx.bouncer.with(AdminPolicy).authorize('manageSettings', ctx.workspace)
    const workspace = ctx.workspace!
    if (workspace.kind !== 'tenant') return ctx.response.notFound()
    await new CheckRegisterConnection().handle({ tenant: workspace.tenant })
    return done(ctx, '/admin/settings', 'settings.register_check_ok')
  }

  async update(ctx: HttpContext) {
    await ctx.bouncer.with(AdminPolicy).authorize('manageSettings', ctx.workspace)
    const payload = await ctx.request.validateUsing(tenantSettingsValidator)
    const workspace = ctx.workspace!
    if (workspace.kind !== 'tenant') return ctx.response.notFound()
    // The header shows white text on the primary colour: keep it readable (WCAG 1.4.3).
    const ratio = contrastRatio(payload.primaryColor, '#ffffff')
    if (ratio < 4.5) {
      throw new DomainError('settings.low_contrast', 'primaryColor', {
        color: payload.primaryColor,
        ratio: ratio.toFixed(1),
      })
    }
    const tenant = workspace.tenant
    const tagline = Object.fromEntries(
      Object.entries(payload.tagline).filter(([, v]) => !!v)
    ) as any
    tenant.merge({
      name: payload.name,
      contactEmail: payload.contactEmail ?? null,
      branding: {
        ...tenant.branding,
        primaryColor: payload.primaryColor,
        accentColor: payload.accentColor,
        tagline,
      },
    })
    await tenant.save()
    await recordAudit({
      tenantId: tenant.id,
      actorUserId: ctx.auth.user!.id,
      action: 'tenant.settings_changed',
    })
    return done(ctx, '/admin/settings', 'settings.saved')
  }
}
