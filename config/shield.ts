import { defineConfig } from '@adonisjs/shield'

/**
 * Security headers and CSRF protection.
 *
 * CSRF: forms and Inertia visits carry the token (Inertia reads the XSRF-TOKEN cookie).
 * API requests are exempt when a cross-site page could not have sent them without a CORS
 * preflight, which this app never grants: a JSON body, or a real PUT/PATCH/DELETE (method
 * spoofing is off in config/app.ts). The session cookie is also SameSite=Lax
 * (docs/decisions/0006-csrf-and-json-api.md).
 */
const shieldConfig = defineConfig({
  csp: { enabled: false, directives: {}, reportOnly: false },
  csrf: {
    enabled: true,
    exceptRoutes: (ctx) =>
      !ctx.request.header('x-inertia') &&
      (ctx.request.is(['json']) === 'json' ||
        ['PUT', 'PATCH', 'DELETE'].includes(ctx.request.method())),
    enableXsrfCookie: true,
    methods: ['POST', 'PUT', 'PATCH', 'DELETE'],
  },
  xFrame: { enabled: true, action: 'DENY' },
  hsts: { enabled: true, maxAge: '180 days' },
  contentTypeSniffing: { enabled: true },
})

export default shieldConfig
