import { test } from '@japa/runner'
import { CircuitBreaker, CircuitOpenError, type Clock } from '#verification/circuit_breaker'

/** A clock moved by hand. */
function manualClock(start = 1_000_000): Clock & { advance(ms: number): void } {
  let now = start
  return { now: () => now, advance: (ms) => (now += ms) }
}

function fail(breaker: CircuitBreaker, times: number) {
  for (let i = 0; i < times; i++) breaker.tryAcquire()!.failure()
}

test.group('Circuit breaker', () => {
  test('opens after N consecutive failures and refuses calls', ({ assert }) => {
    const clock = manualClock()
    const breaker = new CircuitBreaker({ failureThreshold: 3, coolDownMs: 10_000, clock })
    fail(breaker, 2)
    assert.equal(breaker.state, 'closed')
    assert.equal(breaker.consecutiveFailures, 2)
    fail(breaker, 1)
    assert.equal(breaker.state, 'open')
    assert.isNull(breaker.tryAcquire())
  })

  test('a success resets the count of consecutive failures', ({ assert }) => {
    const breaker = new CircuitBreaker({ failureThreshold: 3, clock: manualClock() })
    fail(breaker, 2)
    breaker.tryAcquire()!.success()
    fail(breaker, 2)
    assert.equal(breaker.state, 'closed')
  })

  test('half-open after the cool-down lets exactly one trial through; success closes', ({
    assert,
  }) => {
    const clock = manualClock()
    const changes: string[] = []
    const breaker = new CircuitBreaker({
      failureThreshold: 1,
      coolDownMs: 5000,
      clock,
      onStateChange: (from, to) => changes.push(`${from}->${to}`),
    })
    fail(breaker, 1)
    clock.advance(4999)
    assert.equal(breaker.state, 'open')
    assert.isNull(breaker.tryAcquire())
    clock.advance(1)
    assert.equal(breaker.state, 'half_open')
    const trial = breaker.tryAcquire()
    assert.isNotNull(trial)
    assert.isNull(breaker.tryAcquire(), 'a second call while the trial runs is refused')
    trial!.success()
    assert.equal(breaker.state, 'closed')
    assert.isNotNull(breaker.tryAcquire())
    assert.deepEqual(changes, ['closed->open', 'open->half_open', 'half_open->closed'])
  })

  test('a failed trial opens the circuit for another full cool-down', ({ assert }) => {
    const clock = manualClock()
    const breaker = new CircuitBreaker({ failureThreshold: 2, coolDownMs: 1000, clock })
    fail(breaker, 2)
    clock.advance(1000)
    breaker.tryAcquire()!.failure()
    assert.equal(breaker.state, 'open')
    clock.advance(999)
    assert.isNull(breaker.tryAcquire())
    clock.advance(1)
    assert.equal(breaker.state, 'half_open')
  })

  test('late results of calls admitted before the circuit opened change nothing', ({ assert }) => {
    const clock = manualClock()
    const breaker = new CircuitBreaker({ failureThreshold: 2, coolDownMs: 1000, clock })
    const slow = breaker.tryAcquire()!
    fail(breaker, 2)
    assert.equal(breaker.state, 'open')
    slow.success()
    assert.equal(breaker.state, 'open')
    clock.advance(1000)
    const trial = breaker.tryAcquire()!
    slow.failure() // settled twice: ignored
    assert.equal(breaker.state, 'half_open')
    trial.success()
    assert.equal(breaker.state, 'closed')
  })

  test('execute() throws CircuitOpenError when open and counts only real failures', async ({
    assert,
  }) => {
    const breaker = new CircuitBreaker({ failureThreshold: 2, clock: manualClock() })
    const refused = new Error('refused')
    for (let i = 0; i < 5; i++) {
      await assert.rejects(() =>
        breaker.execute(() => Promise.reject(refused), { isFailure: (error) => error !== refused })
      )
    }
    assert.equal(breaker.state, 'closed')
    assert.equal(await breaker.execute(async () => 42), 42)
    await assert.rejects(() => breaker.execute(() => Promise.reject(new Error('down'))))
    await assert.rejects(() => breaker.execute(() => Promise.reject(new Error('down'))))
    assert.equal(breaker.state, 'open')
    try {
      await breaker.execute(async () => 1)
      assert.fail('should have thrown')
    } catch (error) {
      assert.instanceOf(error, CircuitOpenError)
    }
  })
})
