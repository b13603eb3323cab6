import type { ProgramStatus } from '#models/program'
import type { ProgramConfig } from '#programs/program_config'

/**
 * A program declared as code in tenants/<slug>/programs/<program>.ts (a blueprint), applied
 * by `tenants:sync` like the tenant itself. The configuration is validated exactly as the
 * admin form's is.
 */
export interface ProgramBlueprint {
  slug: string
  pluginId: string
  status: Exclude<ProgramStatus, 'archived'>
  config: ProgramConfig
}

/** Declares a program blueprint (typed; validated again at sync). */
export function defineProgram(blueprint: ProgramBlueprint): ProgramBlueprint {
  return blueprint
}

/** The school year 2026/27 in two half-years (the second's activities open in late December). */
export const SCHOOL_YEAR_2026_27: ProgramConfig['periods'] = [
  {
    key: '2026-h1',
    name: {
      cs: '1. pololetí 2026/27',
      en: 'First half of 2026/27',
      uk: '1-ше півріччя 2026/27',
      pl: 'I półrocze 2026/27',
    },
    start: '2026-09-01',
    end: '2027-01-31',
    activitiesOpenFrom: '2026-06-01',
  },
  {
    key: '2027-h2',
    name: {
      cs: '2. pololetí 2026/27',
      en: 'Second half of 2026/27',
      uk: '2-ге півріччя 2026/27',
      pl: 'II półrocze 2026/27',
    },
    start: '2027-02-01',
    end: '2027-06-30',
    activitiesOpenFrom: '2026-12-20',
  },
]
