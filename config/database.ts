import env from '#start/env'
import app from '@adonisjs/core/services/app'
import { defineConfig } from '@adonisjs/lucid'
import pg from 'pg'
import { CORE_MIGRATIONS, pluginMigrationPaths } from '#plugin_engine/migration_paths'

/*
 * int8 (bigint) columns hold sums of money in minor units; parse them as numbers.
 * Every such sum stays far below Number.MAX_SAFE_INTEGER (9e15 minor units).
 */
pg.types.setTypeParser(20, (value: string) => Number.parseInt(value, 10))

/**
 * Migrations: the core folder, then every plugin's declared folder (plugins/<id>/<migrations>),
 * read from the manifests (app/plugin_engine/migration_paths.ts).
 */
const migrations = {
  naturalSort: true,
  paths: [CORE_MIGRATIONS, ...(await pluginMigrationPaths(app.makePath()))],
}

/**
 * Two connections to the same database:
 * - `app`: the runtime role; owns nothing, cannot bypass row-level security. Every request,
 *   job and command reaches tenant data through it, inside a tenant transaction.
 * - `owner`: the tables' owner; used only by migrations, tenants:sync and test set-up.
 */
const dbConfig = defineConfig({
  connection: 'app',
  prettyPrintDebugQueries: false,
  connections: {
    app: {
      client: 'pg',
      connection: { connectionString: env.get('DATABASE_APP_URL') },
      // Idle connections are kept for 10 minutes (tarn's default is 30 s): a connection carries its
      // prepared statements and plans (app/services/prepared_statements.ts) and PostgreSQL's
      // caches, and a new one costs a password exchange, so the next burst of requests should not
      // start by reconnecting.
      pool: { min: 0, max: env.get('DB_POOL_MAX', 10), idleTimeoutMillis: 10 * 60_000 },
      migrations,
      schemaGeneration: { enabled: false },
      seeders: { paths: ['database/seeders'] },
    },
    owner: {
      client: 'pg',
      connection: { connectionString: env.get('DATABASE_URL') },
      pool: { min: 0, max: 4 },
      migrations,
      schemaGeneration: { enabled: false },
      seeders: { paths: ['database/seeders'] },
    },
  },
})

export default dbConfig
