import { defineProgram } from '#programs/define_program'

/** Praha 5: contribution to a summer camp, 1000 CZK credit per child aged 3–18 (residents). */
export default defineProgram({
  slug: 'letni-tabory-2027',
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
      cs: 'Městská část Praha 5 přispívá 1000 Kč na letní tábor každému dítěti od 3 do 18 let s trvalým pobytem v Praze 5.',
      en: 'Prague 5 contributes 1000 CZK to a summer camp for every child aged 3 to 18 living in Prague 5.',
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
    budgetMinor: 300_000_000,
    limits: { perChildAmountMinor: 100_000, perChildCountPerPeriod: 1 },
    coPaymentBp: 0,
    documents: [],
    eligibilityRule: {
      and: [
        { '===': [{ var: 'applicant.home_tenant' }, 'praha-5'] },
        { '<=': [3, { age_on: [{ var: 'child.birth_date' }, { var: 'period.start' }] }, 18] },
      ],
    },
    params: {},
    categories: ['camp'],
    requiresActivityApproval: false,
    pluginSettings: { amountPerChildPerPeriod: 100_000, spendableInCatalog: true },
  },
})
