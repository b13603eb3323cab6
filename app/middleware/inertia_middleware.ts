import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import BaseInertiaMiddleware from '@adonisjs/inertia/inertia_middleware'
import { navigationFor } from '#services/navigation'
import { uiMessages } from '#services/ui_messages'
import { currentUser, tenantSummary, workspaceSummary } from '#transformers/shared_props'

export const LOCALES = ['cs', 'en', 'uk', 'pl'] as const

/**
 * Props every page receives: the person, language and messages, menu, workspace, branding.
 */
export default class InertiaMiddleware extends BaseInertiaMiddleware {
  share(ctx: HttpContext) {
    const { session, i18n } = ctx as Partial<HttpContext>
    const locale = i18n?.locale ?? 'cs'
    const workspaces = ctx.workspaces ?? []
    return {
      errors: ctx.inertia.always(this.getValidationErrors(ctx)),
      flash: ctx.inertia.always({
        success: session?.flashMessages.get('success') as string | undefined,
        error: session?.flashMessages.get('error') as string | undefined,
        // What a bulk approval could not approve, and why (admin/applications/index).
        bulkFailures: session?.flashMessages.get('bulkFailures') as
          | { id: string; reference: string | null; approved: boolean; error: string | null }[]
          | undefined,
      }),
      user: ctx.inertia.always(currentUser(ctx)),
      locale: ctx.inertia.always(locale),
      locales: LOCALES as unknown as string[],
      messages: ctx.inertia.always(uiMessages(locale)),
      nav: ctx.inertia.always(
        navigationFor(ctx.auth?.user ?? null, ctx.workspace ?? null, workspaces.length > 0)
      ),
      tenant: ctx.inertia.always(tenantSummary(ctx.tenant ?? null)),
      workspace: ctx.inertia.always(ctx.workspace ? workspaceSummary(ctx.workspace) : null),
      workspaces: ctx.inertia.always(workspaces.map(workspaceSummary)),
      csrfToken: ctx.request?.csrfToken ?? '',
    }
  }

  async handle(ctx: HttpContext, next: NextFn) {
    await this.init(ctx)
    const output = await next()
    this.dispose(ctx)
    return output
  }
}

declare module '@adonisjs/inertia/types' {
  type MiddlewareSharedProps = InferSharedProps<InertiaMiddleware>
  export interface SharedProps extends MiddlewareSharedProps {}
}
