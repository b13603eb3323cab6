/*
 * Fixture plugins for the plugin engine tests: written into temporary roots under tmp/ (never into
 * plugins/), each root used by one test and removed afterwards.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

/** The project root. */
export const PROJECT_ROOT = fileURLToPath(new URL('../../../', import.meta.url))

/** The plugin engine folder as an import specifier usable from any folder. */
export const ENGINE = new URL('../../../app/plugin_engine', import.meta.url).href

/** A label in the four locales, as fixture source text. */
export const LABEL_SOURCE = `{ cs: 'Pole', en: 'Field', uk: 'Поле', pl: 'Pole' }`

/** Creates an empty temporary app root under tmp/ and returns its path. */
export async function temporaryRoot(): Promise<string> {
  const base = path.join(PROJECT_ROOT, 'tmp', 'plugin-engine-tests')
  await mkdir(base, { recursive: true })
  return mkdtemp(path.join(base, 'root-'))
}

/** Removes a temporary root. */
export async function removeRoot(root: string) {
  await rm(root, { recursive: true, force: true })
}

/**
 * The source of a valid plugin manifest with id `id`; `fields` is source text spliced into the
 * manifest object last, so it can override or add fields (`version: '1.0'`).
 */
export function manifestSource(id: string, fields = ''): string {
  return `import { definePlugin } from '${ENGINE}/define_plugin.js'
import { defineSettings, field } from '${ENGINE}/settings_schema.js'

const L = ${LABEL_SOURCE}

export default definePlugin({
  id: '${id}',
  version: '1.0.0',
  name: L,
  description: L,
  benefitKind: 'none',
  settings: defineSettings({ count: field.integer({ default: 1, label: L }) }),
  hooks: {},
  ${fields}
})
`
}

/** Writes files (path relative to `<root>/plugins/<folder>/` → content) of one fixture plugin. */
export async function writePlugin(root: string, folder: string, files: Record<string, string>) {
  for (const [file, content] of Object.entries(files)) {
    const target = path.join(root, 'plugins', folder, file)
    await mkdir(path.dirname(target), { recursive: true })
    await writeFile(target, content)
  }
}
