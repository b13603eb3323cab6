/*
 * Surge benchmark: the school-year-start rush. Many signed-in citizens at once browse their
 * offers, submit applications with a 300 KB PDF and poll their applications, against the app
 * built and run as in production, on a fresh embedded PostgreSQL. Open-loop arrival rates in a
 * ladder; at each rate the mix and then a plain JSON route of the same server (GET /health, the
 * reference) are measured. Writes the "## bench/surge" section of bench/RESULTS.md
 * (bench/surge/README.md).
 *
 *   npm run bench:surge [-- --rates=25,50,100,200,250,300 --duration=30 --users=500 --no-write]
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { closeSync, copyFileSync, existsSync, mkdirSync, openSync, readdirSync } from 'node:fs'
import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import argon2 from 'argon2'
import pg from 'pg'
import type { Pool } from 'undici'
import {
  type DatabaseServer,
  freePort,
  lockBookkeepingTables,
  startDatabaseServer,
} from '../../bin/lib/database_server.js'
import { runOrThrow, stopChildren } from '../../bin/lib/process.js'
import {
  CookieJar,
  REQUEST_TIMEOUT_MS,
  createPool,
  failure,
  json,
  multipart,
  send,
} from './http.js'
import {
  type Outcome,
  type Shot,
  type StepResult,
  openLoop,
  seededRandom,
  summarize,
  timelineBySecond,
} from './load.js'
import { paddedPdf } from './pdf.js'
import {
  type CpuUse,
  cpuBetween,
  cpuSnapshot,
  machineDescription,
  profileSummary,
} from './system.js'

const root = fileURLToPath(new URL('../../', import.meta.url))

/** A log line as the results may quote it: paths relative to the project, no host name. */
function withoutRoot(text: string) {
  return text
    .split(root)
    .join('')
    .replace(/"hostname":"[^"]*"/g, '"hostname":"…"')
}
const startedAt = Date.now()

/* Options. */
const argument = (name: string) =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1]
const RATES = (argument('rates') ?? '25,50,100,200,250,300').split(',').map(Number)
const DURATION_S = Number(argument('duration') ?? 30)
const WARMUP_S = Number(argument('warmup') ?? 20)
let USERS = Number(argument('users') ?? 500)
const DOCUMENT_BYTES = Number(argument('document-kb') ?? 300) * 1024
const CONNECTIONS = Number(argument('connections') ?? 512)
const WRITE = !process.argv.includes('--no-write')
const KEEP = process.argv.includes('--keep')
const CPU_PROF = process.argv.includes('--cpu-prof')
/** Run the mix at every rate, even above one where the server could not keep up. */
const ALL_STEPS = process.argv.includes('--all-steps')
const SHOW_STATEMENTS = process.argv.includes('--show-statements')
/** PostgreSQL with pg_stat_statements: prints where its time went, by statement, at the end. */
const PG_STATS = process.argv.includes('--pg-stats')
/** Prints the mix's latency per second of each step (where the slow answers are). */
const TIMELINE = process.argv.includes('--timeline')
/** Worker processes of the app server (WEB_CONCURRENCY, as production runs it: README.md). */
const WORKERS = argument('workers') ?? 'auto'
if (!/^([1-9][0-9]*|auto)$/.test(WORKERS)) throw new Error('--workers must be a number or auto')
/** How many processes WEB_CONCURRENCY=WORKERS makes (bin/server.ts). */
const workerCount = () => (WORKERS === 'auto' ? os.availableParallelism() : Number(WORKERS))
/** The cost phase: each kind alone at this rate for this long. */
const COST_RATE = Number(argument('cost-rate') ?? 20)
const COST_SECONDS = Number(argument('cost-seconds') ?? 10)
for (const [name, value] of Object.entries({
  DURATION_S,
  WARMUP_S,
  USERS,
  CONNECTIONS,
  COST_RATE,
  COST_SECONDS,
})) {
  if (!Number.isFinite(value) || value < 0) throw new Error(`Bad option ${name}: ${value}`)
}
if (RATES.some((rate) => !Number.isFinite(rate) || rate <= 0)) {
  throw new Error('--rates must be positive numbers, e.g. --rates=100,200,250,300')
}

/** The mix, in % of requests (`--mix=offers,submit,poll`). */
const [mixOffers, mixSubmit, mixPoll] = (argument('mix') ?? '50,10,40').split(',').map(Number)
const MIX = { offers: mixOffers, submit: mixSubmit, poll: mixPoll }
if (
  Object.values(MIX).some((n) => !Number.isFinite(n) || n < 0) ||
  mixOffers + mixSubmit + mixPoll !== 100
) {
  throw new Error('--mix must be three percentages adding up to 100, e.g. --mix=50,10,40')
}
const TARGET = { rate: 250, p99Ms: 1000 }
const PASSWORD = 'Surge-heslo-2026'
const PROGRAM_SLUG = 'darujeme-krouzky-cz'
const PERIODS = ['2026-h1', '2027-h2']
const DECLARED = JSON.stringify({ 'applicant.benefits.child_allowance': true })

/* Slots: one live application per child, program and period. Check there are enough. */
const SHARE_WITH_TWO_CHILDREN = 0.6
const largestStepSubmissions = Math.ceil((Math.max(...RATES) * DURATION_S * MIX.submit) / 100)
const warmupSubmissions = Math.ceil((RATES[0] * WARMUP_S * MIX.submit) / 100)
const slotsPerCitizen = (1 + SHARE_WITH_TWO_CHILDREN) * PERIODS.length
/** The cost phase submits at COST_RATE for COST_SECONDS (then the children are freed again). */
const costSubmissions = COST_RATE * COST_SECONDS
const neededUsers = Math.ceil(
  (1.2 * Math.max(largestStepSubmissions, warmupSubmissions, costSubmissions)) / slotsPerCitizen
)
if (USERS < neededUsers) {
  console.log(`${USERS} citizens have too few children for the largest step; using ${neededUsers}`)
  USERS = neededUsers
}

