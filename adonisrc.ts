import { defineConfig } from '@adonisjs/core/app'
import { indexEntities } from '@adonisjs/core/generators'
import { indexPolicies } from '@adonisjs/bouncer'
import { indexPages } from '@adonisjs/inertia'

export default defineConfig({
  experimental: {},

  directories: { commands: 'app/commands' },

  commands: [
    () => import('@adonisjs/core/commands'),
    () => import('@adonisjs/session/commands'),
    () => import('@adonisjs/bouncer/commands'),
    () => import('@adonisjs/mail/commands'),
    () => import('@adonisjs/lucid/commands'),
    () => import('@adonisjs/inertia/commands'),
  ],

  providers: [
    () => import('@adonisjs/core/providers/app_provider'),
    () => import('@adonisjs/core/providers/hash_provider'),
    {
      file: () => import('@adonisjs/core/providers/repl_provider'),
      environment: ['repl', 'test'],
    },
    () => import('@adonisjs/core/providers/vinejs_provider'),
    () => import('@adonisjs/core/providers/edge_provider'),
    () => import('@adonisjs/session/session_provider'),
    () => import('@adonisjs/shield/shield_provider'),
    () => import('@adonisjs/static/static_provider'),
    () => import('@adonisjs/vite/vite_provider'),
    () => import('@adonisjs/auth/auth_provider'),
    () => import('@adonisjs/bouncer/bouncer_provider'),
    () => import('@adonisjs/limiter/limiter_provider'),
    () => import('@adonisjs/mail/mail_provider'),
    () => import('@adonisjs/i18n/i18n_provider'),
    () => import('@adonisjs/lucid/database_provider'),
    () => import('@adonisjs/inertia/inertia_provider'),
    () => import('#providers/tenancy_provider'),
    () => import('#plugin_engine/plugin_provider'),
    () => import('#providers/app_provider'),
    () => import('@adonisjs/drive/drive_provider'),
  ],

  preloads: [() => import('#start/routes'), () => import('#start/kernel')],

  tests: {
    suites: [
      {
        files: ['tests/unit/**/*.spec.ts', 'plugins/*/tests/unit/**/*.spec.ts'],
        name: 'unit',
        timeout: 10000,
      },
      {
        files: ['tests/functional/**/*.spec.ts', 'plugins/*/tests/functional/**/*.spec.ts'],
        name: 'functional',
        timeout: 60000,
      },
      { files: ['tests/contracts/**/*.spec.ts'], name: 'contracts', timeout: 120000 },
      {
        files: ['tests/browser/**/*.spec.ts', 'plugins/*/tests/browser/**/*.spec.ts'],
        name: 'browser',
        timeout: 120000,
      },
    ],
    forceExit: false,
  },

  metaFiles: [
    { pattern: 'resources/views/**/*.edge', reloadServer: false },
    { pattern: 'resources/lang/**/*.{json,yaml,yml}', reloadServer: false },
    { pattern: 'resources/mail/**/*.hbs', reloadServer: false },
    // Plugins' messages and templates, and tenants' template overrides, read at run time.
    { pattern: 'plugins/*/lang/**/*.json', reloadServer: false },
    { pattern: 'plugins/*/templates/**/*.hbs', reloadServer: false },
    { pattern: 'tenants/*/templates/**/*.hbs', reloadServer: false },
    { pattern: 'public/**', reloadServer: false },
  ],

  hooks: {
    init: [
      indexEntities({ transformers: { enabled: true, withSharedProps: true } }),
      indexPolicies(),
      indexPages({ framework: 'vue3', source: 'resources/js/pages' }),
    ],
    buildStarting: [() => import('@adonisjs/vite/build_hook')],
  },
})
