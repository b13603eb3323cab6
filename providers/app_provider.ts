import type { ApplicationService } from '@adonisjs/core/types'

/**
 * Application-wide bindings: the mail outbox transport and template helpers.
 */
export default class AppProvider {
  constructor(protected app: ApplicationService) {}

  async boot() {}
}
