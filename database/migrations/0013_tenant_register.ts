import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * Where a tenant's residents are verified online (docs/decisions/0014-identity-verification.md,
 * addendum "The register of each tenant"):
 * - `platform`: the platform's register gateway (`REGISTER_URL`; the reference register in
 *   development and tests), the default;
 * - `own`: the town hall's own register module at `register_url`, with its API key stored
 *   encrypted with the app key (`register_api_key`, never shown again);
 * - `none`: no register (a census file or documents instead), e.g. a city outside the country the
 *   platform's register covers.
 */
export default class extends BaseSchema {
  async up() {
    this.schema.raw(`
      alter table tenants
        add column register_mode text not null default 'platform'
          check (register_mode in ('platform', 'own', 'none')),
        add column register_url text,
        add column register_api_key text,
        add constraint tenants_register_own_complete
          check (register_mode <> 'own' or (register_url is not null and register_api_key is not null));
    `)
  }

  async down() {
    this.schema.raw(`
      alter table tenants
        drop constraint if exists tenants_register_own_complete,
        drop column if exists register_api_key,
        drop column if exists register_url,
        drop column if exists register_mode;
    `)
  }
}
