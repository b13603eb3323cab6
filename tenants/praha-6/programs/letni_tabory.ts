import { defineProgram } from '#programs/define_program'

/** Praha 6: contribution to a summer camp, 600 CZK credit per child aged 3–18 (residents). */
export default defineProgram({
  slug: 'letni-tabory-praha6-2027',
  pluginId: 'credit',
  status: 'published',
  config: {
    name: {
      cs: 'Příspěvek na letní tábor 2027',
      en: 'Summer camp contribution 2027',
      uk: 'Внесок на літній табір 2027',
      pl: 'Dopłata do obozu letniego 2027',
    },
    description: {
      cs: 'Městská část Praha 6 přispívá 600 Kč na letní tábor každému dítěti od 3 do 18 let s trvalým pobytem v Praze 6.',
      en: 'Prague 6 contributes 600 CZK to a summer camp for every child aged 3 to 18 living in Prague 6.',
    },
    applicationOpensAt: '2026-11-01T00:00:00+01:00',
    applicationClosesAt: '2027-06-30T23:59:59+02:00',
    periods: [
      {
        key: 'leto-2027',
        name: { cs: 'Léto 2027', en: 'Summer 2027', uk: 'Літо 2027', pl: 'Lato 2027' },
        start: '2027-07-01',
        end: '2027-08-31',
      },
    ],
    audience: { scope: 'residents' },
    currency: 'CZK',
    budgetMinor: 180_000_000,
    // When the budget runs out, approved families wait and are served in order as it grows.
    whenBudgetExhausted: 'waitlist',
    limits: { perChildAmountMinor: 60_000, perChildCountPerPeriod: 1 },
    coPaymentBp: 0,
    documents: [],
    eligibilityRule: {
      and: [
        { '===': [{ var: 'applicant.home_tenant' }, 'praha-6'] },
        { '<=': [3, { age_on: [{ var: 'child.birth_date' }, { var: 'period.start' }] }, 18] },
      ],
    },
    params: {},
    categories: ['camp'],
    requiresActivityApproval: false,
    pluginSettings: { amountPerChildPerPeriod: 60_000, spendableInCatalog: true },
  },
})
