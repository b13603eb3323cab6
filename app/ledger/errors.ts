/*
 * Typed refusals of the ledger. Each one is a DomainError (422, nothing changed: the posting's
 * savepoint is rolled back) with a translation key in the `errors` namespace and the values
 * its message needs.
 */
import DomainError from '#exceptions/domain_error'

/** The translation keys (namespace `errors`) the ledger's refusals use. */
export const LEDGER_ERROR_KEYS = [
  'ledger.insufficient_funds',
  'ledger.budget_exhausted',
  'ledger.unbalanced',
  'ledger.idempotency_conflict',
  'ledger.currency_mismatch',
  'ledger.already_reversed',
  'ledger.invalid_posting',
] as const

/** One of the ledger's translation keys. */
export type LedgerErrorKey = (typeof LEDGER_ERROR_KEYS)[number]

/** Base class of every refusal by the ledger; `key` is the translation key. */
export class LedgerError extends DomainError {
  /** Creates a ledger refusal with its translation key and message values. */
  constructor(key: LedgerErrorKey, values: Record<string, unknown> = {}) {
    super(key, 'form', values)
    this.name = 'LedgerError'
    this.message = `${key} ${JSON.stringify(values)}`
  }
}

/** An account that may not go negative would (a voucher or a credit spent twice, for example). */
export class InsufficientFundsError extends LedgerError {
  /** Names the account, what it holds and what was asked of it. */
  constructor(values: {
    accountId: string
    kind: string
    available: number
    requested: number
    currency: string
  }) {
    super('ledger.insufficient_funds', values)
    this.name = 'InsufficientFundsError'
  }
}

/** A grant would take more from a program's budget than is left of it. */
export class BudgetExhaustedError extends LedgerError {
  /** Names the program, what is left of its budget and what was asked. */
  constructor(values: {
    programId: string
    available: number
    requested: number
    currency: string
  }) {
    super('ledger.budget_exhausted', values)
    this.name = 'BudgetExhaustedError'
  }
}

/** The entries of a posting do not sum to zero in some currency. */
export class UnbalancedPostingError extends LedgerError {
  /** Names the currency and the non-zero sum. */
  constructor(values: { currency: string; sum: number }) {
    super('ledger.unbalanced', values)
    this.name = 'UnbalancedPostingError'
  }
}

/** An idempotency key already belongs to a different posting. */
export class IdempotencyConflictError extends LedgerError {
  /** Names the reused key and the transaction that owns it. */
  constructor(values: { idempotencyKey: string; transactionId: string }) {
    super('ledger.idempotency_conflict', values)
    this.name = 'IdempotencyConflictError'
  }
}

/** An amount is in another currency than the account or amount it meets. */
export class CurrencyMismatchError extends LedgerError {
  /** Names the expected and the given currency. */
  constructor(values: { expected: string; actual: string; accountId?: string }) {
    super('ledger.currency_mismatch', values)
    this.name = 'CurrencyMismatchError'
  }
}

/** A transaction has already been reversed (or is itself a reversal). */
export class AlreadyReversedError extends LedgerError {
  /** Names the transaction. */
  constructor(values: { transactionId: string }) {
    super('ledger.already_reversed', values)
    this.name = 'AlreadyReversedError'
  }
}

/**
 * A posting is malformed (a programming error rather than a business refusal): a zero or
 * fractional amount, fewer than two entries, an unknown account, a flow the kind does not
 * allow, accounts of two programs, a tenant other than the scope's.
 */
export class InvalidPostingError extends LedgerError {
  /** Names the reason and any detail. */
  constructor(reason: string, detail: Record<string, unknown> = {}) {
    super('ledger.invalid_posting', { reason, ...detail })
    this.name = 'InvalidPostingError'
  }
}