/* Work folder (build, documents, server log) and the database, removed at the end. */
const workDir = path.join(root, 'tmp', `bench-surge-${process.pid}`)
const databaseName = `surge-${process.pid}`
const databaseDir = path.join(root, 'tmp', `pg-${databaseName}`)
const buildDir = path.join(workDir, 'build')
const serverLog = path.join(workDir, 'server.log')
const profileDir = path.join(workDir, 'profile')

let database: DatabaseServer | null = null
let server: ChildProcess | null = null
let pool: Pool | null = null
let stopping = false
let interrupted = false
let cleaning: Promise<void> | null = null

function serverAlive() {
  return !!server && server.exitCode === null && server.signalCode === null
}

async function stopServer() {
  if (!server || !serverAlive()) return
  const child = server
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000)
    child.once('exit', () => {
      clearTimeout(timer)
      resolve()
    })
    child.kill('SIGTERM')
  })
}

/** Stops everything this run started; every caller waits for the same one. */
function cleanup() {
  cleaning ??= stopEverything()
  return cleaning
}

async function stopEverything() {
  stopping = true
  await pool?.destroy().catch(() => {})
  await stopServer()
  await stopChildren().catch(() => {})
  await database?.stop().catch(() => {})
  if (!KEEP) rmSync(workDir, { recursive: true, force: true })
  rmSync(databaseDir, { recursive: true, force: true })
}

// Ctrl+C or SIGTERM: stop everything. The embedded database's own exit hook may end the process
// as soon as the database has stopped, so the 'exit' handler below finishes the job synchronously.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (interrupted) return
    interrupted = true
    console.log(`\n${signal}: stopping the server and the database; no results are written…`)
    void cleanup().finally(() => process.exit(130))
  })
}
process.on('exit', () => {
  if (serverAlive()) server!.kill('SIGKILL')
  if (!KEEP) rmSync(workDir, { recursive: true, force: true })
  rmSync(databaseDir, { recursive: true, force: true })
})

const elapsed = () => `${Math.round((Date.now() - startedAt) / 1000)} s`
const log = (message: string) => console.log(`[${elapsed()}] ${message}`)
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/* ------------------------------------------------------------------------------------------ */

interface Citizen {
  email: string
  jar: CookieJar
  children: string[]
}

interface Slot {
  citizen: Citizen
  childId: string
  periodKey: string
}

/** Bench citizens of ČRDM with Czech citizenship and 1–2 children aged 5–15, inserted by SQL. */
async function seedCitizens(ownerUrl: string, count: number) {
  const random = seededRandom(4242)
  const client = new pg.Client({ connectionString: ownerUrl })
  await client.connect()
  try {
    // One Argon2id hash for every bench citizen, with low cost parameters: the app verifies a
    // password with the parameters stored in its hash, and sign-in is not part of the measured
    // load, so 500 sign-ins take seconds instead of minutes (the app's own hasher is unchanged).
    const password = await argon2.hash(PASSWORD, {
      type: argon2.argon2id,
      memoryCost: 4096,
      timeCost: 1,
      parallelism: 1,
    })
    const crdm = await client.query(`select id from tenants where slug = 'crdm'`)
    const emails: string[] = []
    const names: string[] = []
    for (let i = 0; i < count; i++) {
      emails.push(`surge.${String(i).padStart(5, '0')}@bench.activecity.test`)
      names.push(`Rodič Zátěžový ${i}`)
    }
    const users = await client.query(
      `insert into users (email, email_normalized, password, full_name, locale, citizenship,
         home_tenant_id, email_verified_at)
       select e, e, $2, n, 'cs', 'CZ', $3, now() from unnest($1::text[], $4::text[]) as t (e, n)
       returning id, email`,
      [emails, password, crdm.rows[0].id, names]
    )
    const parents: string[] = []
    const firstNames: string[] = []
    const births: string[] = []
    const pad = (n: number) => String(n).padStart(2, '0')
    for (const row of users.rows) {
      const children = random() < SHARE_WITH_TWO_CHILDREN ? 2 : 1
      for (let c = 0; c < children; c++) {
        parents.push(row.id)
        firstNames.push(['Adam', 'Bára', 'Cyril', 'Dana'][c + (random() < 0.5 ? 0 : 2)])
        const year = 2011 + Math.floor(random() * 10)
        births.push(
          `${year}-${pad(1 + Math.floor(random() * 12))}-${pad(1 + Math.floor(random() * 28))}`
        )
      }
    }
    const children = await client.query(
      `insert into children (parent_user_id, first_name, last_name, birth_date)
       select p, f, 'Zátěžová', b::date from unnest($1::uuid[], $2::text[], $3::text[]) as t (p, f, b)
       returning id, parent_user_id`,
      [parents, firstNames, births]
    )
    const byId = new Map<string, Citizen>()
    const citizens: Citizen[] = users.rows.map((row) => {
      const citizen = { email: row.email as string, jar: new CookieJar(), children: [] }
      byId.set(row.id, citizen)
      return citizen
    })
    for (const row of children.rows) byId.get(row.parent_user_id)!.children.push(row.id)
    const program = await client.query('select id from programs where slug = $1', [PROGRAM_SLUG])
    if (program.rowCount !== 1) throw new Error(`Program ${PROGRAM_SLUG} missing`)
    return { citizens, childCount: children.rowCount ?? 0, programId: program.rows[0].id as string }
  } finally {
    await client.end()
  }
}

