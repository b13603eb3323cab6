/*
 * Routes, by area. Route names start with the area (public, auth, account, portal, admin,
 * platform, dev): the tenant scope middleware reads it. Every route makes a policy decision
 * (AuthorizationAuditMiddleware); ids are matched as UUIDs so a malformed id is a 404.
 * Plugins' routes (`plugins.<id>.<area>.…`) are mounted last, under their area's prefix.
 */
import app from '@adonisjs/core/services/app'
import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'
import { PluginRegistry } from '#plugin_engine/registry'
import { mountPluginRoutes, type MountRouter } from '#plugin_engine/plugin_routes'

const PublicController = () => import('#controllers/public/public_controller')
const RegistrationController = () => import('#controllers/auth/registration_controller')
const SessionController = () => import('#controllers/auth/session_controller')
const PasswordController = () => import('#controllers/auth/password_controller')
const AccountController = () => import('#controllers/account_controller')
const PortalDashboardController = () => import('#controllers/portal/dashboard_controller')
const ChildrenController = () => import('#controllers/portal/children_controller')
const VerificationController = () => import('#controllers/portal/verification_controller')
const AdminDashboardController = () => import('#controllers/admin/dashboard_controller')
const StaffController = () => import('#controllers/admin/staff_controller')
const SettingsController = () => import('#controllers/admin/settings_controller')
const AuditController = () => import('#controllers/admin/audit_controller')
const OrganizationController = () => import('#controllers/admin/organization_controller')
const PlatformTenantsController = () => import('#controllers/platform/tenants_controller')
const OutboxController = () => import('#controllers/dev/outbox_controller')
const ProgramsController = () => import('#controllers/admin/programs_controller')
const PrecheckController = () => import('#controllers/public/precheck_controller')

const uuid = router.matchers.uuid()

/* Public site: the platform's, and each tenant's (by host, or /t/:tenant in development). */
router.get('/', [PublicController, 'home']).as('public.home')
router.get('/cities', [PublicController, 'tenants']).as('public.tenants')
router.get('/t/:tenant', [PublicController, 'tenantSite']).as('public.tenant_site')
router.post('/locale', [AccountController, 'locale']).as('public.locale')
router
  .post('/t/:tenant/programs/:program/precheck', [PrecheckController, 'store'])
  .as('public.programs.precheck')

/* Sign in, registration, e-mail verification, password reset. */
router
  .group(() => {
    router.get('/register', [RegistrationController, 'create']).as('auth.register')
    router.post('/register', [RegistrationController, 'store']).as('auth.register.store')
    router.get('/login', [SessionController, 'create']).as('auth.login')
    router.post('/login', [SessionController, 'store']).as('auth.login.store')
  })
  .use(middleware.guest())
router.get('/verify-email/:token', [RegistrationController, 'verify']).as('auth.verify_email')
router.get('/forgot-password', [PasswordController, 'forgot']).as('auth.forgot_password')
router.post('/forgot-password', [PasswordController, 'sendLink']).as('auth.forgot_password.send')
router.get('/reset-password/:token', [PasswordController, 'edit']).as('auth.reset_password')
router.post('/reset-password', [PasswordController, 'update']).as('auth.reset_password.update')

/* A signed-in person's own account. */
router
  .group(() => {
    router.post('/logout', [SessionController, 'destroy']).as('account.logout')
    router.get('/home', [PublicController, 'afterLogin']).as('account.home')
    router.get('/account', [AccountController, 'edit']).as('account.edit')
    router.put('/account', [AccountController, 'update']).as('account.update')
    router
      .post('/verify-email/resend', [RegistrationController, 'resend'])
      .as('account.verify_email.resend')
  })
  .use(middleware.auth())

/* Citizen portal. */
router
  .group(() => {
    router.get('/', [PortalDashboardController, 'index']).as('portal.dashboard')
    router.get('/children', [ChildrenController, 'index']).as('portal.children.index')
    router.post('/children', [ChildrenController, 'store']).as('portal.children.store')
    router
      .get('/children/:id', [ChildrenController, 'show'])
      .where('id', uuid)
      .as('portal.children.show')
    router
      .put('/children/:id', [ChildrenController, 'update'])
      .where('id', uuid)
      .as('portal.children.update')
    router
      .delete('/children/:id', [ChildrenController, 'destroy'])
      .where('id', uuid)
      .as('portal.children.destroy')
    router.get('/verification', [VerificationController, 'show']).as('portal.verification.show')
    router.post('/verification', [VerificationController, 'store']).as('portal.verification.store')
  })
  .prefix('/portal')
  .use(middleware.auth())

