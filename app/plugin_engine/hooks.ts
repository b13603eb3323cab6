/*
 * THE hook catalogue: every hook core code sends to plugins is declared here, once, with its
 * documentation (after pretix's plugin signals). A plugin can receive only hooks listed here (the
 * registry refuses to start otherwise); core code sends them with the dispatcher
 * (`app/plugin_engine/dispatcher.ts`), which calls only the plugins enabled for the program, in a
 * fixed order, with each plugin's validated settings.
 *
 * Rules every receiver follows:
 * - it returns data (ledger postings, problems, menu items, facts), never HTML and never side
 *   effects on money: the ledger is written by core code from what receivers return;
 * - it may be called more than once for the same event (a retried request or job), so the same
 *   input must give the same output;
 * - to refuse with a message for people, it throws `HookRefusal` (a translation key and values);
 *   any other error is a bug and is reported as such;
 * - on a **blocking** hook, a throwing receiver stops the action (the dispatch rejects, naming the
 *   plugin); on a non-blocking hook the error is logged and collected, and the action goes on.
 *
 * Adding a hook: declare it below with `hook<Payload, Result>({ when, returns, blocking })`, with
 * a doc block, and list it in docs/plugins.md.
 */

/** Currencies a program can run in. */
export type Currency = 'CZK' | 'PLN' | 'EUR'

/** A fact value a plugin may add for the eligibility rules (plain JSON; money in minor units; dates `yyyy-mm-dd`). */
export type FactValue =
  string | number | boolean | null | FactValue[] | { [key: string]: FactValue }

/** Which program an event happens in (every payload carries it). */
export interface ProgramEvent {
  /** The tenant owning the program (and therefore the application, booking, money). */
  tenantId: string
  /** The program the event belongs to. */
  programId: string
}

/**
 * What a receiver of `application.approved` returns to grant the benefit: one posting per kind of
 * benefit. The ledger books `amountMinor × count` in one balanced, idempotent transaction.
 */
export interface BenefitPosting {
  /** `credit`: a balance spent in the catalogue; `voucher`: `count` single vouchers (QR codes). */
  kind: 'credit' | 'voucher'
  /** Value of one unit in integer minor units (a voucher's face value; the credit amount). */
  amountMinor: number
  /** Number of units: vouchers issued; always 1 for credit. */
  count: number
  /** Must equal the payload's currency. */
  currency: Currency
  /** The period the benefit is for; must equal the payload's `periodId`. */
  periodId: string
  /** Months after approval the benefit stays spendable (absent: until the program ends). */
  expiresAfterMonths?: number
}

/** A reason a booking cannot be made, as a translation key with values for its message. */
export interface BookingProblem {
  /** Translation key in the plugin's namespace, e.g. `plugins.voucher.price_below_minimum`. */
  key: string
  /** The booking form field it concerns (default: the whole form). */
  field?: string
  /** Values the message interpolates (money in minor units). */
  values?: Record<string, string | number>
}

/** A menu entry a plugin adds to a program's pages. */
export interface NavItem {
  /** Translation key of the label (`plugins.<id>.ui.…`). */
  labelKey: string
  /**
   * Name of the GET route it links to: the plugin's own (`plugins.<id>.<area>.…`) or a core one.
   * An entry whose route does not exist or lacks a parameter is left out (and logged).
   */
  routeName: string
  /** The route's parameters (`{ programId }`). */
  params?: Record<string, string | number>
}

/** Payload of `application.eligibility_facts`. */
export interface EligibilityFactsPayload extends ProgramEvent {
  /**
   * The application, once it is recorded (providing information); `null` while it is not
   * (the offers' pre-check, the form's live check, a submission: facts come before the row).
   */
  applicationId: string | null
  /** The person applying. */
  applicantUserId: string
  /** The child the application is for, when it is for a child. */
  childId: string | null
  /** The period applied for. */
  periodId: string
  /** The facts core has built so far (read-only; a receiver returns additions, never edits). */
  facts: Readonly<Record<string, FactValue>>
}

/** Payload of `application.approved`. */
export interface ApplicationApprovedPayload extends ProgramEvent {
  applicationId: string
  /** The person the benefit is credited to. */
  beneficiaryUserId: string
  /** The child the benefit is for, when it is for a child. */
  childId: string | null
  /** The household of the beneficiary (for caps per household). */
  householdId: string | null
  /** The period (e.g. a school half-year, `2026-h1`) the benefit is for. */
  periodId: string
  /** The program's currency. */
  currency: Currency
  /**
   * What this household has already been granted in this program and period, in minor units
   * (summed from the ledger by core, so a receiver can apply a cap without reading the ledger).
   */
  householdGrantedMinor: number
}

