import { test } from '@japa/runner'
import { createServer } from 'node:net'
import { CircuitBreaker, type Clock } from '#verification/circuit_breaker'
import {
  backoffDelay,
  HttpPopulationRegister,
  RegisterRequestError,
  type HttpPopulationRegisterOptions,
  type VerificationLogger,
} from '#verification/register_client'
import { startRegisterService, type RegisterServiceHandle } from '#verification/reference_register'

const API_KEY = 'test-register-key-0001'

let service: RegisterServiceHandle

/** Lookups the service received while `work` ran. */
async function countLookups<T>(work: () => Promise<T>): Promise<{ result: T; lookups: number }> {
  const before = service.stats().lookups
  const result = await work()
  return { result, lookups: service.stats().lookups - before }
}

/** An adapter against the running reference service; no real waiting between retries. */
function client(options: Partial<HttpPopulationRegisterOptions> = {}) {
  const sleeps: number[] = []
  const register = new HttpPopulationRegister({
    baseUrl: service.url,
    apiKey: API_KEY,
    timeoutMs: 1000,
    sleep: async (ms) => {
      sleeps.push(ms)
    },
    ...options,
  })
  return { register, sleeps }
}

function manualClock(): Clock & { advance(ms: number): void } {
  let now = 0
  return { now: () => now, advance: (ms) => (now += ms) }
}

function memoryLogger(): VerificationLogger & { lines: unknown[] } {
  const lines: unknown[] = []
  return {
    lines,
    warn: (details, message) => lines.push({ details, message }),
    info: (details, message) => lines.push({ details, message }),
  }
}

const lucie = { fullName: 'Lucie Nováková', birthDate: '1988-04-12' }

