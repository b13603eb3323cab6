/*
 * `npm test`: every test suite against a fresh embedded PostgreSQL, or DATABASE_URL when set
 * (see bin/test_runner.ts). Extra arguments go to `node ace test` (e.g. `npm test -- unit`).
 */
import '@poppinss/ts-exec'

await import('./test_runner.js')
