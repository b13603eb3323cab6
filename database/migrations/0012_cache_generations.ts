import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * Generation counters for the app servers' in-process caches
 * (docs/decisions/0017-request-path-caches.md).
 *
 * `cache_generations` holds one counter per cached data set. Statement-level triggers add one to
 * the counter in the same transaction as any change to the data (whoever makes it: the app,
 * `tenants:sync`, the platform admin, or SQL typed by an operator), so the change and the new
 * generation become visible together. Every unit of work reads the counters in the statement that
 * opens its transaction (app/tenancy/tenant_context.ts) and a cache whose generation differs is
 * reloaded before it answers: a change committed before a request starts is always seen by it, on
 * every app server.
 *
 * - `tenants`: the tenants and their hosts (`tenants`, `tenant_domains`).
 */
export default class extends BaseSchema {
  async up() {
    this.schema.raw(`
      create table cache_generations (
        name text primary key,
        generation bigint not null default 1
      );
      insert into cache_generations (name) values ('tenants');

      create or replace function cache_generation_bump() returns trigger language plpgsql as $$
      begin
        update cache_generations set generation = generation + 1 where name = TG_ARGV[0];
        return null;
      end $$;

      create trigger tenants_cache_generation
        after insert or update or delete or truncate on tenants
        for each statement execute function cache_generation_bump('tenants');
      create trigger tenant_domains_cache_generation
        after insert or update or delete or truncate on tenant_domains
        for each statement execute function cache_generation_bump('tenants');
    `)
  }

  async down() {
    this.schema.raw(`
      drop trigger if exists tenants_cache_generation on tenants;
      drop trigger if exists tenant_domains_cache_generation on tenant_domains;
      drop function if exists cache_generation_bump;
      drop table if exists cache_generations;
    `)
  }
}
