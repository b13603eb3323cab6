/*
 * Deterministic fact sets for the eligibility benchmark: a seeded PRNG, so every run evaluates the same
 * 100 000 applicants. Most fields take a "typical eligible" value most of the time, so that the big rule
 * is usually evaluated deep into its conditions instead of stopping at the first one.
 */
import { paramValues } from '../../app/eligibility/fact_catalog.js'
import { SYNTHETIC_PARAMS } from '../../app/eligibility/demo_rules.js'

/** A small seeded PRNG (xorshift32 with a multiplicative output scramble); returns floats in [0, 1). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0 || 0x9e3779b9
  return () => {
    state ^= state << 13
    state >>>= 0
    state ^= state >>> 17
    state ^= state << 5
    state >>>= 0
    return (Math.imul(state, 0x2545f491) >>> 0) / 4294967296
  }
}

const pad = (n: number) => String(n).padStart(2, '0')

/** Generates `count` fact sets from a seed (the same seed gives the same facts). */
export function generateFacts(count: number, seed = 20250901): Record<string, any>[] {
  const random = seededRandom(seed)
  const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1))
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]
  const chance = (p: number) => random() < p
  const date = (fromYear: number, toYear: number) =>
    `${int(fromYear, toYear)}-${pad(int(1, 12))}-${pad(int(1, 28))}`
  const params = paramValues(SYNTHETIC_PARAMS)

  const facts: Record<string, any>[] = []
  for (let i = 0; i < count; i++) {
    const secondHalf = chance(0.5)
    const subsistence = int(9_000, 25_000) * 100
    const income = chance(0.7)
      ? int(0, Math.floor((subsistence * 3.4) / 100)) * 100
      : int(0, 100_000) * 100
    const childrenCount = chance(0.9) ? int(1, 4) : int(0, 14)
    const children = Array.from({ length: chance(0.95) ? int(1, 3) : 0 }, () => ({
      birth_date: chance(0.9) ? date(2010, 2021) : date(2000, 2024),
    }))
    facts.push({
      applicant: {
        citizenship: chance(0.9) ? pick(['CZ', 'CZ', 'UA']) : pick(['PL', 'SK', 'OTHER']),
        home_tenant: chance(0.97)
          ? pick(['praha5', 'praha6', 'praha17', 'dk-ngo'])
          : pick(['test-tenant', 'blocked-tenant']),
        verified: chance(0.93),
        benefits: {
          child_allowance: chance(0.45),
          care_allowance: chance(0.2),
          foster_care_allowance: chance(0.1),
          foster_parent_reward: chance(0.1),
        },
        protection_status: pick([
          'none',
          'temporary_protection',
          'temporary_protection',
          'tolerance_visa',
        ]),
        birth_date: date(1950, 2003),
        documents: chance(0.95)
          ? [
              'decision',
              ...(chance(0.3) ? ['protection'] : []),
              ...(chance(0.03) ? ['revoked'] : []),
            ]
          : [],
      },
      child: { birth_date: chance(0.85) ? date(2008, 2021) : date(2000, 2025) },
      household: {
        children_count: childrenCount,
        children,
        monthly_income: income,
        subsistence_minimum: subsistence,
        income_multiple: income / subsistence,
      },
      history: {
        applications_in_period: chance(0.9) ? int(0, 4) : int(5, 8),
        benefits_in_period: chance(0.9) ? int(0, 2) : 3,
        amount_granted_in_period: chance(0.9) ? int(0, 2_000) * 100 : int(0, 400_000),
      },
      period: secondHalf
        ? { start: '2026-02-01', end: '2026-06-30' }
        : { start: '2025-09-01', end: '2026-01-31' },
      reference_date: secondHalf ? '2026-02-01' : '2025-09-01',
      params,
    })
  }
  return facts
}
