/*
 * `node bin/register_service.js`: the reference population register (see bin/register_service_runner.ts).
 */
import '@poppinss/ts-exec'

await import('./register_service_runner.js')