/** Payload of `application.withdrawn`. */
export interface ApplicationWithdrawnPayload extends ProgramEvent {
  applicationId: string
  /** The person who applied. */
  applicantUserId: string
  /** The child the application was for. */
  childId: string | null
  /** The period applied for. */
  periodId: string
  /**
   * The status the application had before it was withdrawn: undecided (submitted, or waiting for
   * the information a reviewer asked for), or approved but waiting for the budget (nothing was
   * granted yet, so there is nothing to reverse).
   */
  previousStatus: 'submitted' | 'info_requested' | 'waitlisted'
  /** Who withdrew it: the applicant (the only way an application is withdrawn today). */
  by: 'applicant'
}

/** Payload of `booking.validate`. */
export interface BookingValidatePayload extends ProgramEvent {
  /** The booking being checked (absent while it is only being drafted). */
  bookingId: string | null
  /** How the benefit is spent: booked in the portal's catalogue, or redeemed at a provider's till. */
  channel: 'catalog' | 'till'
  activity: {
    id: string
    /** Full price of the activity for the period, in minor units. */
    priceMinor: number
    currency: Currency
  }
  /** Vouchers of this program the citizen applies to this booking (0 when paying with credit). */
  voucherCount: number
  /** Credit of this program the citizen applies to this booking, in minor units (0 with vouchers). */
  creditMinor: number
}

/** Payload of `program.nav_items`. */
export interface NavItemsPayload extends ProgramEvent {
  /** Which menu is being built. */
  area: 'admin' | 'portal' | 'provider'
}

/** Payload of `program.settings_saved`. */
export interface SettingsSavedPayload extends ProgramEvent {
  /** The settings before the save (already validated; `null` for a new program). */
  previous: Readonly<Record<string, unknown>> | null
  /** The settings now saved (validated by the plugin's schema). */
  current: Readonly<Record<string, unknown>>
}

declare const payloadType: unique symbol
declare const resultType: unique symbol

/** One hook's declaration: its documentation at run time and its payload and result types. */
export interface HookDeclaration<Payload, Result> {
  /** When core sends the hook. */
  readonly when: string
  /** What a receiver returns. */
  readonly returns: string
  /** Whether a throwing receiver stops the action (true) or is only logged and collected (false). */
  readonly blocking: boolean
  /** Checks a receiver's result; each string is a problem (a wrong result counts as the receiver throwing). */
  readonly checkResult?: (result: unknown, payload: Payload) => string[]
  /** Phantom: the payload type (never set at run time). */
  readonly [payloadType]?: Payload
  /** Phantom: the result type (never set at run time). */
  readonly [resultType]?: Result
}

