/*
 * Municipality codes (ZÚJ codes of the Czech Statistical Office, as RÚIAN and the population
 * register use them) of the demo tenants. The register answers with codes; the platform maps
 * them to tenant slugs. Check each code against RÚIAN before a real tenant goes live.
 */

/** Municipality code → tenant slug for the demo tenants. */
export const DEMO_TENANTS_BY_MUNICIPALITY: Readonly<Record<string, string>> = Object.freeze({
  '500143': 'praha-5',
  '500178': 'praha-6',
  '547344': 'praha-17',
  '500496': 'olomouc',
})

/** Inverts a code → slug map into slug → code. */
export function municipalitiesByTenant(
  tenantsByMunicipality: Readonly<Record<string, string>>
): Record<string, string> {
  return Object.fromEntries(
    Object.entries(tenantsByMunicipality).map(([code, slug]) => [slug, code])
  )
}
