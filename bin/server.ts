/*
 * HTTP server entrypoint (used by `node ace serve` and by the production build).
 *
 * With WEB_CONCURRENCY set to a number above 1 (or `auto`: one per CPU), this process only
 * starts that many worker processes (node:cluster), which share the port and each run the app;
 * a worker that dies is replaced, and SIGTERM/SIGINT stop them all. Without it, this process
 * runs the app itself. The app keeps no state between requests that a worker could disagree on:
 * sessions are cookies, rate limits are in PostgreSQL, and the in-process caches are checked
 * against the database at the start of every request
 * (docs/decisions/0020-worker-processes.md).
 */
import 'reflect-metadata'
import cluster from 'node:cluster'
import os from 'node:os'
import { Ignitor, prettyPrintError } from '@adonisjs/core'

const APP_ROOT = new URL('../', import.meta.url)

const IMPORTER = (filePath: string) => {
  if (filePath.startsWith('./') || filePath.startsWith('../')) {
    return import(new URL(filePath, APP_ROOT).href)
  }
  return import(filePath)
}

/** Worker processes wanted: WEB_CONCURRENCY (a number, or `auto` for one per CPU); 1 by default. */
function workersWanted() {
  const value = (process.env.WEB_CONCURRENCY ?? '').trim()
  if (value === '') return 1
  if (value === 'auto') return os.availableParallelism()
  const count = Number(value)
  if (!Number.isInteger(count) || count < 1) {
    throw new Error(`WEB_CONCURRENCY must be a positive whole number or "auto", not "${value}"`)
  }
  return count
}

function startApp() {
  new Ignitor(APP_ROOT, { importer: IMPORTER })
    .tap((app) => {
      app.booting(async () => {
        await import('#start/env')
      })
      app.listen('SIGTERM', () => app.terminate())
      app.listenIf(app.managedByPm2 || cluster.isWorker, 'SIGINT', () => app.terminate())
    })
    .httpServer()
    .start()
    .catch((error) => {
      process.exitCode = 1
      prettyPrintError(error)
    })
}

/** Starts the workers, replaces one that dies, and stops them all on SIGTERM or SIGINT. */
function startWorkers(count: number) {
  let stopping = false
  const startedAt = new Map<number, number>()
  const fork = () => {
    const worker = cluster.fork()
    startedAt.set(worker.id, Date.now())
  }
  cluster.on('exit', (worker, code, signal) => {
    const lived = Date.now() - (startedAt.get(worker.id) ?? 0)
    startedAt.delete(worker.id)
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0)
      return
    }
    console.error(`Worker ${worker.process.pid} exited (${signal ?? code}); starting another`)
    // A worker that cannot even boot would be restarted forever: give up instead.
    if (lived < 5000 && code !== 0) {
      console.error('The worker died while starting; stopping the server')
      stop('SIGTERM')
      process.exitCode = 1
      return
    }
    fork()
  })
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return
    stopping = true
    const workers = Object.values(cluster.workers ?? {})
    if (workers.length === 0) process.exit()
    for (const worker of workers) worker?.process.kill(signal)
  }
  process.on('SIGTERM', () => stop('SIGTERM'))
  process.on('SIGINT', () => stop('SIGTERM'))
  for (let i = 0; i < count; i++) fork()
}

const workers = cluster.isPrimary ? workersWanted() : 1
if (cluster.isPrimary && workers > 1) startWorkers(workers)
else startApp()