/** Frees every child again between steps: the bench's submitted applications are withdrawn. */
async function withdrawAll(ownerUrl: string) {
  const client = new pg.Client({ connectionString: ownerUrl })
  await client.connect()
  try {
    const result = await client.query(
      `update applications set status = 'withdrawn', updated_at = now() where status = 'submitted'`
    )
    return result.rowCount ?? 0
  } finally {
    await client.end()
  }
}

/* ------------------------------------------------------------------------------------------ */

async function buildApp() {
  mkdirSync(workDir, { recursive: true })
  // The project's tsconfig with the output in the work folder: `build/` may be someone else's.
  const back = path.relative(workDir, root).split(path.sep).join('/')
  const tsconfig = path.join(workDir, 'tsconfig.json')
  writeFileSync(
    tsconfig,
    JSON.stringify(
      {
        extends: `${back}/tsconfig.json`,
        compilerOptions: { rootDir: back, outDir: './build' },
        include: [`${back}/**/*`, `${back}/.adonisjs/server/**/*`],
        exclude: [
          `${back}/resources/js/**/*`,
          `${back}/build`,
          `${back}/node_modules`,
          `${back}/tmp`,
          `${back}/inertia/**`,
        ],
      },
      null,
      2
    )
  )
  await runOrThrow(
    process.execPath,
    ['ace', 'build', '--ignore-ts-errors', `--tsconfig=${path.relative(root, tsconfig)}`],
    { cwd: root, env: process.env }
  )
}

function postmasterPid() {
  try {
    return Number(readFileSync(path.join(databaseDir, 'postmaster.pid'), 'utf8').split('\n')[0])
  } catch {
    return null
  }
}

async function startServer(env: NodeJS.ProcessEnv, origin: string) {
  const out = openSync(serverLog, 'a')
  const flags = CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []
  server = spawn(process.execPath, [...flags, 'bin/server.js'], {
    cwd: buildDir,
    env,
    stdio: ['ignore', out, out],
  })
  closeSync(out)
  const deadline = Date.now() + 60_000
  while (true) {
    if (!serverAlive()) throw new Error(`The app server exited; see ${serverLog}`)
    const healthy = await fetch(`${origin}/health`, { headers: { accept: 'application/json' } })
      .then((response) => response.ok)
      .catch(() => false)
    if (healthy) return
    if (Date.now() > deadline) throw new Error('The app server did not answer /health in 60 s')
    await sleep(200)
  }
}

/** Signs every citizen in (POST /login, JSON), a few at a time. */
async function signIn(citizens: Citizen[], concurrency: number) {
  let next = 0
  const worker = async () => {
    while (next < citizens.length && !stopping) {
      const citizen = citizens[next++]
      const answer = await send(pool!, {
        method: 'POST',
        path: '/login',
        jar: citizen.jar,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: citizen.email, password: PASSWORD }),
      })
      if (answer.status !== 200 || !json(answer)?.ok) {
        throw new Error(
          `Sign-in of ${citizen.email}: HTTP ${answer.status} ${answer.text.slice(0, 200)}`
        )
      }
      if (!citizen.jar.get('XSRF-TOKEN')) {
        await send(pool!, { method: 'GET', path: '/portal/offers', jar: citizen.jar })
      }
      if (!citizen.jar.get('XSRF-TOKEN')) throw new Error(`No XSRF-TOKEN for ${citizen.email}`)
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker))
}

/* ------------------------------------------------------------------------------------------ */

interface Submitted {
  citizen: Citizen
  id: string
}

function createMix(citizens: Citizen[], programId: string, pdf: Buffer) {
  const random = seededRandom(20260901)
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]
  let free: Slot[] = []
  const submitted: Submitted[] = []
  /** Polls go to recent applications: people check on what they have just sent. */
  const RECENT = 300

  const refill = () => {
    // The current half-year first (what most parents apply for), then the next one.
    free = []
    for (const periodKey of [...PERIODS].reverse()) {
      const slots: Slot[] = []
      for (const citizen of citizens) {
        for (const childId of citizen.children) slots.push({ citizen, childId, periodKey })
      }
      for (let i = slots.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1))
        ;[slots[i], slots[j]] = [slots[j], slots[i]]
      }
      free.push(...slots)
    }
  }
  refill()

  const offers = (): Shot => ({
    kind: 'offers',
    send: async (): Promise<Outcome> => {
      const citizen = pick(citizens)
      const answer = await send(pool!, { method: 'GET', path: '/portal/offers', jar: citizen.jar })
      if (answer.status !== 200) return failure(answer)
      const body = json(answer)
      if (!Array.isArray(body?.offers) || !body.offers.some((o: any) => o.id === programId)) {
        return failure(answer)
      }
      return { ok: true }
    },
  })

  const submit = (): Shot => ({
    kind: 'submit',
    send: async (): Promise<Outcome> => {
      const slot = free.pop()
      if (!slot) return { ok: false, error: 'bench: no free child left' }
      const { body, contentType } = multipart(
        { childId: slot.childId, periodKey: slot.periodKey, declared: DECLARED },
        [
          {
            field: 'documents[labour_office_decision]',
            filename: 'rozhodnuti-uradu-prace.pdf',
            contentType: 'application/pdf',
            bytes: pdf,
          },
        ]
      )
      const answer = await send(pool!, {
        method: 'POST',
        path: `/portal/programs/${programId}/applications`,
        jar: slot.citizen.jar,
        headers: {
          'content-type': contentType,
          'x-xsrf-token': slot.citizen.jar.get('XSRF-TOKEN') ?? '',
        },
        body,
      })
      const result = json(answer)
      if (answer.status !== 200 || !result?.id) return failure(answer)
      submitted.push({ citizen: slot.citizen, id: result.id })
      return { ok: true }
    },
  })

  const poll = (): Shot => {
    if (submitted.length === 0) return offers()
    return {
      kind: 'poll',
      send: async (): Promise<Outcome> => {
        const target =
          submitted[
            submitted.length - 1 - Math.floor(random() * Math.min(RECENT, submitted.length))
          ]
        const answer = await send(pool!, {
          method: 'GET',
          path: `/portal/applications/${target.id}`,
          jar: target.citizen.jar,
        })
        if (answer.status !== 200 || !json(answer)?.application?.status) return failure(answer)
        return { ok: true }
      },
    }
  }

  const next = (): Shot => {
    const r = random() * 100
    if (r < MIX.offers) return offers()
    if (r < MIX.offers + MIX.submit) return submit()
    return poll()
  }
  return { next, refill, shots: { offers, submit, poll } }
}

