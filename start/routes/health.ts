/*
 * Health check: a plain JSON answer for load balancers and monitors, and the reference route of
 * the surge benchmark (bench/surge). It passes the same middleware as every route (session,
 * shield, auth, the tenant transaction) and, like every route, makes a policy decision.
 * Imported once by start/routes.ts.
 */
import router from '@adonisjs/core/services/router'

const PublicPolicy = () => import('#policies/public_policy')

router
  .get('/health', async ({ bouncer }) => {
    await bouncer.with((await PublicPolicy()).default).authorize('view')
    return { status: 'ok' }
  })
  .as('public.health')
