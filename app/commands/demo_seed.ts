import { BaseCommand, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'

/**
 * Creates the demo people and provider organisations (idempotent).
 */
export default class DemoSeed extends BaseCommand {
  static commandName = 'demo:seed'
  static description =
    'Create demo people for every role and demo provider organisations (idempotent)'
  static options: CommandOptions = { startApp: true }

  @flags.boolean({ description: 'Print the demo logins' })
  declare print: boolean

  async run() {
    const { withTenantScope } = await import('#tenancy/tenant_context')
    const { seedDemo } = await import('#database/seeders/demo_seed')
    const { DEMO_PEOPLE, DEMO_PASSWORD } = await import('#database/demo_people')
    await withTenantScope({ tenantId: null, userId: null, platform: true }, () => seedDemo())
    if (this.print) {
      const url = `http://${process.env.HOST ?? 'localhost'}:${process.env.PORT ?? 3333}`
      const rows = DEMO_PEOPLE.map((p) => `  ${p.email.padEnd(34)} ${p.role}`)
      this.logger.log(
        [
          '',
          `Active City runs at ${url}`,
          `Tenant sites: ${url}/t/praha-5 (or http://praha5.localhost:${process.env.PORT ?? 3333})`,
          `Outbox of e-mails sent: ${url}/dev/outbox`,
          `Demo logins (password for all: ${DEMO_PASSWORD}):`,
          ...rows,
          '',
        ].join('\n')
      )
    }
  }
}
