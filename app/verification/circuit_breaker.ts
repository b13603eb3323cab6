/*
 * A small circuit breaker: closed (calls pass, consecutive failures are counted) → open after
 * `failureThreshold` consecutive failures (calls are refused at once) → half-open once
 * `coolDownMs` has passed (exactly one trial call is let through) → closed when the trial
 * succeeds, open again (for another cool-down) when it fails.
 *
 * Every admitted call gets a permit tied to the state it was admitted in, so the late result of
 * a call admitted before the breaker opened cannot close it or be mistaken for the trial.
 */

/** The three states of a circuit breaker. */
export type CircuitState = 'closed' | 'open' | 'half_open'

/** A source of the current time in milliseconds, injectable so tests can move time by hand. */
export interface Clock {
  now(): number
}

/** The real clock. */
export const systemClock: Clock = { now: () => Date.now() }

/** Settings of a circuit breaker. */
export interface CircuitBreakerOptions {
  /** Consecutive failures that open the circuit (default 5). */
  failureThreshold?: number
  /** How long the circuit stays open before one trial call is allowed (default 30 s). */
  coolDownMs?: number
  clock?: Clock
  /** Called on every state change (for metrics; receives no details of the calls). */
  onStateChange?: (from: CircuitState, to: CircuitState) => void
}

/** Permission to make one call; report how it went exactly once. */
export interface CircuitPermit {
  success(): void
  failure(): void
}

/** Thrown by `execute()` when the circuit is open. */
export class CircuitOpenError extends Error {
  /** Marks the error for callers that cannot use instanceof across module copies. */
  readonly code = 'circuit_open'

  constructor() {
    super('Circuit open: the remote service is not being called')
    this.name = 'CircuitOpenError'
  }
}

/** A reusable circuit breaker with an injectable clock. */
export class CircuitBreaker {
  readonly failureThreshold: number
  readonly coolDownMs: number
  #clock: Clock
  #onStateChange?: (from: CircuitState, to: CircuitState) => void
  #state: CircuitState = 'closed'
  #failures = 0
  #openedAt = 0
  #trialInFlight = false
  /** Incremented on every state change; permits of an older generation are ignored. */
  #generation = 0

  constructor(options: CircuitBreakerOptions = {}) {
    this.failureThreshold = Math.max(1, options.failureThreshold ?? 5)
    this.coolDownMs = Math.max(0, options.coolDownMs ?? 30_000)
    this.#clock = options.clock ?? systemClock
    this.#onStateChange = options.onStateChange
  }

  /** The current state; an open circuit whose cool-down has passed reads as half-open. */
  get state(): CircuitState {
    if (this.#state === 'open' && this.#clock.now() - this.#openedAt >= this.coolDownMs) {
      return 'half_open'
    }
    return this.#state
  }

  /** Consecutive failures counted while closed. */
  get consecutiveFailures(): number {
    return this.#failures
  }

  /** Asks to make one call: a permit, or null when the circuit is open (or its one trial is already running). */
  tryAcquire(): CircuitPermit | null {
    const state = this.state
    if (state === 'open') return null
    if (state === 'half_open') {
      if (this.#state === 'open') this.#transition('half_open')
      if (this.#trialInFlight) return null
      this.#trialInFlight = true
    }
    return this.#permit(this.#generation)
  }

  /** Runs `work` through the breaker; errors for which `isFailure` is false count as successes (the service answered). */
  async execute<T>(
    work: () => Promise<T>,
    options: { isFailure?: (error: unknown) => boolean } = {}
  ): Promise<T> {
    const permit = this.tryAcquire()
    if (!permit) throw new CircuitOpenError()
    try {
      const result = await work()
      permit.success()
      return result
    } catch (error) {
      if (options.isFailure?.(error) ?? true) permit.failure()
      else permit.success()
      throw error
    }
  }

  #permit(generation: number): CircuitPermit {
    let used = false
    const settle = (ok: boolean) => {
      if (used) return
      used = true
      if (generation !== this.#generation) return
      if (ok) this.#onSuccess()
      else this.#onFailure()
    }
    return { success: () => settle(true), failure: () => settle(false) }
  }

  #onSuccess() {
    if (this.#state === 'half_open') {
      this.#trialInFlight = false
      this.#transition('closed')
    }
    this.#failures = 0
  }

  #onFailure() {
    if (this.#state === 'half_open') {
      this.#trialInFlight = false
      this.#open()
      return
    }
    if (this.#state === 'closed') {
      this.#failures++
      if (this.#failures >= this.failureThreshold) this.#open()
    }
  }

  #open() {
    this.#openedAt = this.#clock.now()
    this.#transition('open')
  }

  #transition(to: CircuitState) {
    const from = this.#state
    if (from === to) return
    this.#state = to
    this.#generation++
    if (to === 'closed' || to === 'open') this.#failures = 0
    this.#onStateChange?.(from, to)
  }
}