/**
 * Waits until the server is idle again (a /health answer under 50 ms), so that one phase's
 * backlog (requests the client gave up on are still worked off by the server) does not spill
 * into the next; at most 60 s.
 */
async function settle() {
  const begun = Date.now()
  await sleep(1000)
  while (Date.now() - begun < 60_000 && !stopping) {
    const started = performance.now()
    const ok = await send(pool!, { method: 'GET', path: '/health' })
      .then((answer) => answer.status === 200)
      .catch(() => false)
    if (ok && performance.now() - started < 50) return
    await sleep(250)
  }
  log(`  (the server was still busy ${Math.round((Date.now() - begun) / 1000)} s after the phase)`)
}

const healthShot = (): Shot => ({
  kind: 'health',
  send: async (): Promise<Outcome> => {
    const answer = await send(pool!, { method: 'GET', path: '/health' })
    if (answer.status !== 200 || json(answer)?.status !== 'ok') return failure(answer)
    return { ok: true }
  },
})

/* ------------------------------------------------------------------------------------------ */

interface Cost {
  kind: string
  count: number
  serverMs: number
  postgresMs: number
  statements: number
  errors: number
}

/** Statements PostgreSQL logged (log_statement = all) while `counting` is on. */
const statementLog = { counting: false, count: 0, capture: null as string[] | null }
function countStatements(chunk: string) {
  if (!statementLog.counting) return
  const found = chunk.match(/LOG:\s+(statement|execute [^:]*):.*/g) ?? []
  statementLog.count += found.length
  statementLog.capture?.push(...found.map((line) => line.replace(/^LOG:\s+/, '').slice(0, 240)))
}

async function setStatementLogging(ownerUrl: string, on: boolean) {
  const client = new pg.Client({ connectionString: ownerUrl })
  await client.connect()
  try {
    await client.query(`alter system set log_statement = '${on ? 'all' : 'none'}'`)
    await client.query('select pg_reload_conf()')
  } finally {
    await client.end()
  }
  await sleep(500)
}

/**
 * What one request of each kind costs: CPU of the server and of PostgreSQL per request (each
 * kind alone, open loop at a low rate), and the SQL statements it sends (a few requests one
 * after another with PostgreSQL logging every statement).
 */
async function measureCosts(
  ownerUrl: string,
  kinds: { kind: string; shot: () => Shot }[],
  serverPid: number,
  pgPid: number | null,
  beforeCounting: () => Promise<void>
) {
  const RATE = COST_RATE
  const SECONDS = COST_SECONDS
  const SEQUENTIAL = 10
  // What the server and PostgreSQL use with no request at all (timers, logging, the pool),
  // taken off the per-request figures.
  const idleStart = cpuSnapshot(serverPid, pgPid)
  await sleep(5000)
  const idle = cpuBetween(idleStart, cpuSnapshot(serverPid, pgPid))
  const costs: Cost[] = []
  for (const { kind, shot } of kinds) {
    if (stopping) break
    const before = cpuSnapshot(serverPid, pgPid)
    const result = await openLoop({
      rate: RATE,
      durationMs: SECONDS * 1000,
      next: shot,
      shouldStop: () => stopping,
    })
    const after = cpuSnapshot(serverPid, pgPid)
    const count = result.all.count
    const seconds = (after.at - before.at) / 1000
    const net = (used: number, idlePct: number) =>
      Math.max(0, (1000 * (used - (idlePct / 100) * seconds)) / count)
    costs.push({
      kind,
      count,
      serverMs: net(after.server - before.server, idle.server),
      postgresMs: net(after.postgres - before.postgres, idle.postgres),
      statements: Number.NaN,
      errors: result.all.errors,
    })
    await settle()
  }
  await beforeCounting()
  await setStatementLogging(ownerUrl, true)
  try {
    for (const cost of costs) {
      const { shot } = kinds.find((k) => k.kind === cost.kind)!
      if (SHOW_STATEMENTS) {
        // One request alone, its statements printed (for whoever wants to make it cheaper).
        statementLog.capture = []
        statementLog.counting = true
        await shot().send()
        await sleep(500)
        statementLog.counting = false
        console.log(`Statements of one ${cost.kind} request:`)
        for (const line of statementLog.capture) console.log(`  ${line}`)
        statementLog.capture = null
      }
      statementLog.count = 0
      statementLog.counting = true
      for (let i = 0; i < SEQUENTIAL && !stopping; i++) await shot().send()
      await sleep(500)
      statementLog.counting = false
      cost.statements = statementLog.count / SEQUENTIAL
    }
  } finally {
    await setStatementLogging(ownerUrl, false)
  }
  return { costs, idle }
}

