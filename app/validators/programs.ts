import vine from '@vinejs/vine'
import { programConfigSchema } from '#programs/program_config'

export const createProgramValidator = vine.compile(
  vine.object({
    slug: vine
      .string()
      .trim()
      .regex(/^[a-z0-9][a-z0-9-]{1,80}$/),
    // Any plugin of the registry (checked when the program is created).
    pluginId: vine.string().regex(/^[a-z][a-z0-9_]{1,30}$/),
    config: programConfigSchema,
  })
)

export const saveProgramValidator = vine.compile(vine.object({ config: programConfigSchema }))

export const programStatusValidator = vine.compile(
  vine.object({ status: vine.enum(['draft', 'published', 'closed', 'archived'] as const) })
)

const facts = () => vine.record(vine.any())

/** Facts of an applicant for a pre-check (the fact catalogue's paths, nested). */
export const precheckValidator = vine.compile(vine.object({ facts: facts() }))

/** A rule being edited, tested against sample applicants. */
export const ruleTestValidator = vine.compile(
  vine.object({
    rule: vine.any(),
    // Not `params`: request validation merges the route's params under that key.
    ruleParams: vine.record(vine.any()).optional(),
    samples: vine
      .array(
        vine.object({
          name: vine.string().maxLength(200),
          facts: facts(),
          expected: vine.boolean().optional(),
        })
      )
      .maxLength(50),
  })
)
