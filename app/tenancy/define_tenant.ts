import vine from '@vinejs/vine'
import type { Infer } from '@vinejs/vine/types'

/**
 * The shape of a tenant declared as code in tenants/<slug>/tenant.ts, validated by
 * `tenants:sync` before anything is written.
 */
export const tenantDefinitionSchema = vine.object({
  slug: vine.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/),
  kind: vine.enum(['city', 'district', 'ngo'] as const),
  name: vine.string().minLength(2).maxLength(200),
  legalName: vine.string().maxLength(300).optional(),
  country: vine.string().fixedLength(2).toUpperCase(),
  region: vine.string().maxLength(200).optional(),
  parentSlug: vine.string().optional(),
  nationwide: vine.boolean().optional(),
  defaultLocale: vine.enum(['cs', 'en', 'uk', 'pl'] as const),
  locales: vine
    .array(vine.enum(['cs', 'en', 'uk', 'pl'] as const))
    .minLength(1)
    .distinct(),
  currency: vine.enum(['CZK', 'PLN', 'EUR'] as const),
  status: vine.enum(['pending', 'active', 'suspended'] as const),
  contactEmail: vine.string().email().optional(),
  /**
   * Where residents are verified online: the platform's register (`platform`) or none (`none`,
   * e.g. a city outside the country the platform's register covers). Undeclared, the tenant
   * admin's choice stands; a town hall's own register module is set in the admin settings (its
   * key is a secret, never code).
   */
  register: vine.enum(['platform', 'none'] as const).optional(),
  hosts: vine
    .array(
      vine
        .string()
        .toLowerCase()
        .regex(/^[a-z0-9.-]+$/)
    )
    .distinct(),
  branding: vine
    .object({
      primaryColor: vine.string().hexCode().optional(),
      accentColor: vine.string().hexCode().optional(),
      logoUrl: vine.string().optional(),
      tagline: vine
        .object({
          cs: vine.string().optional(),
          en: vine.string().optional(),
          uk: vine.string().optional(),
          pl: vine.string().optional(),
        })
        .optional(),
    })
    .optional(),
})

export const tenantDefinitionValidator = vine.compile(tenantDefinitionSchema)

export type TenantDefinition = Infer<typeof tenantDefinitionSchema>

/** Declares a tenant as code (typed; validated again at sync). */
export function defineTenant(definition: TenantDefinition): TenantDefinition {
  return definition
}