/** The runtime role's statements by total planning and execution time (pg_stat_statements). */
async function statementStats(ownerUrl: string) {
  const client = new pg.Client({ connectionString: ownerUrl })
  await client.connect()
  try {
    await client.query('create extension if not exists pg_stat_statements')
    const result = await client.query(
      `select calls, total_plan_time + total_exec_time as total, total_plan_time as plan,
              total_exec_time as exec, rows, regexp_replace(query, '\\s+', ' ', 'g') as query
         from pg_stat_statements s join pg_roles r on r.oid = s.userid
        where r.rolname = 'active_city_app'
        order by total desc limit 25`
    )
    const all = result.rows.reduce((sum, row) => sum + Number(row.total), 0)
    return result.rows.map(
      (row) =>
        `${(Number(row.total) / 1000).toFixed(2).padStart(7)} s ${((100 * Number(row.total)) / all).toFixed(0).padStart(3)} %  ` +
        `${String(row.calls).padStart(7)} calls  plan ${((1000 * Number(row.plan)) / row.calls).toFixed(0).padStart(4)} µs  ` +
        `exec ${((1000 * Number(row.exec)) / row.calls).toFixed(0).padStart(5)} µs  ${String(row.query).slice(0, 150)}`
    )
  } finally {
    await client.end()
  }
}

interface Measured {
  rate: number
  /** Null when the mix was not run at this rate (the server was already saturated below it). */
  mix: StepResult | null
  mixCpu: CpuUse | null
  reference: StepResult
  referenceCpu: CpuUse
}

const ms = (n: number) => (Number.isFinite(n) ? String(Math.round(n)) : '–')
const perSecond = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : '–')
const pct = (n: number) => (Number.isFinite(n) ? `${Math.round(n)} %` : '–')

function achieved(result: StepResult, ok: number) {
  return ok / (Math.max(result.elapsedMs, result.durationMs) / 1000)
}

function meetsTarget(step: Measured) {
  if (!step.mix) return false
  const all = summarize(step.mix.all)
  return (
    achieved(step.mix, all.ok) >= 0.98 * step.rate && all.p99 < TARGET.p99Ms && all.errors === 0
  )
}

function errorText(summary: ReturnType<typeof summarize>) {
  if (summary.errors === 0) return '0'
  return `${summary.errors}: ${summary.errorKinds.map((e) => `${e.count}× ${e.kind}`).join(', ')}`
}

const KIND_LABEL: Record<string, string> = {
  offers: '· offers (GET /portal/offers)',
  submit: '· submissions (POST …/applications, 300 KB PDF)',
  poll: '· polls (GET /portal/applications/:id)',
}

function tableRows(step: Measured) {
  const rows: string[] = []
  const row = (label: string, result: StepResult, stats: StepResult['all']) => {
    const s = summarize(stats)
    rows.push(
      `| ${step.rate} | ${label} | ${s.count} | ${perSecond(achieved(result, s.ok))} | ${ms(s.p50)} | ${ms(s.p90)} | ${ms(s.p99)} | ${ms(s.max)} | ${errorText(s)} |`
    )
  }
  if (step.mix) {
    row('**mix**', step.mix, step.mix.all)
    for (const kind of ['offers', 'submit', 'poll']) {
      const stats = step.mix.byKind.get(kind)
      if (stats) row(KIND_LABEL[kind], step.mix, stats)
    }
  } else {
    rows.push(
      `| ${step.rate} | **mix**: not run, the server was saturated at a lower rate | | | | | | | |`
    )
  }
  row('**reference** (GET /health)', step.reference, step.reference.all)
  return rows
}

function cpuRows(step: Measured) {
  const cores = os.cpus().length
  const row = (label: string, cpu: CpuUse, result: StepResult) => {
    const others = Math.max(0, cpu.machine * cores - cpu.server - cpu.postgres - cpu.generator)
    // % of a core at `rate` requests per second = 10 × % / rate ms per request.
    const perRequest = (share: number) => ((10 * share) / step.rate).toFixed(1)
    return `| ${step.rate} | ${label} | ${pct(cpu.server)} | ${pct(cpu.postgres)} | ${pct(cpu.generator)} | ${pct(others)} | ${pct(cpu.machine)} | ${ms(result.maxSendLagMs)} | ${perRequest(cpu.server)} + ${perRequest(cpu.postgres)} |`
  }
  return [
    ...(step.mix && step.mixCpu ? [row('mix', step.mixCpu, step.mix)] : []),
    row('reference', step.referenceCpu, step.reference),
  ]
}

function printStep(step: Measured) {
  if (TIMELINE && step.mix) {
    console.log(`Mix at ${step.rate} req/s, by second: requests, p50, p99, max (ms)`)
    for (const s of timelineBySecond(step.mix)) {
      console.log(
        `  ${String(s.second).padStart(3)} s ${String(s.count).padStart(4)} ${ms(s.p50).padStart(6)} ${ms(s.p99).padStart(6)} ${ms(s.max).padStart(6)}`
      )
    }
  }
  for (const line of tableRows(step)) console.log(line)
  for (const line of cpuRows(step)) console.log(line)
  for (const [name, result] of [
    ['mix', step.mix],
    ['reference', step.reference],
  ] as const) {
    if (!result) continue
    for (const error of summarize(result.all).errorKinds) {
      console.log(`  ${name} error ${error.count}× ${error.kind}: ${error.detail ?? ''}`)
    }
  }
}

/** Lines of the server log at level error or fatal (pino JSON in production). */
function serverErrors() {
  if (!existsSync(serverLog)) return []
  return readFileSync(serverLog, 'utf8')
    .split('\n')
    .filter((line) => /"level":(50|60)/.test(line))
}

/* ------------------------------------------------------------------------------------------ */

