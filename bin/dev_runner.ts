/*
 * Development launcher: .env, database (embedded unless DATABASE_URL is set), migrations,
 * demo tenants and people, then the dev server with hot reload. Stops the embedded
 * database when the server stops.
 */
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { lockBookkeepingTables, startDatabaseServer } from './lib/database_server.js'
import { ensureEnvFile, readEnvFile, run, runOrThrow, stopChildren } from './lib/process.js'
import { startRegister } from './lib/register.js'

const root = fileURLToPath(new URL('../', import.meta.url))

ensureEnvFile(root)
const fileEnv = readEnvFile(path.join(root, '.env'))
for (const key of ['DATABASE_URL', 'DATABASE_APP_URL', 'REGISTER_URL', 'REGISTER_API_KEY']) {
  if (!process.env[key] && fileEnv[key]) process.env[key] = fileEnv[key]
}

console.log(
  process.env.DATABASE_URL
    ? 'Using the database at DATABASE_URL'
    : 'Starting the embedded PostgreSQL (data in tmp/pg-dev)'
)
const database = await startDatabaseServer({ root, name: 'dev', preferredPort: 54329 })
const registerApiKey = process.env.REGISTER_API_KEY ?? 'dev-register-key'
let register: Awaited<ReturnType<typeof startRegister>> | null = null
if (!process.env.REGISTER_URL) {
  try {
    register = await startRegister(root, registerApiKey)
    console.log(`Reference population register at ${register.url}`)
  } catch (error) {
    console.error(error instanceof Error ? error.message : error)
    console.error('Continuing without a population register (verification by documents only)')
  }
}
const env = {
  ...process.env,
  NODE_ENV: 'development',
  DATABASE_URL: database.ownerUrl,
  DATABASE_APP_URL: database.appUrl,
  ...(register ? { REGISTER_URL: register.url, REGISTER_API_KEY: registerApiKey } : {}),
}

let stopping = false
async function stop(code: number) {
  if (stopping) return
  stopping = true
  await stopChildren().catch(() => {})
  await register?.stop().catch(() => {})
  await database.stop().catch(() => {})
  process.exit(code)
}
process.on('SIGINT', () => stop(0))
process.on('SIGTERM', () => stop(0))

try {
  await runOrThrow('node', ['ace', 'migration:run', '--connection=owner', '--force'], {
    cwd: root,
    env,
  })
  await lockBookkeepingTables(database.ownerUrl)
  await runOrThrow('node', ['ace', 'tenants:sync'], { cwd: root, env })
  await runOrThrow('node', ['ace', 'demo:seed', '--print'], { cwd: root, env })
} catch (error) {
  console.error(error instanceof Error ? error.message : error)
  await stop(1)
}

const code = await run('node', ['ace', 'serve', '--hmr'], { cwd: root, env })
await stop(code)
