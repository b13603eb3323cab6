/*
 * What the machine did during a step: CPU time of the app server, of PostgreSQL (the postmaster
 * and its backends), of the load generator, and of the whole machine, read from /proc (Linux);
 * the machine's description; and a summary of a V8 CPU profile of the server.
 */
import { execFileSync } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import os from 'node:os'

let ticksPerSecond = 100
try {
  ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100
} catch {}

/** utime + stime (+ cutime + cstime with `children`) of a process in seconds; 0 when gone. */
function processSeconds(pid: number, children = false) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    // Fields after the command: state is [0], so utime (14th field) is [11].
    let ticks = Number(fields[11]) + Number(fields[12])
    if (children) ticks += Number(fields[13]) + Number(fields[14])
    return ticks / ticksPerSecond
  } catch {
    return 0
  }
}

function descendantsOf(pid: number) {
  const parentOf = new Map<number, number>()
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
      parentOf.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]))
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

/** Busy and total jiffies of the whole machine (/proc/stat). */
function machineTicks() {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]
  const values = line.trim().split(/\s+/).slice(1).map(Number)
  const idle = values[3] + (values[4] ?? 0)
  const total = values.reduce((sum, v) => sum + v, 0)
  return { busy: total - idle, total }
}

export interface CpuSnapshot {
  at: number
  server: number
  postgres: number
  generator: number
  machine: { busy: number; total: number }
}

/** A process with its exited and live descendants, in CPU seconds. */
function treeSeconds(pid: number) {
  let seconds = processSeconds(pid, true)
  for (const child of descendantsOf(pid)) seconds += processSeconds(child)
  return seconds
}

/**
 * CPU counters now: the app server with its worker processes, PostgreSQL (the postmaster with
 * its backends), both with the exited ones.
 */
export function cpuSnapshot(serverPid: number, postmasterPid: number | null): CpuSnapshot {
  const postgres = postmasterPid ? treeSeconds(postmasterPid) : 0
  const own = process.cpuUsage()
  return {
    at: performance.now(),
    server: treeSeconds(serverPid),
    postgres,
    generator: (own.user + own.system) / 1e6,
    machine: machineTicks(),
  }
}

/** CPU use between two snapshots, in % of one core (machine: % of all cores busy). */
export function cpuBetween(a: CpuSnapshot, b: CpuSnapshot) {
  const seconds = (b.at - a.at) / 1000
  const pct = (x: number) => (100 * x) / seconds
  const total = b.machine.total - a.machine.total
  return {
    server: pct(b.server - a.server),
    // Backends that ended between the snapshots are counted once their parent has reaped them.
    postgres: Math.max(0, pct(b.postgres - a.postgres)),
    generator: pct(b.generator - a.generator),
    machine: total > 0 ? (100 * (b.machine.busy - a.machine.busy)) / total : Number.NaN,
  }
}

export type CpuUse = ReturnType<typeof cpuBetween>

/** The machine, for the report. */
export function machineDescription() {
  const cpus = os.cpus()
  return (
    `${cpus[0]?.model ?? 'unknown CPU'}, ${cpus.length} cores, ` +
    `${Math.round(os.totalmem() / 2 ** 30)} GiB RAM, ${os.platform()} ${os.release()} ${os.arch()}, ` +
    `Node ${process.version}`
  )
}

interface ProfileNode {
  id: number
  callFrame: { functionName: string; url: string; lineNumber: number }
}

/**
 * The functions (and the packages or app folders) where V8 CPU profiles (one per server process)
 * spent their own time, together, largest first.
 */
export function profileSummary(files: string[], top = 25) {
  const selfByFunction = new Map<string, number>()
  const selfByArea = new Map<string, number>()
  let total = 0
  for (const file of files) {
    const profile = JSON.parse(readFileSync(file, 'utf8')) as {
      nodes: ProfileNode[]
      samples: number[]
      timeDeltas: number[]
    }
    const nodes = new Map(profile.nodes.map((node) => [node.id, node]))
    profile.samples.forEach((id, index) => {
      const delta = profile.timeDeltas[index] ?? 0
      const frame = nodes.get(id)?.callFrame
      if (!frame) return
      total += delta
      const url = frame.url.replace(/^file:\/\//, '')
      const where = url.includes('/node_modules/')
        ? url.slice(url.lastIndexOf('/node_modules/') + 14)
        : url.replace(/^.*\/build\//, '')
      const fn = `${frame.functionName || '(anonymous)'} ${where ? `${where}:${frame.lineNumber + 1}` : ''}`
      selfByFunction.set(fn, (selfByFunction.get(fn) ?? 0) + delta)
      let area = '(V8 / native: ' + (frame.functionName || 'program') + ')'
      if (url.includes('/node_modules/')) {
        const rest = url.slice(url.lastIndexOf('/node_modules/') + 14).split('/')
        area = rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]
      } else if (url.startsWith('node:')) area = url
      else if (url) area = where.split('/').slice(0, 2).join('/')
      selfByArea.set(area, (selfByArea.get(area) ?? 0) + delta)
    })
  }
  const rank = (map: Map<string, number>) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, micros]) => ({ name, ms: micros / 1000, share: micros / total }))
  return { totalMs: total / 1000, functions: rank(selfByFunction), areas: rank(selfByArea) }
}
