/*
 * Named (prepared) statements on the runtime connection (app/services/prepared_statements.ts).
 * Guards: one statement text reused on the same pooled connection under alternating tenant scopes
 * (long enough for PostgreSQL to switch to a generic plan) always sees exactly its own tenant's
 * rows; the statements really are named; and a table changing shape under a prepared statement
 * costs one failure, after which the statement works again (unnamed) on that connection.
 */
import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { scopedClient, withTenantScope } from '#tenancy/tenant_context'
import { statementName, usePreparedStatements } from '#services/prepared_statements'
import {
  deleteAuditEvents,
  fixtureMarker,
  seedAuditEvents,
  tenantIdsBySlug,
} from '#tests/helpers/db'

const ONE = 'contracts_prepared_one'
const SQL =
  'select tenant_id, count(*)::int as n from audit_events where action like ? group by tenant_id'

test.group('Contracts / prepared statements', (group) => {
  const marker = fixtureMarker('prepared-statements')
  let tenantA = ''
  let tenantB = ''

  group.setup(async () => {
    const ids = await tenantIdsBySlug()
    tenantA = ids.get('olomouc')!
    tenantB = ids.get('bydgoszcz')!
    await seedAuditEvents([tenantA, tenantB], 2, marker)
  })
  group.teardown(() => deleteAuditEvents(marker))

  test('one prepared statement under alternating scopes sees only the current tenant', async ({
    assert,
  }) => {
    // The pool hands out few connections to one caller at a time, so each is reused many times:
    // well past the point where PostgreSQL may switch to a generic plan.
    for (let round = 0; round < 40; round++) {
      const own = round % 2 === 0 ? tenantA : tenantB
      const seen = await withTenantScope(
        // A staff scope: the audit log is the tenant's staff's (migration 0011).
        { tenantId: own, userId: null, platform: false, staff: true },
        async () => {
          const rows = (await scopedClient().rawQuery(SQL, [`${marker}%`])).rows
          // (Knex numbers the placeholders before the text is named.)
          const prepared = await scopedClient().rawQuery(
            'select count(*)::int as n from pg_prepared_statements where name = ?',
            [statementName(SQL.replace('?', '$1'))]
          )
          return { rows, prepared: prepared.rows[0].n }
        }
      )
      assert.deepEqual(seen.rows, [{ tenant_id: own, n: 2 }], `round ${round}`)
      assert.equal(seen.prepared, 1, 'the statement is a named one on this connection')
    }
  })

  test('a table that changes shape under a prepared statement fails it once, then it works', async ({
    assert,
  }) => {
    // A pool of one connection, named like the runtime one, so every query reuses the statement.
    db.manager.add(ONE, {
      client: 'pg',
      connection: { connectionString: process.env.DATABASE_APP_URL },
      pool: { min: 0, max: 1 },
    })
    db.manager.connect(ONE)
    usePreparedStatements((db.connection(ONE).getWriteClient() as any).client)
    const owner = db.connection('owner')
    await owner.rawQuery(`drop table if exists prepared_statement_probe`)
    await owner.rawQuery(`create table prepared_statement_probe (id int primary key, note text)`)
    await owner.rawQuery(`insert into prepared_statement_probe values (1, 'one')`)
    await owner.rawQuery(`grant select on prepared_statement_probe to ${await appRole()}`)
    const read = () =>
      db.connection(ONE).rawQuery('select * from prepared_statement_probe where id = ?', [1])
    try {
      for (let i = 0; i < 6; i++) assert.equal((await read()).rows[0].note, 'one')
      await owner.rawQuery(`alter table prepared_statement_probe add column extra int default 7`)
      await assert.rejects(read, /cached plan must not change result type/)
      assert.equal((await read()).rows[0].extra, 7)
      assert.equal((await read()).rows[0].extra, 7)
    } finally {
      await db.manager.release(ONE)
      await owner.rawQuery(`drop table if exists prepared_statement_probe`)
    }
  })
})

async function appRole() {
  const row = await db.connection('app').rawQuery('select current_user as role')
  return row.rows[0].role as string
}