test.group('HttpPopulationRegister against the reference register', (group) => {
  group.setup(async () => {
    service = await startRegisterService({ port: 0, host: '127.0.0.1', apiKey: API_KEY })
    return () => service.close()
  })
  group.each.setup(() => service.setFaults({ failRate: 0, failStatus: 503, delayMs: 0 }))

  test('match: a resident of the tenant asked about', async ({ assert }) => {
    const { register } = client()
    const result = await register.lookup({ ...lucie, tenant: 'praha-5' })
    assert.deepEqual(result, {
      status: 'match',
      residentOf: { municipalityCode: '500143', tenant: 'praha-5' },
      details: {
        nameCompared: { given: 'Lucie Nováková', register: 'Lucie Nováková' },
        reasons: [],
      },
    })
  })

  test('match with birth number and address, explaining the leniencies used', async ({
    assert,
  }) => {
    const { register } = client()
    const result = await register.lookup({
      fullName: 'NOVAKOVA Lucie',
      birthDate: '1988-04-12',
      birthNumber: '885412/1001',
      address: { street: 'Štefánikova 12', city: 'Praha', postcode: '150 00' },
      tenant: 'praha-5',
    })
    assert.equal(result.status, 'match')
    assert.deepEqual(result.details.reasons, ['diacritics_only', 'name_order_swapped'])
  })

  test('match of a Ukrainian resident typed in Cyrillic or Czech transliteration', async ({
    assert,
  }) => {
    const { register } = client()
    for (const fullName of ['Олена Шевченко', 'Olena Ševčenko', 'Olena Shevchenko']) {
      const result = await register.lookup({ fullName, birthDate: '1986-08-22', tenant: 'praha-5' })
      assert.equal(result.status, 'match', fullName)
      assert.include(result.details.reasons, 'temporary_protection')
      assert.equal(result.details.nameCompared.register, 'Olena Shevchenko')
    }
  })

  test('no_match: nobody of that name and birth date', async ({ assert }) => {
    const { register } = client()
    const result = await register.lookup({ fullName: 'Karel Nový', birthDate: '1991-01-01' })
    assert.deepEqual(result, {
      status: 'no_match',
      details: { nameCompared: { given: 'Karel Nový', register: null }, reasons: ['not_found'] },
    })
  })

  test('name_mismatch is explained: family name differs for the birth number given', async ({
    assert,
  }) => {
    const { register } = client()
    const result = await register.lookup({
      fullName: 'Lucie Novotná',
      birthDate: '1988-04-12',
      birthNumber: '8854121001',
    })
    assert.deepEqual(result, {
      status: 'name_mismatch',
      details: {
        nameCompared: { given: 'Lucie Novotná', register: 'Lucie Nováková' },
        reasons: ['family_name_differs'],
      },
    })
  })

  test('name_mismatch: a given-name typo for the same family name and birth date', async ({
    assert,
  }) => {
    const { register } = client()
    const result = await register.lookup({ fullName: 'Lenka Nováková', birthDate: '1988-04-12' })
    assert.equal(result.status, 'name_mismatch')
    assert.deepEqual(result.details.reasons, ['given_name_differs'])
  })

  test('not_resident: the person lives in another municipality than asked', async ({ assert }) => {
    const { register } = client()
    // The other Lucie Nováková, born 1992, lives in Praha 6.
    const result = await register.lookup({
      fullName: 'Lucie Nováková',
      birthDate: '1992-09-05',
      tenant: 'praha-5',
    })
    assert.deepEqual(result, {
      status: 'not_resident',
      residentOf: { municipalityCode: '500178', tenant: 'praha-6' },
      details: {
        nameCompared: { given: 'Lucie Nováková', register: 'Lucie Nováková' },
        reasons: ['municipality_differs'],
      },
    })
    const byAddress = await register.lookup({ ...lucie, address: { city: 'Olomouc' } })
    assert.equal(byAddress.status, 'not_resident')
    assert.deepEqual(byAddress.details.reasons, ['city_differs'])
  })

  test('a nationwide tenant (no municipality) asks for no residency check', async ({ assert }) => {
    const { register } = client()
    const result = await register.lookup({ ...lucie, tenant: 'crdm' })
    assert.equal(result.status, 'match')
    assert.equal(result.residentOf?.tenant, 'praha-5')
  })

  test('an invalid birth number is settled without calling the register', async ({ assert }) => {
    const { register } = client()
    const { result, lookups } = await countLookups(() =>
      register.lookup({ ...lucie, birthNumber: '885412/1002' })
    )
    assert.equal(lookups, 0)
    assert.equal(result.status, 'no_match')
    assert.deepEqual(result.details.reasons, ['birth_number_invalid'])
  })

  test('wrong API key: an error, not retried, breaker untouched', async ({ assert }) => {
    const { register } = client({ apiKey: 'wrong-key' })
    const before = service.stats().lookups
    try {
      await register.lookup(lucie)
      assert.fail('should have thrown')
    } catch (error) {
      assert.instanceOf(error, RegisterRequestError)
      assert.equal((error as RegisterRequestError).code, 'unauthorized')
      assert.equal((error as RegisterRequestError).httpStatus, 401)
    }
    assert.equal(service.stats().lookups - before, 1)
    assert.equal(register.breaker.state, 'closed')
    assert.equal(register.breaker.consecutiveFailures, 0)
  })

  test('4xx are never retried (400 from the register, 404 on a wrong path)', async ({ assert }) => {
    const { register, sleeps } = client()
    const tooLong = { fullName: 'Lucie '.repeat(40) + 'Nováková', birthDate: '1988-04-12' }
    const bad = await countLookups(() => register.lookup(tooLong).catch((error) => error))
    assert.instanceOf(bad.result, RegisterRequestError)
    assert.equal(bad.result.code, 'bad_request')
    assert.equal(bad.lookups, 1)

    const wrongPath = client({ baseUrl: `${service.url}nowhere/` })
    await assert.rejects(() => wrongPath.register.lookup(lucie), /client_error, HTTP 404/)
    assert.deepEqual([...sleeps, ...wrongPath.sleeps], [])
  })

  test('timeout: retried with backoff, then unavailable', async ({ assert }) => {
    service.setFaults({ delayMs: 300 })
    const { register, sleeps } = client({ timeoutMs: 50, retries: 2, random: () => 0.5 })
    const { result, lookups } = await countLookups(() => register.lookup(lucie))
    assert.equal(lookups, 3)
    assert.deepEqual(result, {
      status: 'unavailable',
      details: { nameCompared: { given: 'Lucie Nováková', register: null }, reasons: ['timeout'] },
    })
    // 200 ms then 400 ms ceilings, half fixed and half jitter: 150 and 300 with random() = 0.5.
    assert.deepEqual(sleeps, [150, 300])
  })

  test('502/503/504 are retried; a later success is returned', async ({ assert }) => {
    service.setFaults({ failRate: 1, failStatus: 503 })
    let calls = 0
    const { register } = client({
      retries: 2,
      // The third attempt finds the service healthy again.
      sleep: async () => {
        calls++
        if (calls === 2) service.setFaults({ failRate: 0 })
      },
    })
    const { result, lookups } = await countLookups(() => register.lookup(lucie))
    assert.equal(lookups, 3)
    assert.equal(result.status, 'match')
  })

  test('500 and 429 are not retried: unavailable at once', async ({ assert }) => {
    const { register, sleeps } = client({ retries: 2 })
    service.setFaults({ failRate: 1, failStatus: 500 })
    const internal = await countLookups(() => register.lookup(lucie))
    assert.equal(internal.lookups, 1)
    assert.deepEqual(internal.result.details.reasons, ['server_error'])
    service.setFaults({ failStatus: 429 })
    const limited = await countLookups(() => register.lookup(lucie))
    assert.equal(limited.lookups, 1)
    assert.equal(limited.result.status, 'unavailable')
    assert.deepEqual(limited.result.details.reasons, ['rate_limited'])
    assert.deepEqual(sleeps, [])
  })

  test('network error: retried, then unavailable', async ({ assert }) => {
    // A port that was free a moment ago: nothing listens there.
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port: free } = probe.address() as { port: number }
        probe.close(() => resolve(free))
      })
    })
    const { register, sleeps } = client({ baseUrl: `http://127.0.0.1:${port}/`, retries: 2 })
    const result = await register.lookup(lucie)
    assert.equal(result.status, 'unavailable')
    assert.deepEqual(result.details.reasons, ['network_error'])
    assert.lengthOf(sleeps, 2)
  })

  test('circuit breaker opens after N failures and recovers after the cool-down', async ({
    assert,
  }) => {
    const clock = manualClock()
    const breaker = new CircuitBreaker({ failureThreshold: 3, coolDownMs: 30_000, clock })
    const { register } = client({ retries: 0, breaker })
    service.setFaults({ failRate: 1, failStatus: 503 })

    const failing = await countLookups(async () => {
      const results = []
      for (let i = 0; i < 3; i++) results.push(await register.lookup(lucie))
      return results
    })
    assert.equal(failing.lookups, 3)
    assert.deepEqual(
      failing.result.map((r) => r.details.reasons[0]),
      ['server_error', 'server_error', 'server_error']
    )
    assert.equal(breaker.state, 'open')

    // Open: answered at once, the register is not called.
    const refused = await countLookups(() => register.lookup(lucie))
    assert.equal(refused.lookups, 0)
    assert.deepEqual(refused.result.details.reasons, ['circuit_open'])

    // The register recovers, but the breaker waits for its cool-down.
    service.setFaults({ failRate: 0 })
    clock.advance(29_999)
    assert.equal((await countLookups(() => register.lookup(lucie))).lookups, 0)

    clock.advance(1)
    assert.equal(breaker.state, 'half_open')
    const trial = await countLookups(() => register.lookup(lucie))
    assert.equal(trial.lookups, 1)
    assert.equal(trial.result.status, 'match')
    assert.equal(breaker.state, 'closed')
  })

  test('a failed trial keeps the circuit open; retries stop when it opens', async ({ assert }) => {
    const clock = manualClock()
    const breaker = new CircuitBreaker({ failureThreshold: 2, coolDownMs: 10_000, clock })
    const { register } = client({ retries: 5, breaker })
    service.setFaults({ failRate: 1, failStatus: 502 })

    // Two failed attempts open the circuit; the remaining retries are not made.
    const first = await countLookups(() => register.lookup(lucie))
    assert.equal(first.lookups, 2)
    assert.deepEqual(first.result.details.reasons, ['server_error'])
    assert.equal(breaker.state, 'open')

    clock.advance(10_000)
    const trial = await countLookups(() => register.lookup(lucie))
    assert.equal(trial.lookups, 1, 'half-open: one trial request, no retries')
    assert.equal(breaker.state, 'open')

    clock.advance(10_000)
    service.setFaults({ failRate: 0 })
    assert.equal((await register.lookup(lucie)).status, 'match')
    assert.equal(breaker.state, 'closed')
  })

  test('logs carry no personal data', async ({ assert }) => {
    const logger = memoryLogger()
    const breaker = new CircuitBreaker({ failureThreshold: 2, clock: manualClock() })
    service.setFaults({ delayMs: 200 })
    const { register } = client({ timeoutMs: 20, retries: 1, breaker, logger })
    const person = {
      fullName: 'Lucie Nováková',
      birthDate: '1988-04-12',
      birthNumber: '885412/1001',
      address: { street: 'Štefánikova 12', city: 'Praha 5' },
    }
    await register.lookup(person)
    await client({ apiKey: 'wrong', logger })
      .register.lookup(person)
      .catch(() => {})
    const logged = JSON.stringify(logger.lines)
    assert.isAbove(logger.lines.length, 2)
    for (const secret of ['Lucie', 'Nov', '1988', '885412', '8854121001', 'Štefánikova', 'Praha']) {
      assert.notInclude(logged, secret)
    }
  })

  test('backoff grows exponentially up to the cap, with jitter in the upper half', ({ assert }) => {
    const settings = { baseMs: 200, maxMs: 2000 }
    assert.deepEqual(
      [0, 1, 2, 3, 4, 5].map((n) => backoffDelay(n, settings, () => 0)),
      [100, 200, 400, 800, 1000, 1000]
    )
    assert.deepEqual(
      [0, 1, 2, 3, 4, 5].map((n) => backoffDelay(n, settings, () => 1)),
      [200, 400, 800, 1600, 2000, 2000]
    )
  })
})
