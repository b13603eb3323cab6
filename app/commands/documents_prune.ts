import { BaseCommand, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'

/**
 * Removes stored documents that no application or verification refers to any more
 * (app/documents/prune.ts). Run it from a scheduler (daily is plenty); `--dry-run` lists them.
 */
export default class DocumentsPrune extends BaseCommand {
  static commandName = 'documents:prune'
  static description =
    'Remove stored documents no application or verification refers to (files of erased records)'
  static options: CommandOptions = { startApp: true }

  @flags.boolean({ description: 'List the files that would be removed, remove nothing' })
  declare dryRun: boolean

  @flags.number({
    description: 'Keep unreferenced files younger than this many minutes (uploads in flight)',
    default: 60,
  })
  declare minAgeMinutes: number

  async run() {
    const { pruneOrphanDocuments } = await import('#documents/prune')
    if (!Number.isFinite(this.minAgeMinutes) || this.minAgeMinutes < 0) {
      this.logger.error('--min-age-minutes must be a number of minutes, 0 or more')
      this.exitCode = 1
      return
    }
    const report = await pruneOrphanDocuments({
      dryRun: !!this.dryRun,
      minAgeMs: this.minAgeMinutes * 60_000,
    })
    for (const key of report.orphans) {
      this.logger.info(`${this.dryRun ? 'would remove' : 'removed'} ${key}`)
    }
    this.logger.success(
      `documents:prune: ${report.examined} document file(s) examined, ${report.orphans.length} unreferenced` +
        (this.dryRun ? ' (dry run, nothing removed)' : `, ${report.removed} removed`) +
        (report.young ? `; ${report.young} recent unreferenced file(s) kept` : '')
    )
  }
}
