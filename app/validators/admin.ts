import vine from '@vinejs/vine'
import { TENANT_ROLES } from '#models/tenant_membership'

export const addStaffValidator = vine.compile(
  vine.object({
    email: vine.string().trim().maxLength(254).email(),
    fullName: vine.string().trim().minLength(2).maxLength(200),
    role: vine.enum(TENANT_ROLES),
  })
)

export const changeStaffRoleValidator = vine.compile(vine.object({ role: vine.enum(TENANT_ROLES) }))

export const switchWorkspaceValidator = vine.compile(
  vine.object({ workspace: vine.string().maxLength(100) })
)

const tagline = () => vine.string().trim().maxLength(200).optional()

export const tenantSettingsValidator = vine.compile(
  vine.object({
    name: vine.string().trim().minLength(2).maxLength(200),
    contactEmail: vine.string().trim().email().maxLength(254).optional(),
    primaryColor: vine.string().hexCode(),
    accentColor: vine.string().hexCode(),
    tagline: vine.object({ cs: tagline(), en: tagline(), uk: tagline(), pl: tagline() }),
  })
)

export const organizationValidator = vine.compile(
  vine.object({
    name: vine.string().trim().minLength(2).maxLength(200),
    registrationNumber: vine
      .string()
      .trim()
      .regex(/^\d{8}$/)
      .optional(),
    city: vine.string().trim().maxLength(200).optional(),
    contactEmail: vine.string().trim().email().maxLength(254).optional(),
  })
)

export const tenantStatusValidator = vine.compile(
  vine.object({ status: vine.enum(['pending', 'active', 'suspended'] as const) })
)

/** Where the tenant's residents are verified online (admin settings, "Population register"). */
export const registerSettingsValidator = vine.compile(
  vine.object({
    mode: vine.enum(['platform', 'own', 'none'] as const),
    url: vine
      .string()
      .trim()
      .maxLength(500)
      .url({ require_protocol: true, protocols: ['http', 'https'], require_tld: false })
      .optional()
      .requiredWhen('mode', '=', 'own'),
    apiKey: vine.string().trim().minLength(8).maxLength(500).optional(),
  })
)
