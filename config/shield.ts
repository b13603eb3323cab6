import { defineConfig } from '@adonisjs/shield'

/**
 * Security headers. CSRF is checked by app/middleware/csrf_middleware.ts, with the rules this
 * guard had (docs/decisions/0006-csrf-and-json-api.md): forms and Inertia visits carry the token
 * (Inertia reads the XSRF-TOKEN cookie); API requests are exempt when a cross-site page could not
 * have sent them without a CORS preflight, which this app never grants: a JSON body, or a real
 * PUT/PATCH/DELETE (method spoofing is off in config/app.ts). The session cookie is also
 * SameSite=Lax. It replaces shield's guard to stop encrypting a fresh XSRF-TOKEN into every
 * response (docs/decisions/0019-sessions-and-csrf-cookies.md).
 */
const shieldConfig = defineConfig({
  csp: { enabled: false, directives: {}, reportOnly: false },
  csrf: { enabled: false },
  xFrame: { enabled: true, action: 'DENY' },
  hsts: { enabled: true, maxAge: '180 days' },
  contentTypeSniffing: { enabled: true },
})

export default shieldConfig