async function main() {
  const loadAtStart = os.loadavg()[0]
  log(
    `Surge benchmark: rates ${RATES.join(', ')} req/s, ${DURATION_S} s each (mix, then the reference), ` +
      `${WARMUP_S} s warm-up, ${USERS} citizens`
  )

  log('Building the app for production (node ace build) into the work folder…')
  await buildApp()

  log('Starting a fresh embedded PostgreSQL…')
  // Always a throw-away embedded cluster: never a database named in the environment.
  delete process.env.DATABASE_URL
  delete process.env.DATABASE_APP_URL
  database = await startDatabaseServer({
    root,
    name: databaseName,
    fresh: true,
    log: countStatements,
    settings: PG_STATS
      ? ['shared_preload_libraries=pg_stat_statements', 'pg_stat_statements.track_planning=on']
      : [],
  })
  const port = await freePort()
  const origin = `http://127.0.0.1:${port}`
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'production',
    TZ: 'UTC',
    HOST: '127.0.0.1',
    PORT: String(port),
    LOG_LEVEL: 'info',
    WEB_CONCURRENCY: WORKERS,
    APP_KEY: randomBytes(32).toString('base64url'),
    SESSION_DRIVER: 'cookie',
    LIMITER_STORE: 'database',
    MAIL_MAILER: 'outbox',
    MAIL_FROM_NAME: 'Active City',
    MAIL_FROM_ADDRESS: 'no-reply@activecity.test',
    DATABASE_URL: database.ownerUrl,
    DATABASE_APP_URL: database.appUrl,
    DRIVE_DISK: 'fs',
    DRIVE_ROOT: path.join(workDir, 'storage'),
  }
  delete env.REGISTER_URL
  delete env.PLATFORM_DOMAIN

  log('Migrations, tenants:sync, demo:seed…')
  await runOrThrow(process.execPath, ['ace', 'migration:run', '--connection=owner', '--force'], {
    cwd: root,
    env,
  })
  await lockBookkeepingTables(database.ownerUrl)
  await runOrThrow(process.execPath, ['ace', 'tenants:sync'], { cwd: root, env })
  await runOrThrow(process.execPath, ['ace', 'demo:seed'], { cwd: root, env })
  const { citizens, childCount, programId } = await seedCitizens(database.ownerUrl, USERS)
  log(`${citizens.length} bench citizens with ${childCount} children`)

  log(`Starting the app server (node build/bin/server.js, NODE_ENV=production) on ${origin}…`)
  await startServer(env, origin)
  pool = createPool(origin, CONNECTIONS)

  const signInStarted = Date.now()
  await signIn(citizens, 8)
  log(
    `${citizens.length} citizens signed in (${((Date.now() - signInStarted) / 1000).toFixed(0)} s)`
  )

  const pdf = paddedPdf(DOCUMENT_BYTES)
  const mix = createMix(citizens, programId, pdf)
  const serverPid = server!.pid!
  const pgPid = postmasterPid()

  log(`Warm-up: ${WARMUP_S} s of the mix and 5 s of the reference at ${RATES[0]} req/s…`)
  const warm = await openLoop({
    rate: RATES[0],
    durationMs: WARMUP_S * 1000,
    next: mix.next,
    shouldStop: () => stopping,
  })
  await openLoop({ rate: RATES[0], durationMs: 5000, next: healthShot, shouldStop: () => stopping })
  const warmSummary = summarize(warm.all)
  log(
    `  warm-up mix: ${warmSummary.count} requests, p50 ${ms(warmSummary.p50)} ms, p99 ${ms(warmSummary.p99)} ms, ${errorText(warmSummary)} errors`
  )
  if (warmSummary.ok === 0) throw new Error('No request of the warm-up succeeded')
  await settle()

  log(
    `Cost per request: each kind alone at ${COST_RATE} req/s for ${COST_SECONDS} s, then 10 in a row counting SQL statements…`
  )
  await withdrawAll(database.ownerUrl)
  mix.refill()
  const { costs, idle } = await measureCosts(
    database.ownerUrl,
    [
      { kind: 'health', shot: healthShot },
      { kind: 'offers', shot: mix.shots.offers },
      { kind: 'submit', shot: mix.shots.submit },
      { kind: 'poll', shot: mix.shots.poll },
    ],
    serverPid,
    pgPid,
    async () => {
      await withdrawAll(database!.ownerUrl)
      mix.refill()
    }
  )
  log(
    `  idle: server ${idle.server.toFixed(1)} %, PostgreSQL ${idle.postgres.toFixed(1)} % of a core`
  )
  for (const cost of costs) {
    log(
      `  ${cost.kind}: server ${cost.serverMs.toFixed(1)} ms, PostgreSQL ${cost.postgresMs.toFixed(1)} ms CPU, ${cost.statements.toFixed(1)} statements per request (${cost.errors} errors)`
    )
  }

  const steps: Measured[] = []
  let saturatedAt: number | null = null
  for (const rate of RATES) {
    if (stopping) break
    let mixResult: StepResult | null = null
    let mixCpu: CpuUse | null = null
    let before = cpuSnapshot(serverPid, pgPid)
    if (saturatedAt === null || ALL_STEPS) {
      const withdrawn = await withdrawAll(database.ownerUrl)
      mix.refill()
      log(`Step ${rate} req/s (${withdrawn} applications withdrawn by SQL to free the children)`)
      await settle()
      before = cpuSnapshot(serverPid, pgPid)
      mixResult = await openLoop({
        rate,
        durationMs: DURATION_S * 1000,
        next: mix.next,
        shouldStop: () => stopping,
      })
      mixCpu = cpuBetween(before, cpuSnapshot(serverPid, pgPid))
      // Not keeping up: higher rates of the mix would only measure a longer queue.
      const summary = summarize(mixResult.all)
      if (achieved(mixResult, summary.ok) < 0.9 * rate) saturatedAt = rate
    } else {
      log(
        `Step ${rate} req/s: the reference only (the mix saturated the server at ${saturatedAt} req/s)`
      )
    }
    await settle()
    before = cpuSnapshot(serverPid, pgPid)
    const reference = await openLoop({
      rate,
      durationMs: DURATION_S * 1000,
      next: healthShot,
      shouldStop: () => stopping,
    })
    const referenceCpu = cpuBetween(before, cpuSnapshot(serverPid, pgPid))
    const step = { rate, mix: mixResult, mixCpu, reference, referenceCpu }
    steps.push(step)
    printStep(step)
  }
  if (stopping) throw new Error('Interrupted: no results written')
  const loadAtEnd = os.loadavg()[0]
  const logged = serverErrors()
  const pgStatements = PG_STATS ? await statementStats(database.ownerUrl) : null

  let profile: ReturnType<typeof profileSummary> | null = null
  let keptProfile: string | null = null
  if (CPU_PROF) {
    await stopServer()
    // One profile per server process (the workers', and the primary's when there are workers).
    const files = existsSync(profileDir)
      ? readdirSync(profileDir).filter((name) => name.endsWith('.cpuprofile'))
      : []
    if (files.length > 0) {
      const stamp = new Date().toISOString().replace(/[:.]/g, '-')
      const kept = files.map((file, index) => {
        const target = path.join(root, 'tmp', `surge-${stamp}-${index + 1}.cpuprofile`)
        copyFileSync(path.join(profileDir, file), target)
        return target
      })
      keptProfile =
        kept.length === 1 ? kept[0] : path.join(root, 'tmp', `surge-${stamp}-*.cpuprofile`)
      profile = profileSummary(kept)
    }
  }

  report(steps, costs, idle, {
    loadAtStart,
    loadAtEnd,
    logged,
    citizens: citizens.length,
    childCount,
  })
  if (pgStatements) {
    console.log('\nPostgreSQL time by statement (pg_stat_statements, whole run, the runtime role):')
    for (const line of pgStatements) console.log(`  ${line}`)
  }
  if (profile) {
    console.log(
      `\nServer CPU profile (whole run, ${Math.round(profile.totalMs)} ms sampled), kept in ${path.relative(root, keptProfile!)}:`
    )
    console.log('Self time by package / app folder:')
    for (const a of profile.areas.slice(0, 15)) {
      console.log(`  ${(100 * a.share).toFixed(1).padStart(5)} %  ${a.name}`)
    }
    console.log('Self time by function:')
    for (const f of profile.functions) {
      console.log(`  ${(100 * f.share).toFixed(1).padStart(5)} %  ${f.name}`)
    }
  }
}

