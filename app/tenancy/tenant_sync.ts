import { readdir } from 'node:fs/promises'
import { canonicalJson } from '#services/canonical_json'
import { existsSync } from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import Tenant from '#models/tenant'
import { scopedClient } from '#tenancy/tenant_context'
import { tenantDefinitionValidator, type TenantDefinition } from '#tenancy/define_tenant'

export interface TenantSyncChange {
  slug: string
  action: 'create' | 'update' | 'unchanged'
  fields: string[]
}

/** Loads and validates every tenants/<slug>/tenant.ts; throws naming the file on a bad one. */
export async function loadTenantDefinitions(root: string): Promise<TenantDefinition[]> {
  const dir = path.join(root, 'tenants')
  const entries = existsSync(dir) ? await readdir(dir, { withFileTypes: true }) : []
  const definitions: TenantDefinition[] = []
  for (const entry of entries
    .filter((e) => e.isDirectory())
    .sort((a, b) => a.name.localeCompare(b.name))) {
    const file = ['tenant.ts', 'tenant.js']
      .map((f) => path.join(dir, entry.name, f))
      .find(existsSync)
    if (!file) continue
    const module = await import(pathToFileURL(file).href)
    let definition: TenantDefinition
    try {
      definition = await tenantDefinitionValidator.validate(module.default)
    } catch (error: any) {
      const details = (error.messages ?? []).map((m: any) => `${m.field}: ${m.message}`).join('; ')
      throw new Error(
        `tenants/${entry.name}: invalid tenant definition (${details || error.message})`
      )
    }
    if (definition.slug !== entry.name) {
      throw new Error(`tenants/${entry.name}: slug "${definition.slug}" must equal the folder name`)
    }
    if (!definition.locales.includes(definition.defaultLocale)) {
      throw new Error(`tenants/${entry.name}: defaultLocale must be one of locales`)
    }
    definitions.push(definition)
  }
  const hosts = new Map<string, string>()
  for (const d of definitions) {
    for (const host of d.hosts) {
      if (hosts.has(host))
        throw new Error(`host ${host} is declared by both ${hosts.get(host)} and ${d.slug}`)
      hosts.set(host, d.slug)
    }
  }
  return definitions
}

function columnsOf(definition: TenantDefinition) {
  return {
    slug: definition.slug,
    kind: definition.kind,
    name: definition.name,
    legalName: definition.legalName ?? null,
    country: definition.country,
    region: definition.region ?? null,
    parentSlug: definition.parentSlug ?? null,
    nationwide: definition.nationwide ?? definition.kind === 'ngo',
    defaultLocale: definition.defaultLocale,
    locales: definition.locales,
    currency: definition.currency,
    status: definition.status,
    branding: definition.branding ?? {},
    contactEmail: definition.contactEmail ?? null,
    ...(definition.register
      ? { registerMode: definition.register, registerUrl: null, registerApiKey: null }
      : {}),
  }
}

/**
 * Applies tenant definitions idempotently (insert or update by slug, hosts replaced).
 * Must run inside a platform scope. With `dryRun` it only reports what it would change.
 */
export async function syncTenants(definitions: TenantDefinition[], options: { dryRun: boolean }) {
  const trx = scopedClient()
  const changes: TenantSyncChange[] = []
  for (const definition of definitions) {
    const wanted = columnsOf(definition)
    const existing = await Tenant.findBy('slug', definition.slug)
    const currentHosts: string[] = existing
      ? (await trx.from('tenant_domains').where('tenant_id', existing.id).orderBy('host')).map(
          (r: any) => r.host
        )
      : []
    const fields: string[] = []
    if (existing) {
      for (const [key, value] of Object.entries(wanted)) {
        if (canonicalJson((existing as any)[key]) !== canonicalJson(value)) fields.push(key)
      }
    }
    const wantedHosts = [...definition.hosts].sort()
    if (JSON.stringify(currentHosts) !== JSON.stringify(wantedHosts)) fields.push('hosts')
    const action = !existing ? 'create' : fields.length ? 'update' : 'unchanged'
    changes.push({ slug: definition.slug, action, fields: existing ? fields : Object.keys(wanted) })
    if (options.dryRun || action === 'unchanged') continue

    const tenant = existing ?? new Tenant()
    tenant.merge(wanted)
    await tenant.save()
    await trx.from('tenant_domains').where('tenant_id', tenant.id).delete()
    if (wantedHosts.length) {
      await trx
        .table('tenant_domains')
        .multiInsert(wantedHosts.map((host) => ({ host, tenant_id: tenant.id })))
    }
  }
  return changes
}
