import type { ApplicationService } from '@adonisjs/core/types'
import env from '#start/env'
import { currentTransaction } from '#tenancy/tenant_context'
import { usePreparedStatements } from '#services/prepared_statements'

/**
 * Routes every Lucid model query of the default (`app`) connection into the transaction of
 * the current tenant scope, so a model query can never run outside the tenant's
 * set_config. This overrides Lucid's model adapter (an internal API: Lucid's version is
 * pinned and tests/contracts/tenant_isolation.spec.ts guards the behaviour).
 */
export default class TenancyProvider {
  constructor(protected app: ApplicationService) {}

  async boot() {
    const { BaseModel } = await import('@adonisjs/lucid/orm')
    const db = await this.app.container.make('lucid.db')
    const adapter = BaseModel.$adapter as any
    const original = adapter.modelConstructorClient.bind(adapter)
    adapter.modelConstructorClient = (model: any, options?: any) => {
      if (options?.client) return options.client
      const connection = options?.connection ?? model.connection ?? db.primaryConnectionName
      if (connection === db.primaryConnectionName) {
        const trx = currentTransaction()
        if (trx) return trx
      }
      return original(model, options)
    }

    // The runtime connection plans each statement once per connection, not at every execution
    // (app/services/prepared_statements.ts).
    if (env.get('DB_PREPARED_STATEMENTS', true)) {
      usePreparedStatements((db.connection('app').getWriteClient() as any).client)
    }
  }
}
