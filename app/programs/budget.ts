import { scopedClient } from '#tenancy/tenant_context'

/**
 * A program's budget in use: drawn = what the funding side has put in minus what is left
 * on the budget account (the ledger's program_funding and program_budget accounts);
 * remaining = the current version's cap minus drawn. Both 0-based before any grant.
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
  return { budgetMinor, drawnMinor: drawn, remainingMinor: budgetMinor - drawn }
}