/* Admin shared by tenant staff and providers. */
router
  .group(() => {
    router.get('/', [AdminDashboardController, 'index']).as('admin.dashboard')
    router.post('/workspace', [AdminDashboardController, 'switch']).as('admin.workspace.switch')
    router.get('/staff', [StaffController, 'index']).as('admin.staff.index')
    router.post('/staff', [StaffController, 'store']).as('admin.staff.store')
    router.get('/staff/:id', [StaffController, 'show']).where('id', uuid).as('admin.staff.show')
    router.put('/staff/:id', [StaffController, 'update']).where('id', uuid).as('admin.staff.update')
    router
      .delete('/staff/:id', [StaffController, 'destroy'])
      .where('id', uuid)
      .as('admin.staff.destroy')
    router.get('/settings', [SettingsController, 'edit']).as('admin.settings.edit')
    router.put('/settings', [SettingsController, 'update']).as('admin.settings.update')
    router
      .put('/settings/register', [SettingsController, 'updateRegister'])
      .as('admin.settings.register')
    router
      .post('/settings/register/check', [SettingsController, 'checkRegister'])
      .as('admin.settings.register_check')
    router.get('/audit', [AuditController, 'index']).as('admin.audit.index')
    router.get('/audit/:id', [AuditController, 'show']).where('id', uuid).as('admin.audit.show')
    router.get('/programs', [ProgramsController, 'index']).as('admin.programs.index')
    router.post('/programs', [ProgramsController, 'store']).as('admin.programs.store')
    router
      .get('/programs/:id', [ProgramsController, 'show'])
      .where('id', uuid)
      .as('admin.programs.show')
    router
      .put('/programs/:id', [ProgramsController, 'update'])
      .where('id', uuid)
      .as('admin.programs.update')
    router
      .put('/programs/:id/status', [ProgramsController, 'status'])
      .where('id', uuid)
      .as('admin.programs.status')
    router
      .post('/programs/:id/rule-test', [ProgramsController, 'testRule'])
      .where('id', uuid)
      .as('admin.programs.rule_test')
    router
      .post('/programs/:id/waitlist/release', [ProgramsController, 'releaseWaitlist'])
      .where('id', uuid)
      .as('admin.programs.waitlist_release')
    router.get('/organization', [OrganizationController, 'show']).as('admin.organization.show')
    router.put('/organization', [OrganizationController, 'update']).as('admin.organization.update')
    router
      .get('/organization/members/:userId', [OrganizationController, 'member'])
      .where('userId', uuid)
      .as('admin.organization.member')
  })
  .prefix('/admin')
  .use(middleware.auth())

/* Platform operator. */
router
  .group(() => {
    router.get('/', [PlatformTenantsController, 'index']).as('platform.tenants.index')
    router
      .get('/tenants/:id', [PlatformTenantsController, 'show'])
      .where('id', uuid)
      .as('platform.tenants.show')
    router
      .put('/tenants/:id/status', [PlatformTenantsController, 'updateStatus'])
      .where('id', uuid)
      .as('platform.tenants.status')
  })
  .prefix('/platform')
  .use(middleware.auth())

/* Development and tests only: the e-mail outbox (404 in production). */
router.get('/dev/outbox', [OutboxController, 'index']).as('dev.outbox.index')
router.get('/dev/outbox/:id', [OutboxController, 'show']).where('id', uuid).as('dev.outbox.show')

/* Applications: portal and reviewers (start/routes/applications.ts). */
import './routes/applications.js'

/* Identity verification: documents, census, review (start/routes/verification.ts). */
import './routes/verification.js'

/* Health check (start/routes/health.ts). */
import './routes/health.js'

/* Plugins: each plugin's routes(router), after the core ones (app/plugin_engine/plugin_routes.ts). */
mountPluginRoutes(router as unknown as MountRouter, await app.container.make(PluginRegistry), {
  authenticated: middleware.auth(),
})
