import { execSync } from 'node:child_process'
import { chromium, type LaunchOptions } from 'playwright'

/** Path of the system Chromium (Debian package), overridable with CHROMIUM_PATH. */
export function chromiumPath(): string {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH
  for (const name of ['chromium', 'chromium-browser']) {
    try {
      return execSync(`command -v ${name}`, { encoding: 'utf8' }).trim()
    } catch {}
  }
  throw new Error(
    'Chromium not found: install it (apt-get install -y chromium) or set CHROMIUM_PATH'
  )
}

/** Launches the system Chromium headless with the flags this sandbox needs. */
export function launchChromium(options?: LaunchOptions) {
  return chromium.launch({
    ...options,
    headless: true,
    executablePath: chromiumPath(),
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-quic',
      '--no-first-run',
    ],
  })
}
