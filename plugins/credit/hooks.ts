import {
  HookRefusal,
  type ApplicationApprovedPayload,
  type BenefitPosting,
} from '../../app/plugin_engine/hooks.js'
import type { CreditSettings } from './settings.js'

/**
 * `application.approved` for credit programs: one credit posting of the per-child amount, cut to
 * what the household cap leaves; refuses (blocking the approval) when the cap is already reached.
 */
export function creditPostingsOnApproval(
  payload: ApplicationApprovedPayload,
  settings: CreditSettings
): BenefitPosting[] {
  let amountMinor = settings.amountPerChildPerPeriod
  if (settings.maxPerHousehold !== undefined) {
    const leftMinor = settings.maxPerHousehold - payload.householdGrantedMinor
    if (leftMinor <= 0) {
      throw new HookRefusal('plugins.credit.household_cap_reached', {
        capMinor: settings.maxPerHousehold,
      })
    }
    amountMinor = Math.min(amountMinor, leftMinor)
  }
  const posting: BenefitPosting = {
    kind: 'credit',
    amountMinor,
    count: 1,
    currency: payload.currency,
    periodId: payload.periodId,
  }
  if (settings.expiresAfterMonths !== undefined)
    posting.expiresAfterMonths = settings.expiresAfterMonths
  return [posting]
}
