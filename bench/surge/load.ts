/*
 * Open-loop load: requests are sent at fixed, evenly spaced times (rate per second), whether or
 * not earlier ones have been answered, as independent citizens would. A request's latency is
 * measured from the time it was due, not from when it left, so a slow server (or a busy load
 * generator) shows in the latency instead of silently lowering the rate (no coordinated
 * omission). HTTP goes through undici (a Pool with many keep-alive connections).
 */
import { performance } from 'node:perf_hooks'

/** What one request came to. */
export interface Outcome {
  /** The answer was the expected one (status and body). */
  ok: boolean
  /** When not ok: a short, stable description, e.g. `HTTP 422 applications.duplicate`. */
  error?: string
  /** When not ok: a sample of what came back, for the report. */
  detail?: string
}

/** One request of the mix: its kind (for per-kind figures) and how to send it. */
export interface Shot {
  kind: string
  send: () => Promise<Outcome>
}

export interface KindStats {
  count: number
  ok: number
  errors: number
  errorKinds: Map<string, { count: number; detail?: string }>
  latencies: number[]
}

export interface StepResult {
  rate: number
  durationMs: number
  /** From the first due time to the last answer. */
  elapsedMs: number
  /** Requests answered during the sending window (due time within it, answer before its end). */
  answeredInWindow: number
  /** The largest delay between a request's due time and the moment it was handed to undici. */
  maxSendLagMs: number
  byKind: Map<string, KindStats>
  all: KindStats
  /** Each request's due time (ms after the start) and latency, in sending order. */
  timeline: { dueMs: number; latencyMs: number; kind: string }[]
}

function emptyStats(): KindStats {
  return { count: 0, ok: 0, errors: 0, errorKinds: new Map(), latencies: [] }
}

function record(stats: KindStats, latency: number, outcome: Outcome) {
  stats.count++
  stats.latencies.push(latency)
  if (outcome.ok) {
    stats.ok++
    return
  }
  stats.errors++
  const key = outcome.error ?? 'unknown error'
  const entry = stats.errorKinds.get(key) ?? { count: 0, detail: outcome.detail }
  entry.count++
  stats.errorKinds.set(key, entry)
}

/**
 * Sends `rate × durationMs / 1000` requests, evenly spaced, each taken from `next()` when it is
 * due; resolves when every one of them has been answered (or failed).
 */
export async function openLoop(options: {
  rate: number
  durationMs: number
  next: () => Shot
  shouldStop?: () => boolean
}): Promise<StepResult> {
  const { rate, durationMs, next } = options
  const total = Math.round((rate * durationMs) / 1000)
  const interval = 1000 / rate
  const byKind = new Map<string, KindStats>()
  const all = emptyStats()
  const inFlight = new Set<Promise<void>>()
  const started = performance.now()
  const windowEnd = started + durationMs
  let lastAnswer = started
  let maxSendLagMs = 0
  let answeredInWindow = 0
  let sent = 0
  const timeline: StepResult['timeline'] = []

  const dispatch = (due: number) => {
    const shot = next()
    const now = performance.now()
    maxSendLagMs = Math.max(maxSendLagMs, now - due)
    const done = shot
      .send()
      .catch((error: any): Outcome => ({
        ok: false,
        error: error?.code ?? error?.name ?? 'client error',
        detail: String(error?.message ?? error).slice(0, 200),
      }))
      .then((outcome) => {
        const end = performance.now()
        lastAnswer = Math.max(lastAnswer, end)
        if (end <= windowEnd) answeredInWindow++
        const stats = byKind.get(shot.kind) ?? emptyStats()
        byKind.set(shot.kind, stats)
        record(stats, end - due, outcome)
        record(all, end - due, outcome)
        timeline.push({ dueMs: due - started, latencyMs: end - due, kind: shot.kind })
      })
    inFlight.add(done)
    void done.finally(() => inFlight.delete(done))
  }

  await new Promise<void>((resolve) => {
    const tick = () => {
      const now = performance.now()
      while (sent < total && started + sent * interval <= now) {
        if (options.shouldStop?.()) {
          sent = total
          break
        }
        dispatch(started + sent * interval)
        sent++
      }
      if (sent >= total) return resolve()
      const wait = started + sent * interval - performance.now()
      setTimeout(tick, Math.max(0, wait))
    }
    tick()
  })
  while (inFlight.size > 0) await Promise.all([...inFlight])
  return {
    rate,
    durationMs,
    elapsedMs: lastAnswer - started,
    answeredInWindow,
    maxSendLagMs,
    byKind,
    all,
    timeline,
  }
}

/** Per second of a step: requests, p50, p99 and the slowest (a look at where latency comes from). */
export function timelineBySecond(result: StepResult) {
  const seconds = new Map<number, number[]>()
  for (const entry of result.timeline) {
    const second = Math.floor(entry.dueMs / 1000)
    const list = seconds.get(second) ?? []
    list.push(entry.latencyMs)
    seconds.set(second, list)
  }
  return [...seconds.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([second, latencies]) => {
      const sorted = Float64Array.from(latencies).sort()
      return {
        second,
        count: sorted.length,
        p50: percentile(sorted, 50),
        p99: percentile(sorted, 99),
        max: sorted[sorted.length - 1],
      }
    })
}

/** A small seeded PRNG (xorshift32) returning floats in [0, 1): the same mix in every run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0 || 0x9e3779b9
  return () => {
    state ^= state << 13
    state >>>= 0
    state ^= state >>> 17
    state ^= state << 5
    state >>>= 0
    return (Math.imul(state, 0x2545f491) >>> 0) / 4294967296
  }
}

/** The p-th percentile (0–100) by nearest rank. */
export function percentile(sorted: ArrayLike<number>, p: number) {
  if (sorted.length === 0) return Number.NaN
  const rank = Math.ceil((p / 100) * sorted.length)
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]
}

export interface Summary {
  count: number
  ok: number
  errors: number
  errorKinds: { kind: string; count: number; detail?: string }[]
  p50: number
  p90: number
  p99: number
  max: number
}

export function summarize(stats: KindStats): Summary {
  const sorted = Float64Array.from(stats.latencies).sort()
  return {
    count: stats.count,
    ok: stats.ok,
    errors: stats.errors,
    errorKinds: [...stats.errorKinds.entries()]
      .map(([kind, { count, detail }]) => ({ kind, count, detail }))
      .sort((a, b) => b.count - a.count),
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    max: sorted.length > 0 ? sorted[sorted.length - 1] : Number.NaN,
  }
}
