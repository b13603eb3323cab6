/*
 * Small helpers for the dev and test launchers: run a child process, read and write .env.
 */
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'

/** Runs a command with inherited stdio; resolves with its exit code. */
export function run(
  command: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv }
) {
  return new Promise<number>((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: 'inherit' })
    child.on('error', reject)
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)))
  })
}

/** Runs a command and throws when it fails. */
export async function runOrThrow(
  command: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv }
) {
  const code = await run(command, args, options)
  if (code !== 0) throw new Error(`${command} ${args.join(' ')} exited with ${code}`)
}

/** Parses KEY=VALUE lines of a .env file (no interpolation). */
export function readEnvFile(file: string): Record<string, string> {
  if (!existsSync(file)) return {}
  const values: Record<string, string> = {}
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const match = line.match(/^\s*([A-Z0-9_]+)\s*=\s*(.*)\s*$/)
    if (match) values[match[1]] = match[2].replace(/^(['"])(.*)\1$/, '$2')
  }
  return values
}

/** Creates .env from .env.example with a fresh APP_KEY when it does not exist yet. */
export function ensureEnvFile(root: string) {
  const envFile = path.join(root, '.env')
  if (existsSync(envFile)) return
  copyFileSync(path.join(root, '.env.example'), envFile)
  const text = readFileSync(envFile, 'utf8').replace(
    /^APP_KEY=.*$/m,
    `APP_KEY=${randomBytes(32).toString('base64url')}`
  )
  writeFileSync(envFile, text)
}
