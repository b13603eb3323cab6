/*
 * The reference population register for the dev and test launchers.
 */
import { spawn } from 'node:child_process'
import { freePort } from './database_server.js'

/**
 * Starts the reference population register (bin/register_service.js) as a child process on a
 * free port and waits for its /health; the app reaches it through REGISTER_URL/REGISTER_API_KEY.
 */
export async function startRegister(root: string, apiKey: string) {
  const port = await freePort()
  const child = spawn(
    process.execPath,
    ['bin/register_service.js', '--port', String(port), '--api-key', apiKey],
    { cwd: root, env: process.env, stdio: ['ignore', 'ignore', 'inherit'] }
  )
  // Never outlive the launcher, whichever exit hook ends it.
  process.on('exit', () => {
    if (child.exitCode === null) child.kill('SIGKILL')
  })
  const url = `http://127.0.0.1:${port}/`
  const deadline = Date.now() + 15_000
  while (true) {
    if (child.exitCode !== null) throw new Error('The reference register service did not start')
    const healthy = await fetch(`${url}health`)
      .then((response) => response.ok)
      .catch(() => false)
    if (healthy) break
    if (Date.now() > deadline) {
      child.kill('SIGTERM')
      throw new Error('The reference register service did not answer /health')
    }
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve()
        child.once('exit', () => resolve())
        child.kill('SIGTERM')
      }),
  }
}
