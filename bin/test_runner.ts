/*
 * Test launcher: a fresh embedded PostgreSQL (or DATABASE_URL), migrations, the demo tenants
 * and people, then `node ace test` with every suite (unit, functional, contracts, browser).
 * Exits with the tests' code.
 */
import { rm } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { freePort, lockBookkeepingTables, startDatabaseServer } from './lib/database_server.js'
import { run, runOrThrow } from './lib/process.js'
import { startRegister } from './lib/register.js'

const root = fileURLToPath(new URL('../', import.meta.url))
const started = Date.now()
// Uploaded documents of this run, removed at the end.
const driveRoot = path.join(root, 'tmp', `storage-test-${process.pid}`)

const database = await startDatabaseServer({ root, name: `test-${process.pid}`, fresh: true })
const registerApiKey = process.env.REGISTER_API_KEY ?? 'test-register-key'
const register = process.env.REGISTER_URL
  ? null
  : await startRegister(root, registerApiKey).catch(async (error) => {
      await database.stop().catch(() => {})
      throw error
    })
const env: NodeJS.ProcessEnv = {
  ...process.env,
  NODE_ENV: 'test',
  TZ: 'UTC',
  HOST: '127.0.0.1',
  PORT: String(await freePort()),
  LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
  APP_KEY: process.env.APP_KEY ?? 'test-app-key-test-app-key-test-app-key-0001',
  SESSION_DRIVER: 'memory',
  LIMITER_STORE: 'database',
  MAIL_MAILER: 'outbox',
  MAIL_FROM_NAME: 'Active City',
  MAIL_FROM_ADDRESS: 'no-reply@activecity.test',
  PLATFORM_DOMAIN: 'activecity.test',
  DATABASE_URL: database.ownerUrl,
  DATABASE_APP_URL: database.appUrl,
  REGISTER_URL: process.env.REGISTER_URL ?? register!.url,
  REGISTER_API_KEY: registerApiKey,
  DRIVE_ROOT: driveRoot,
}

let code = 1
try {
  await runOrThrow('node', ['ace', 'migration:run', '--connection=owner', '--force'], {
    cwd: root,
    env,
  })
  await lockBookkeepingTables(database.ownerUrl)
  await runOrThrow('node', ['ace', 'tenants:sync'], { cwd: root, env })
  await runOrThrow('node', ['ace', 'demo:seed'], { cwd: root, env })
  code = await run('node', ['ace', 'test', ...process.argv.slice(2)], { cwd: root, env })
  // The money invariants must hold after everything the suites did.
  code = (await run('node', ['ace', 'ledger:check'], { cwd: root, env })) || code
} catch (error) {
  console.error(error instanceof Error ? error.message : error)
  code = 1
} finally {
  await register?.stop().catch(() => {})
  await database.stop().catch(() => {})
  await rm(driveRoot, { recursive: true, force: true }).catch(() => {})
}
console.log(`Test run finished in ${Math.round((Date.now() - started) / 1000)} s`)
process.exit(code)
