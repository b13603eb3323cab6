/*
 * `npm run dev`: starts the app with demo data on a fresh machine (see bin/dev_runner.ts).
 */
import '@poppinss/ts-exec'

await import('./dev_runner.js')
