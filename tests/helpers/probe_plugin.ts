/*
 * The probe fixture plugin (tests/fixtures/plugins/probe/) in the running app: loaded by the real
 * registry from the fixture root, swapped into the container next to the installed plugins (so
 * core flows dispatch to it and evaluations read its declared facts), its messages mounted in i18n, its migrations run and rolled back by
 * Lucid's real migrator with the paths the app computes for plugins.
 */
import path from 'node:path'
import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'
import i18nManager from '@adonisjs/i18n/services/main'
import { MigrationRunner } from '@adonisjs/lucid/migration'
import { PluginRegistry } from '#plugin_engine/registry'
import { HookDispatcher } from '#plugin_engine/dispatcher'
import { CORE_MIGRATIONS, registryMigrationPaths } from '#plugin_engine/migration_paths'
import { loadPluginTranslations } from '#plugin_engine/translations_loader'
import { usePluginTemplateFolders } from '#services/mail_templates'
import { usePluginFacts } from '#plugin_engine/fact_declarations'

/** The root holding the fixture plugins (`tests/fixtures/plugins/<id>/`). */
export const FIXTURES_ROOT = app.makePath('tests', 'fixtures')

/** The fixture plugins, loaded and validated by the real registry. */
export function fixtureRegistry() {
  return PluginRegistry.load({ root: FIXTURES_ROOT })
}

/**
 * Puts the probe next to the installed plugins: the registry and dispatcher in the container,
 * its templates and messages. Returns a function that undoes all of it.
 */
export async function installProbe(): Promise<() => Promise<void>> {
  const installed = await app.container.make(PluginRegistry)
  const fixtures = await fixtureRegistry()
  const combined = new PluginRegistry([...installed.loaded(), ...fixtures.loaded()])
  const logger = await app.container.make('logger')
  app.container.swap(PluginRegistry, () => combined)
  app.container.swap(HookDispatcher, () => new HookDispatcher(combined, logger))
  usePluginTemplateFolders((id) => (combined.has(id) ? combined.folderOf(id, 'templates') : null))
  usePluginFacts(combined.factTypes())
  const messages = loadPluginTranslations(path.join(FIXTURES_ROOT, 'plugins'))
  for (const [locale, entries] of Object.entries(messages)) {
    Object.assign(i18nManager.getTranslationsFor(locale), entries)
  }
  return async () => {
    app.container.restore(PluginRegistry)
    app.container.restore(HookDispatcher)
    usePluginTemplateFolders((id) =>
      installed.has(id) ? installed.folderOf(id, 'templates') : null
    )
    usePluginFacts(installed.factTypes())
    for (const [locale, entries] of Object.entries(messages)) {
      const loaded = i18nManager.getTranslationsFor(locale)
      for (const key of Object.keys(entries)) delete loaded[key]
    }
  }
}

const CONNECTION = 'probe_migrations'

/**
 * Runs the real migrator (`MigrationRunner`, as `node ace migration:run` does) on the owner
 * connection with the core folder and the fixture plugins' folders, as config/database.ts lists
 * them for installed plugins: `up` runs what is pending (the fixtures' migrations, the core ones
 * having run already), `down` rolls the latest batch back.
 */
export async function migrateFixtures(direction: 'up' | 'down') {
  const paths = [
    CORE_MIGRATIONS,
    ...registryMigrationPaths(await fixtureRegistry(), app.makePath()),
  ]
  if (!db.manager.has(CONNECTION)) {
    const owner = db.getRawConnection('owner')!.config
    db.manager.add(CONNECTION, { ...owner, migrations: { ...owner.migrations, paths } })
  }
  const runner = new MigrationRunner(db, app, { direction, connectionName: CONNECTION })
  await runner.run()
  await db.manager.close(CONNECTION, true)
  if (runner.error) throw runner.error
  return { paths, migrated: Object.keys(runner.migratedFiles) }
}
