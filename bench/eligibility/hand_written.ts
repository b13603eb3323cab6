/*
 * The benchmark's baseline: each demo rule written by hand in TypeScript, with the same meaning as the
 * JSON Logic rule on the benchmark's facts (all facts present, JSON types as generated). The date helpers
 * are the engine's own, so the comparison measures the rule machinery, not date parsing.
 */
import {
  ageOn,
  dateAfter,
  dateBefore,
  daysBetween,
  monthsBetween,
} from '../../app/eligibility/operators.js'

/** A hand-written eligibility check over one fact set. */
export type HandWritten = (facts: any) => boolean

function childAged3To18(f: any): boolean {
  const age = ageOn(f.child.birth_date, f.period.start)
  return age !== null && age >= 3 && age <= 18
}

/** DK CZ by hand. */
export const dkCzByHand: HandWritten = (f) => {
  if (!childAged3To18(f)) return false
  const b = f.applicant.benefits
  return (
    b.child_allowance === true ||
    b.care_allowance === true ||
    b.foster_care_allowance === true ||
    b.foster_parent_reward === true
  )
}

/** DK UA by hand. */
export const dkUaByHand: HandWritten = (f) => {
  if (!childAged3To18(f)) return false
  const status = f.applicant.protection_status
  if (status !== 'temporary_protection' && status !== 'tolerance_visa') return false
  return f.household.monthly_income <= f.params.income_multiplier * f.household.subsistence_minimum
}

/** Olomouc seniors by hand. */
export const seniorsByHand: HandWritten = (f) => {
  const age = ageOn(f.applicant.birth_date, f.reference_date)
  return age !== null && age >= 60
}

const present = (value: unknown) => value !== null && value !== undefined && value !== ''

/** The synthetic 60+ operation rule by hand, condition by condition in the rule's order. */
export const synthetic60ByHand: HandWritten = (f) => {
  const a = f.applicant
  const h = f.household
  const hist = f.history
  const p = f.params
  if (!dkCzByHand(f)) return false
  if (
    a.citizenship !== 'CZ' &&
    a.citizenship !== 'UA' &&
    a.citizenship !== 'PL' &&
    a.citizenship !== 'SK'
  )
    return false
  if (a.home_tenant === 'blocked-tenant' || a.home_tenant === 'test-tenant') return false
  if (!(
    h.income_multiple <= p.income_multiplier ||
    h.monthly_income <= p.income_multiplier * h.subsistence_minimum
  )) {
    return false
  }
  if (!(hist.applications_in_period < p.max_applications)) return false
  if (!(hist.amount_granted_in_period + 200_000 <= p.max_amount_per_period)) return false
  if (!(hist.benefits_in_period <= 2)) return false
  if (!(a.documents.length >= 1)) return false
  if (!h.children.some((c: any) => dateBefore(c.birth_date, '2022-09-01'))) return false
  if (
    h.children.length === 0 ||
    !h.children.every((c: any) => dateAfter(c.birth_date, '2005-09-01'))
  )
    return false
  if (a.documents.includes('revoked')) return false
  const months = monthsBetween(f.child.birth_date, f.period.end)
  if (!(months !== null && months >= 36)) return false
  const days = daysBetween(f.period.start, f.period.end)
  if (!(days !== null && days >= 1 && days <= 366)) return false
  if (!dateBefore(f.period.start, f.period.end)) return false
  const applicantAge = ageOn(a.birth_date, f.reference_date)
  if (!(applicantAge !== null && applicantAge >= 18)) return false
  const protectionOk =
    a.citizenship === 'UA'
      ? a.protection_status === 'temporary_protection' || a.protection_status === 'tolerance_visa'
      : a.protection_status !== 'tolerance_visa'
  if (!protectionOk) return false
  if (!a.verified) return false
  if (!(h.children_count > 0 && h.children_count < 13)) return false
  if (!(Math.max(h.children_count, h.children.length) >= 1)) return false
  const granted = hist.amount_granted_in_period
  if (!(granted - (granted % 100) <= p.max_amount_per_period / 1)) return false
  if (`${a.home_tenant}-x`.slice(0, 5) === 'test-') return false
  if (a.documents.includes('revoked')) return false
  if (!present(h.monthly_income) || !present(h.subsistence_minimum)) return false
  if (!present(a.citizenship) && !present(a.home_tenant)) return false
  if (f.child.birth_date === null) return false
  const ageAtEnd = ageOn(f.child.birth_date, f.period.end)
  // JSON Logic compares null as 0 here; the benchmark's children always have a birth date.
  if (!((ageAtEnd as number) <= 19)) return false
  if (!(h.subsistence_minimum + 1 > 0)) return false
  return Math.min(h.children_count, 20) <= 12
}
