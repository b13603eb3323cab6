/** Shapes of the programme props the server sends (app/transformers/program_transformer.ts). */
import type { LocaleCode } from '~/components/types'
import type { ConfigParam } from '~/components/rule_builder/tree'
import type { PluginFactDeclaration } from '@eligibility/fact_catalog'

export type Translated = Partial<Record<LocaleCode, string>> & { cs?: string }

export type ProgramStatus = 'draft' | 'published' | 'closed' | 'archived'
export type PluginId = 'credit' | 'voucher'

export interface ProgramSummary {
  id: string
  slug: string
  pluginId: PluginId | string
  /** The installed plugin's name in the reader's locale (null when it is not installed). */
  pluginName: string | null
  status: ProgramStatus | string
  nationwide: boolean
  version: number
  name: Translated
  currency: string
  budgetMinor: number
  applicationOpensAt: string | null
  applicationClosesAt: string | null
}

export interface ProgramPeriod {
  key: string
  name: Translated
  start: string
  end: string
  activitiesOpenFrom?: string
}

export interface ProgramDocument {
  key: string
  name: Translated
  help?: Translated
  formats: string[]
  maxSizeBytes: number
  requiredWhen?: unknown
}

/** A programme version's whole configuration (app/programs/program_config.ts). */
export interface ProgramConfig {
  name: Translated
  description?: Translated
  applicationOpensAt?: string
  applicationClosesAt?: string
  periods: ProgramPeriod[]
  audience: {
    scope: 'residents' | 'nationwide' | string
    citizenships?: string[]
    /** Who the benefit is for (a child when absent). */
    beneficiary?: 'child' | 'applicant'
  }
  currency: string
  budgetMinor: number
  /** Refuse an approval the budget cannot cover, or put it on the waiting list. */
  whenBudgetExhausted?: 'refuse' | 'waitlist'
  limits: {
    perChildAmountMinor?: number
    perChildCountPerPeriod?: number
    perHouseholdAmountMinor?: number
  }
  coPaymentBp: number
  documents: ProgramDocument[]
  eligibilityRule: unknown
  params: Record<string, ConfigParam>
  categories: string[]
  requiresActivityApproval: boolean
  pluginSettings: Record<string, unknown>
}

export interface ProgramVersionRow {
  version: number
  createdAt: string | null
}

/** Status changes a programme allows (app/actions/programs/program_actions.ts). */
export const TRANSITIONS: Record<string, ProgramStatus[]> = {
  draft: ['published', 'archived'],
  published: ['closed'],
  closed: ['published', 'archived'],
  archived: [],
}

export const CURRENCIES = ['CZK', 'PLN', 'EUR'] as const

/**
 * The voucher plugin's copy of the co-payment share: the server overwrites it with the
 * programme's own co-payment (`coPaymentBp`) on save, so it is never edited on its own.
 */
export const CO_PAYMENT_SETTING = 'coPaymentBasisPoints'

/** How much of the budget is in use (app/programs/budget.ts), in minor units. */
export interface BudgetUse {
  budgetMinor: number
  drawnMinor: number
  remainingMinor: number
  /** Approved applications waiting for the budget, and what they need together. */
  waitingCount: number
  waitingMinor: number
}

/** The facts a program's plugin declares, with the plugin's name (the builder's group label). */
export interface BuilderPluginFacts {
  pluginId: string
  name: string
  facts: Record<string, PluginFactDeclaration>
}