const COST_LABEL: Record<string, string> = {
  health: 'GET /health (the reference)',
  offers: 'GET /portal/offers',
  submit: 'POST /portal/programs/:id/applications (300 KB PDF)',
  poll: 'GET /portal/applications/:id',
}

function costRows(costs: Cost[]) {
  const share: Record<string, number> = { offers: MIX.offers, submit: MIX.submit, poll: MIX.poll }
  const rows = costs.map(
    (c) =>
      `| ${COST_LABEL[c.kind]} | ${c.serverMs.toFixed(1)} | ${c.postgresMs.toFixed(1)} | ${c.statements.toFixed(1)} |`
  )
  const weighted = (pick: (c: Cost) => number) =>
    costs
      .filter((c) => c.kind in share)
      .reduce((sum, c) => sum + (pick(c) * share[c.kind]) / 100, 0)
  const serverMs = weighted((c) => c.serverMs)
  const postgresMs = weighted((c) => c.postgresMs)
  rows.push(
    `| **the mix** (${MIX.offers}/${MIX.submit}/${MIX.poll}, weighted) | ${serverMs.toFixed(1)} | ${postgresMs.toFixed(1)} | ${weighted((c) => c.statements).toFixed(1)} |`
  )
  return { rows, server: serverMs, postgres: postgresMs }
}