function hook<Payload, Result>(
  declaration: HookDeclaration<Payload, Result>
): HookDeclaration<Payload, Result> {
  return Object.freeze(declaration)
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
const isWhole = (value: unknown, min: number) =>
  Number.isSafeInteger(value) && (value as number) >= min

/**
 * The hook catalogue. Keys are hook names (`<subject>.<event>`); see each entry's doc block.
 */
export const hookCatalogue = {
  /**
   * `application.eligibility_facts`: lets a plugin add facts about an applicant.
   *
   * - **Sent** wherever core builds an applicant's facts for an eligibility evaluation
   *   (`applicantFacts` in app/applications/context.ts): the offers' pre-check per child, the
   *   form's live check, a submission, and providing information a reviewer asked for; after the
   *   core facts are built, before the rule runs. The facts, with the plugins' additions, are
   *   recorded on the application: review, approval and replay read the recorded facts and do
   *   not send the hook again.
   * - **Payload**: `EligibilityFactsPayload` (the facts built so far, read-only).
   * - **Returns**: an object of additional facts keyed by dot path under the plugin's id
   *   (`voucher.used_this_year`); `{}` when there is nothing to add. Every key is a fact the
   *   manifest declares (`facts`), its value of the declared type (money in minor units, dates
   *   `yyyy-mm-dd`, an enum one of its choices) or `null` (unknown). Core refuses the whole
   *   evaluation (a translated error for the person) when a key is outside the plugin's id,
   *   under a fact core has already set (a plugin whose id is a core namespace, such as
   *   `household`) or not declared, or a value is not plain JSON or not of the declared type.
   * - **Throwing blocks**: yes. A missing fact could turn a refusal into an approval, so the
   *   evaluation stops rather than decide without it.
   * - **What reads them**: the rules of the plugin's programs (a rule may name `<id>.<name>` of
   *   its own plugin's declared facts: validated at save, listed by the rule builder, explained
   *   with the declared labels), reviewers (the facts on the application page) and the
   *   decision's record.
   */
  'application.eligibility_facts': hook<EligibilityFactsPayload, Record<string, FactValue>>({
    when: "while an applicant's facts for an eligibility evaluation are built, before the rule runs",
    returns: 'an object of additional facts by dot path ({} for none)',
    blocking: true,
    checkResult: (result) => (isObject(result) ? [] : ['must return an object of facts']),
  }),

  /**
   * `application.approved`: asks the program's plugin what benefit an approved application grants.
   *
   * - **Sent** inside the approval's transaction, after the decision is recorded and before the
   *   ledger posts anything.
   * - **Payload**: `ApplicationApprovedPayload` (program, application, beneficiary, period,
   *   currency, what the household already got).
   * - **Returns**: `BenefitPosting[]`, data only: core books them in the ledger with an idempotency
   *   key derived from the application, so a receiver must not post, send mail or call out.
   *   Each posting's currency and period must equal the payload's; amounts and counts are whole.
   * - **Throwing blocks**: yes. The approval is rolled back and nothing is booked (throw
   *   `HookRefusal` to tell the reviewer why, e.g. a household cap reached).
   */
  'application.approved': hook<ApplicationApprovedPayload, BenefitPosting[]>({
    when: 'inside the approval transaction, after the decision is recorded, before the ledger posts',
    returns:
      'ledger postings granting the benefit: [{ kind, amountMinor, count, currency, periodId }]',
    blocking: true,
    checkResult: (result, payload) => {
      if (!Array.isArray(result)) return ['must return an array of postings']
      const problems: string[] = []
      result.forEach((posting: unknown, index) => {
        const at = `posting ${index}`
        if (!isObject(posting)) return problems.push(`${at} is not an object`)
        if (posting.kind !== 'credit' && posting.kind !== 'voucher')
          problems.push(`${at}: kind must be credit or voucher`)
        if (!isWhole(posting.amountMinor, 1))
          problems.push(`${at}: amountMinor must be a positive whole number`)
        if (!isWhole(posting.count, 1))
          problems.push(`${at}: count must be a positive whole number`)
        if (posting.kind === 'credit' && posting.count !== 1)
          problems.push(`${at}: a credit posting has count 1`)
        if (posting.currency !== payload.currency)
          problems.push(`${at}: currency must be ${payload.currency}`)
        if (posting.periodId !== payload.periodId)
          problems.push(`${at}: periodId must be ${payload.periodId}`)
        if (posting.expiresAfterMonths !== undefined && !isWhole(posting.expiresAfterMonths, 1)) {
          problems.push(`${at}: expiresAfterMonths must be a positive whole number`)
        }
      })
      return problems
    },
  }),

  /**
   * `application.withdrawn`: tells plugins an application was withdrawn.
   *
   * - **Sent** by the withdrawal action (`WithdrawApplication`), after the new status and its
   *   history event are written, inside the withdrawal's transaction. Only undecided applications
   *   can be withdrawn today, so no benefit was granted yet.
   * - **Payload**: `ApplicationWithdrawnPayload`.
   * - **Returns**: nothing.
   * - **Throwing blocks**: no. The withdrawal stands; the error is logged.
   */
  'application.withdrawn': hook<ApplicationWithdrawnPayload, void>({
    when: 'after an application is withdrawn, inside the withdrawal transaction',
    returns: 'nothing',
    blocking: false,
  }),

  /**
   * `booking.validate`: asks plugins whether a booking of an activity may be made.
   *
   * - **Sent** once bookings exist (the activity marketplace; not yet built): before a booking
   *   (or a till redemption) is created or accepted, inside its transaction, and when the booking
   *   form checks a draft. No core code sends it today; the voucher plugin already receives it.
   * - **Payload**: `BookingValidatePayload` (activity price, vouchers and credit applied, channel).
   * - **Returns**: `BookingProblem[]`, empty when the booking is fine. Any problem refuses the
   *   booking; the citizen sees every problem's message.
   * - **Throwing blocks**: yes. A booking no plugin could check is refused.
   */
  'booking.validate': hook<BookingValidatePayload, BookingProblem[]>({
    when: 'before a booking or till redemption is created or accepted, and when a draft is checked',
    returns: 'a list of problems ({ key, field?, values? }); empty when the booking is fine',
    blocking: true,
    checkResult: (result) => {
      if (!Array.isArray(result)) return ['must return an array of problems']
      return result.some((p: unknown) => !isObject(p) || typeof p.key !== 'string' || p.key === '')
        ? ['every problem needs a translation key']
        : []
    },
  }),

  /**
   * `program.nav_items`: collects the menu entries plugins add for a program.
   *
   * - **Sent** when a program's menu is built: in the admin, on the program's page (area
   *   `admin`); in the portal, for every program on the "Credit and vouchers" page (area
   *   `portal`). Core shows the entries as links (app/programs/plugin_nav.ts).
   * - **Payload**: `NavItemsPayload` (which area).
   * - **Returns**: `NavItem[]` (`{ labelKey, routeName, params? }`), in the order to show them.
   * - **Throwing blocks**: no. The page renders without that plugin's entries; the error is logged.
   */
  'program.nav_items': hook<NavItemsPayload, NavItem[]>({
    when: 'when the menu of a program is built for an area',
    returns: 'menu entries [{ labelKey, routeName }]',
    blocking: false,
    checkResult: (result) => {
      if (!Array.isArray(result)) return ['must return an array of menu entries']
      const problems: string[] = []
      if (
        result.some(
          (i: unknown) =>
            !isObject(i) || typeof i.labelKey !== 'string' || typeof i.routeName !== 'string'
        )
      ) {
        problems.push('every menu entry needs labelKey and routeName')
      }
      if (
        result.some(
          (i: unknown) =>
            isObject(i) &&
            i.params !== undefined &&
            !(
              isObject(i.params) &&
              Object.values(i.params).every(
                (v) => typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v))
              )
            )
        )
      ) {
        problems.push('menu entry params must be an object of strings and numbers')
      }
      return problems
    },
  }),

  /**
   * `program.settings_saved`: tells plugins their settings for a program changed.
   *
   * - **Sent** by the program actions (app/actions/programs/program_actions.ts: admin, API and
   *   `tenants:sync`) after the program's plugin settings were validated by the plugin's schema
   *   and saved, inside the save's transaction (slow work belongs in `afterCommit`): when a
   *   program is created (`previous: null`), and when a save changes the stored settings (a save
   *   that changes only other parts of the program does not send it).
   * - **Payload**: `SettingsSavedPayload` (previous and current settings).
   * - **Returns**: nothing.
   * - **Throwing blocks**: no. The settings stay saved; the error is logged. Cross-field checks
   *   belong in the settings schema, not here.
   */
  'program.settings_saved': hook<SettingsSavedPayload, void>({
    when: "after a program's plugin settings were validated and saved (created or changed)",
    returns: 'nothing',
    blocking: false,
  }),
} as const

