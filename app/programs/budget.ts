import { scopedClient } from '#tenancy/tenant_context'

/**
 * A program's budget in use: drawn = what the funding side has put in minus what is left
 * on the budget account (the ledger's program_funding and program_budget accounts);
 * remaining = the current version's cap minus drawn. Both 0-based before any grant. Also what
 * the waiting list holds: approved applications waiting for the budget, and what they need.
 */
export async function budgetUse(tenantId: string, programId: string, budgetMinor: number) {
  const rows = await scopedClient()
    .from('ledger_accounts')
    .where('tenant_id', tenantId)
    .where('program_id', programId)
    .whereIn('kind', ['program_budget', 'program_funding'])
    .select('kind', 'cached_balance')
  const balance = (kind: string) =>
    Number(rows.find((r: any) => r.kind === kind)?.cached_balance ?? 0)
  const drawn = -balance('program_funding') - balance('program_budget')
  // What the waiting list still needs: the benefits recorded with each waiting approval.
  const waiting = await scopedClient().rawQuery(
    `select count(distinct a.id)::int as count,
            coalesce(sum((line->>'amountMinor')::bigint * (line->>'count')::bigint), 0)::bigint as amount
       from applications a
       join application_decisions d on d.tenant_id = a.tenant_id and d.application_id = a.id
        and d.outcome = 'approved' and d.grant_transaction_id is null
       cross join lateral jsonb_array_elements(d.benefits) line
      where a.tenant_id = ? and a.program_id = ? and a.status = 'waitlisted'`,
    [tenantId, programId]
  )
  return {
    budgetMinor,
    drawnMinor: drawn,
    remainingMinor: budgetMinor - drawn,
    waitingCount: Number(waiting.rows[0]?.count ?? 0),
    waitingMinor: Number(waiting.rows[0]?.amount ?? 0),
  }
}