function report(
  steps: Measured[],
  costs: Cost[],
  idle: CpuUse,
  info: {
    loadAtStart: number
    loadAtEnd: number
    logged: string[]
    citizens: number
    childCount: number
  }
) {
  const date = new Date().toISOString().slice(0, 10)
  const targetStep = steps.find((s) => s.rate === TARGET.rate)
  const passing = steps.filter(meetsTarget).map((s) => s.rate)
  const best = steps
    .filter((s) => s.mix)
    .map((s) => achieved(s.mix!, summarize(s.mix!.all).ok))
    .reduce((a, b) => Math.max(a, b), 0)
  let verdict: string
  if (!targetStep) verdict = `The ladder did not include ${TARGET.rate} req/s.`
  else if (!targetStep.mix) {
    verdict =
      `**Target missed**: the mix was not run at ${TARGET.rate} req/s because the server could not keep up with ` +
      `it at a lower rate; the most it answered was ${perSecond(best)} req/s.`
  } else {
    const summary = summarize(targetStep.mix.all)
    verdict = meetsTarget(targetStep)
      ? `**Target met**: at ${TARGET.rate} req/s the mix was sustained with p99 ${ms(summary.p99)} ms and no errors.`
      : `**Target missed** at ${TARGET.rate} req/s: achieved ${perSecond(achieved(targetStep.mix, summary.ok))} req/s, ` +
        `p99 ${ms(summary.p99)} ms, ${summary.errors} errors.`
  }
  const cost = costRows(costs)
  const section = [
    '## bench/surge',
    '',
    `Run on ${date} with \`npm run bench:surge\` (${process.argv.slice(2).join(' ') || 'default options'}); ${machineDescription()}; ` +
      `1-minute load average ${info.loadAtStart.toFixed(1)} at the start and ${info.loadAtEnd.toFixed(1)} at the end ` +
      '(a shared machine: other people’s tests and builds may run alongside).',
    '',
    `The school-year-start rush: ${info.citizens} signed-in citizens of ČRDM (Czech, ${info.childCount} children) at once. ` +
      `The mix is ${MIX.offers} % \`GET /portal/offers\`, ${MIX.submit} % \`POST /portal/programs/:id/applications\` ` +
      `(multipart: child, declared child allowance, a valid ${Math.round(DOCUMENT_BYTES / 1024)} KB PDF as ` +
      `\`documents[labour_office_decision]\`) for "Darujeme kroužky dětem (CZ)", and ${MIX.poll} % ` +
      '`GET /portal/applications/:id` of a recent application of the same citizen, all as JSON (`accept: application/json`). ' +
      'The reference is `GET /health` (`{ status: "ok" }`, anonymous) on the same server, measured right after the mix ' +
      `at the same rate. Each step: ${DURATION_S} s of the mix, then ${DURATION_S} s of the reference, after a ` +
      `${WARMUP_S} s warm-up of the mix at the first rate; between steps the bench's submitted applications are ` +
      'withdrawn by SQL (one live application per child, program and period).',
    '',
    'The server is `node ace build` output run as production runs it (README.md): `node bin/server.js` with ' +
      `\`NODE_ENV=production\` and \`WEB_CONCURRENCY=${WORKERS}\` (${workerCount()} worker ${workerCount() === 1 ? 'process' : 'processes'}; ` +
      'cookie sessions, rate limits and mail outbox in PostgreSQL, documents on the local disk, a database pool of 10 ' +
      'per process), ' +
      'on a fresh embedded PostgreSQL 18 (`fsync=off`) on the same machine, with the load generator: all three share ' +
      `the 2 cores. Load is open-loop (undici, up to ${CONNECTIONS} keep-alive connections): requests leave at evenly ` +
      'spaced due times whether or not earlier ones were answered, and latency counts from the due time; a request ' +
      `not answered within ${REQUEST_TIMEOUT_MS / 1000} s is abandoned and counted as an error. Between phases the bench ` +
      'waits until the server is idle again. Sign-in (`POST /login`) happens before the measured window; the bench ' +
      'citizens share one Argon2id hash with low cost parameters so that signing them all in takes seconds.',
    '',
    '"Achieved" is successful answers per second over the time from the first due time to the last answer; ' +
      'latencies are in milliseconds over all answers (errors included).',
    '',
    '| offered req/s | traffic | requests | achieved req/s | p50 | p90 | p99 | max | errors |',
    '| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
    ...steps.flatMap(tableRows),
    '',
    'CPU during each phase, in % of one core ("other processes": what the rest of the machine used, i.e. other ' +
      'people’s work; "machine": % of all cores busy, everything included); "send lag" is the longest delay ' +
      'between a request’s due time and its sending (the load generator keeping up).',
    '',
    '| offered req/s | phase | app server | PostgreSQL | load generator | other processes | machine | send lag ms | CPU ms per request: server + PostgreSQL |',
    '| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...steps.flatMap(cpuRows),
    '',
    `Cost per request, each kind alone (${COST_RATE} req/s for ${COST_SECONDS} s, less what the server and PostgreSQL use when idle: ` +
      `${idle.server.toFixed(1)} % and ${idle.postgres.toFixed(1)} % of a core; statements: 10 requests in a row with ` +
      'PostgreSQL logging every statement, `BEGIN`/`COMMIT` and `set_config` included). At this low rate a request ' +
      'costs more CPU than in a busy server (fewer wake-ups and system calls are shared), so these are upper bounds:',
    '',
    '| request | app server CPU ms | PostgreSQL CPU ms | SQL statements |',
    '| --- | ---: | ---: | ---: |',
    ...cost.rows,
    '',
    `On these figures one Node process could serve about ${Math.round(1000 / cost.server)} req/s of the mix ` +
      `(1000 ms / ${cost.server.toFixed(1)} ms), and the whole machine about ${Math.round(2000 / (cost.server + cost.postgres))} req/s ` +
      `(2 cores / ${(cost.server + cost.postgres).toFixed(1)} ms, before the load generator and anything else); under load a ` +
      'request costs less (the last column of the CPU table).',
    '',
    `Target (${TARGET.rate} req/s of the mix, p99 < ${TARGET.p99Ms} ms, no errors): ${verdict} ` +
      (passing.length > 0
        ? `Steps that met it (achieved ≥ 98 % of offered, p99 < 1 s, no errors): ${passing.join(', ')} req/s.`
        : 'No step met it.'),
    '',
    info.logged.length === 0
      ? 'The server logged no errors.'
      : `The server logged ${info.logged.length} errors; the first: \`${withoutRoot(info.logged[0]).slice(0, 300)}\`.`,
    '',
  ].join('\n')
  console.log(`\n${section}`)
  if (!WRITE) return
  const file = path.join(root, 'bench', 'RESULTS.md')
  const current = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmark results\n\n'
  // Replace this section (up to the next "## " heading) or append it; other sections stay.
  const start = current.indexOf('## bench/surge\n')
  let next = start === -1 ? -1 : current.indexOf('\n## ', start + 1)
  if (next !== -1) next += 1
  const updated =
    start === -1
      ? `${current.trimEnd()}\n\n${section}`
      : `${current.slice(0, start)}${section}${next === -1 ? '' : `\n${current.slice(next)}`}`
  writeFileSync(file, updated.endsWith('\n') ? updated : `${updated}\n`)
  log('Written to bench/RESULTS.md')
}

let code = 0
try {
  await main()
} catch (error) {
  if (!interrupted) console.error(error instanceof Error ? (error.stack ?? error.message) : error)
  if (!interrupted && existsSync(serverLog)) {
    const tail = readFileSync(serverLog, 'utf8').split('\n').slice(-20).join('\n')
    if (tail.trim()) console.error(`Last lines of the server log:\n${tail}`)
  }
  code = 1
} finally {
  await cleanup()
}
log(`Surge benchmark finished in ${elapsed()}`)
process.exit(interrupted ? 130 : code)
