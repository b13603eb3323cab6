import { defineProgram } from '#programs/define_program'
import { OLOMOUC_SENIORS_RULE } from '#eligibility/demo_rules'

/**
 * Olomouc: seniors 60+ get one 500 CZK QR voucher for swimming and culture. The senior applies
 * for themselves (the applicant is the beneficiary); the age is read from the birth date the
 * population register confirmed. Applications for 2027 open in December 2026.
 */
export default defineProgram({
  slug: 'seniori-plavani-kultura-2027',
  pluginId: 'voucher',
  status: 'published',
  config: {
    name: {
      cs: 'Senioři 60+: plavání a kultura',
      en: 'Seniors 60+: swimming and culture',
      uk: 'Сеньйори 60+: плавання та культура',
      pl: 'Seniorzy 60+: pływanie i kultura',
    },
    description: {
      cs: 'Jedna QR poukázka v hodnotě 500 Kč na plavání nebo kulturní akci pro občany Olomouce od 60 let.',
      en: 'One 500 CZK QR voucher for swimming or a cultural event for Olomouc residents aged 60 and over.',
    },
    applicationOpensAt: '2026-12-01T00:00:00+01:00',
    applicationClosesAt: '2027-12-15T23:59:59+01:00',
    periods: [
      {
        key: '2027',
        name: { cs: 'Rok 2027', en: 'Year 2027', uk: '2027 рік', pl: 'Rok 2027' },
        start: '2027-01-01',
        end: '2027-12-31',
      },
    ],
    audience: { scope: 'residents', beneficiary: 'applicant' },
    currency: 'CZK',
    budgetMinor: 150_000_000,
    limits: { perChildCountPerPeriod: 1 },
    coPaymentBp: 0,
    documents: [],
    eligibilityRule: OLOMOUC_SENIORS_RULE,
    params: {},
    categories: ['swimming', 'culture'],
    requiresActivityApproval: false,
    pluginSettings: {
      vouchersPerChildPerPeriod: 1,
      faceValue: 50_000,
      spendAt: ['till'],
      expiresAfterMonths: 12,
      allowSeveralOnOneActivity: false,
      coPaymentBasisPoints: 0,
    },
  },
})
