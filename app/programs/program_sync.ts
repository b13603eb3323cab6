import { readdir } from 'node:fs/promises'
import { canonicalJson } from '#services/canonical_json'
import { existsSync } from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import Tenant from '#models/tenant'
import Program from '#models/program'
import ProgramVersion from '#models/program_version'
import type { ProgramBlueprint } from '#programs/define_program'
import {
  ChangeProgramStatus,
  CreateProgram,
  SaveProgramConfig,
  validateProgramConfig,
} from '#actions/programs/program_actions'
import ConfigInvalid from '#exceptions/config_invalid'

export interface ProgramSyncChange {
  tenant: string
  slug: string
  action: 'create' | 'new version' | 'update draft' | 'unchanged'
  status?: string
}

/** Loads the program blueprints of every tenant folder (tenants/<slug>/programs/*.ts). */
export async function loadProgramBlueprints(root: string) {
  const out: { tenant: string; file: string; blueprint: ProgramBlueprint }[] = []
  const dir = path.join(root, 'tenants')
  if (!existsSync(dir)) return out
  for (const tenant of (await readdir(dir, { withFileTypes: true })).filter((e) =>
    e.isDirectory()
  )) {
    const programsDir = path.join(dir, tenant.name, 'programs')
    if (!existsSync(programsDir)) continue
    for (const file of (await readdir(programsDir)).filter((f) => /\.(ts|js)$/.test(f)).sort()) {
      const module = await import(pathToFileURL(path.join(programsDir, file)).href)
      out.push({
        tenant: tenant.name,
        file: `tenants/${tenant.name}/programs/${file}`,
        blueprint: module.default,
      })
    }
  }
  return out
}

function configOf(version: ProgramVersion) {
  return {
    name: version.name,
    description: version.description,
    applicationOpensAt: version.applicationOpensAt?.toMillis() ?? null,
    applicationClosesAt: version.applicationClosesAt?.toMillis() ?? null,
    periods: version.periods,
    audience: version.audience,
    currency: version.currency,
    budgetMinor: version.budgetMinor,
    whenBudgetExhausted: version.whenBudgetExhausted,
    limits: version.limits,
    coPaymentBp: version.coPaymentBp,
    documents: version.documents,
    eligibilityRule: version.eligibilityRule,
    params: version.params,
    categories: version.categories,
    requiresActivityApproval: version.requiresActivityApproval,
    pluginSettings: version.pluginSettings,
  }
}

/**
 * Applies program blueprints idempotently inside a platform scope: creates missing programs,
 * writes a new version (or updates the draft) when the configuration differs, and moves the
 * status forward when the blueprint says so. With `dryRun` it only reports.
 */
export async function syncPrograms(root: string, options: { dryRun: boolean }) {
  const changes: ProgramSyncChange[] = []
  for (const { tenant: slug, file, blueprint } of await loadProgramBlueprints(root)) {
    const tenant = await Tenant.findBy('slug', slug)
    if (!tenant && options.dryRun) {
      changes.push({
        tenant: slug,
        slug: blueprint.slug,
        action: 'create',
        status: blueprint.status,
      })
      continue
    }
    if (!tenant)
      throw new Error(`${file}: tenant ${slug} is not declared in tenants/${slug}/tenant.ts`)
    let config
    try {
      config = await validateProgramConfig(blueprint.pluginId, blueprint.config)
    } catch (error: any) {
      const detail =
        error instanceof ConfigInvalid
          ? error.message
          : (error.messages ?? []).map((m: any) => `${m.field}: ${m.message}`).join('; ') ||
            error.message
      throw new Error(`${file}: invalid program blueprint (${detail})`)
    }
    const existing = await Program.query()
      .where('tenantId', tenant.id)
      .where('slug', blueprint.slug)
      .first()
    if (!existing) {
      changes.push({
        tenant: slug,
        slug: blueprint.slug,
        action: 'create',
        status: blueprint.status,
      })
      if (options.dryRun) continue
      const program = await new CreateProgram().handle({
        tenant,
        actor: null,
        slug: blueprint.slug,
        pluginId: blueprint.pluginId,
        config,
      })
      if (blueprint.status !== 'draft')
        await new ChangeProgramStatus().handle({ program, actor: null, status: blueprint.status })
      continue
    }
    const current = await ProgramVersion.query()
      .where('tenantId', tenant.id)
      .where('programId', existing.id)
      .where('version', existing.currentVersion)
      .firstOrFail()
    const millis = (iso?: string) => (iso ? Date.parse(iso) : null)
    const same =
      canonicalJson(configOf(current)) ===
      canonicalJson({
        ...config,
        applicationOpensAt: millis(config.applicationOpensAt),
        applicationClosesAt: millis(config.applicationClosesAt),
      })
    const action = same ? 'unchanged' : existing.status === 'draft' ? 'update draft' : 'new version'
    const statusChange = existing.status !== blueprint.status ? blueprint.status : undefined
    changes.push({ tenant: slug, slug: blueprint.slug, action, status: statusChange })
    if (options.dryRun) continue
    if (!same) await new SaveProgramConfig().handle({ program: existing, actor: null, config })
    if (statusChange)
      await new ChangeProgramStatus().handle({
        program: existing,
        actor: null,
        status: blueprint.status,
      })
  }
  return changes
}
