import env from '#start/env'
import app from '@adonisjs/core/services/app'
import { Secret } from '@adonisjs/core/helpers'
import { defineConfig } from '@adonisjs/core/http'

/**
 * The app key encrypts cookies and signed URLs.
 */
export const appKey = new Secret(env.get('APP_KEY'))

/**
 * HTTP server settings.
 */
export const http = defineConfig({
  generateRequestId: true,
  // Off: a cross-site form could otherwise turn a POST into a PUT/DELETE (see config/shield.ts).
  allowMethodSpoofing: false,
  useAsyncLocalStorage: true,
  trustProxy: () => true,
  cookie: {
    domain: '',
    path: '/',
    maxAge: '2h',
    httpOnly: true,
    secure: app.inProduction,
    sameSite: 'lax',
  },
})
