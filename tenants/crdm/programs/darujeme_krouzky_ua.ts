import { defineProgram, SCHOOL_YEAR_2026_27 } from '#programs/define_program'
import { DK_UA_PARAMS, DK_UA_RULE } from '#eligibility/demo_rules'

/**
 * "Darujeme kroužky dětem (UA)": Ukrainian refugee families with temporary protection or a
 * tolerance visa and income at most 3.4 × the subsistence minimum.
 */
export default defineProgram({
  slug: 'darujeme-krouzky-ua',
  pluginId: 'voucher',
  status: 'published',
  config: {
    name: {
      cs: 'Darujeme kroužky dětem (UA)',
      en: 'We give clubs to children (UA)',
      uk: 'Даруємо гуртки дітям (UA)',
      pl: 'Dajemy dzieciom zajęcia (UA)',
    },
    description: {
      cs: 'Pro rodiny uprchlíků z Ukrajiny s dočasnou ochranou nebo vízem strpění a s příjmem nejvýše 3,4násobku životního minima. Na dítě a pololetí 2 poukázky po 1000 Kč.',
      en: 'For refugee families from Ukraine with temporary protection or a tolerance visa and income at most 3.4 times the subsistence minimum. Per child and half-year, 2 vouchers of 1000 CZK.',
      uk: 'Для родин біженців з України з тимчасовим захистом або візою толерантності та доходом не вище 3,4 прожиткового мінімуму. На дитину та півріччя 2 ваучери по 1000 крон.',
      pl: 'Dla rodzin uchodźców z Ukrainy z ochroną czasową lub wizą tolerancyjną i dochodem najwyżej 3,4-krotności minimum egzystencji. Na dziecko i półrocze 2 bony po 1000 CZK.',
    },
    applicationOpensAt: '2026-08-15T00:00:00+02:00',
    applicationClosesAt: '2027-05-31T23:59:59+02:00',
    periods: SCHOOL_YEAR_2026_27,
    audience: { scope: 'nationwide', citizenships: ['UA'] },
    currency: 'CZK',
    budgetMinor: 800_000_000,
    limits: { perChildAmountMinor: 200_000, perChildCountPerPeriod: 2 },
    coPaymentBp: 2000,
    documents: [
      {
        key: 'protection_document',
        name: {
          cs: 'Doklad o udělení ochrany dítěti',
          en: 'Document granting protection to the child',
          uk: 'Документ про надання захисту дитині',
          pl: 'Dokument o udzieleniu ochrony dziecku',
        },
        formats: ['application/pdf', 'image/jpeg', 'image/png'],
        maxSizeBytes: 10 * 1024 * 1024,
        requiredWhen: {
          in: [{ var: 'applicant.protection_status' }, ['temporary_protection', 'tolerance_visa']],
        },
      },
    ],
    eligibilityRule: DK_UA_RULE,
    params: DK_UA_PARAMS as any,
    categories: ['sport', 'art', 'music', 'science', 'languages', 'camp'],
    requiresActivityApproval: true,
    pluginSettings: {
      vouchersPerChildPerPeriod: 2,
      faceValue: 100_000,
      spendAt: ['catalog'],
      allowSeveralOnOneActivity: true,
      coPaymentBasisPoints: 2000,
    },
  },
})