/** The name of a hook in the catalogue. */
export type HookName = keyof typeof hookCatalogue

/** The payload a hook is sent with, by hook name. */
export type HookPayloadMap = {
  [H in HookName]: (typeof hookCatalogue)[H] extends HookDeclaration<infer P, any> ? P : never
}

/** What a receiver of a hook returns, by hook name. */
export type HookResultMap = {
  [H in HookName]: (typeof hookCatalogue)[H] extends HookDeclaration<any, infer R> ? R : never
}

/** The payload of one hook. */
export type HookPayload<H extends HookName> = HookPayloadMap[H]

/** The result of one receiver of a hook. */
export type HookResult<H extends HookName> = HookResultMap[H]

/** What a receiver gets besides the payload: its plugin's id and its validated settings for the program. */
export interface HookContext<Settings = Record<string, unknown>> {
  /** The receiving plugin's id. */
  pluginId: string
  /** The plugin's settings for this program, validated by its schema (defaults filled in). */
  settings: Settings
}

/** A receiver of a hook: a function of the payload and the context, returning the hook's result. */
export type HookHandler<H extends HookName, Settings = Record<string, unknown>> = (
  payload: HookPayload<H>,
  context: HookContext<Settings>
) => HookResult<H> | Promise<HookResult<H>>

/** Every hook name of the catalogue, in declaration order. */
export const HOOK_NAMES = Object.keys(hookCatalogue) as HookName[]

/** Whether a string names a hook of the catalogue. */
export function isHookName(name: string): name is HookName {
  return Object.hasOwn(hookCatalogue, name)
}

/**
 * Thrown by a receiver to refuse with a message for people (a translation key and its values),
 * e.g. `new HookRefusal('plugins.credit.household_cap_reached', { capMinor })`.
 */
export class HookRefusal extends Error {
  /** Translation key of the message. */
  readonly key: string
  /** Values the message interpolates. */
  readonly values: Record<string, string | number>

  constructor(key: string, values: Record<string, string | number> = {}) {
    super(key)
    this.name = 'HookRefusal'
    this.key = key
    this.values = values
  }
}
