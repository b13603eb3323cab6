/*
 * Reference population register service: answers `POST /v1/lookup` from a CSV of residents,
 * the protocol the platform's HttpPopulationRegister speaks (app/verification/). For local
 * development and tests; never a real register.
 *
 *   node bin/register_service.js --api-key dev-register-key [--port 8790] [--host 127.0.0.1]
 *     [--csv resources/register/residents.csv] [--fail-rate 0.3] [--delay-ms 500]
 *
 * The API key may also come from REGISTER_API_KEY. --fail-rate (0 to 1) answers that share of
 * lookups with 503, --delay-ms delays every answer: both are for exercising timeouts, retries and
 * the circuit breaker.
 */
import { parseArgs } from 'node:util'
import { startRegisterService } from '#verification/reference_register'

const usage =
  'Usage: node bin/register_service.js --api-key KEY [--port 8790] [--host 127.0.0.1] [--csv FILE] [--fail-rate 0..1] [--delay-ms MS]'

let values: Record<string, string | boolean | undefined>
try {
  ;({ values } = parseArgs({
    options: {
      'port': { type: 'string', default: '8790' },
      'host': { type: 'string', default: '127.0.0.1' },
      'csv': { type: 'string' },
      'api-key': { type: 'string' },
      'fail-rate': { type: 'string', default: '0' },
      'delay-ms': { type: 'string', default: '0' },
      'help': { type: 'boolean', short: 'h' },
    },
    strict: true,
  }))
} catch (error) {
  console.error(error instanceof Error ? error.message : error)
  console.error(usage)
  process.exit(2)
}

if (values.help) {
  console.log(usage)
  process.exit(0)
}

const apiKey = (values['api-key'] as string | undefined) ?? process.env.REGISTER_API_KEY
const port = Number(values.port)
const failRate = Number(values['fail-rate'])
const delayMs = Number(values['delay-ms'])
const problems: string[] = []
if (!apiKey) problems.push('an API key is required (--api-key or REGISTER_API_KEY)')
if (!Number.isInteger(port) || port < 0 || port > 65535) problems.push('--port must be 0 to 65535')
if (!(failRate >= 0 && failRate <= 1)) problems.push('--fail-rate must be between 0 and 1')
if (!Number.isInteger(delayMs) || delayMs < 0)
  problems.push('--delay-ms must be a whole number >= 0')
if (problems.length > 0) {
  for (const problem of problems) console.error(problem)
  console.error(usage)
  process.exit(2)
}

try {
  const service = await startRegisterService({
    port,
    host: values.host as string,
    apiKey: apiKey!,
    csvPath: values.csv as string | undefined,
    failRate,
    delayMs,
    log: (line) => console.log(line),
  })
  console.log(
    `Reference population register: ${service.residentCount} residents, POST ${service.url}v1/lookup` +
      (failRate > 0 || delayMs > 0 ? ` (fail rate ${failRate}, delay ${delayMs} ms)` : '')
  )
  const stop = () => {
    service.close().finally(() => process.exit(0))
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
} catch (error) {
  console.error(error instanceof Error ? error.message : error)
  process.exit(1)
}
