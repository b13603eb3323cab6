import { defineProgram, SCHOOL_YEAR_2026_27 } from '#programs/define_program'
import { DK_CZ_RULE } from '#eligibility/demo_rules'

/**
 * "Darujeme kroužky dětem (CZ)": Czech families with children aged 3–18 receiving the child
 * allowance, the care allowance or foster care support. 2 vouchers of 1000 CZK per child and
 * half-year; the family pays at least 20 % of the activity's price.
 */
export default defineProgram({
  slug: 'darujeme-krouzky-cz',
  pluginId: 'voucher',
  status: 'published',
  config: {
    name: {
      cs: 'Darujeme kroužky dětem (CZ)',
      en: 'We give clubs to children (CZ)',
      uk: 'Даруємо гуртки дітям (CZ)',
      pl: 'Dajemy dzieciom zajęcia (CZ)',
    },
    description: {
      cs: 'Pro rodiny s dětmi od 3 do 18 let, které pobírají přídavek na dítě, příspěvek na péči nebo dávky pěstounské péče. Na dítě a pololetí 2 poukázky po 1000 Kč na pravidelné volnočasové aktivity; rodina hradí alespoň 20 % ceny.',
      en: 'For families with children aged 3 to 18 receiving the child allowance, the care allowance or foster care benefits. Per child and half-year, 2 vouchers of 1000 CZK for regular leisure activities; the family pays at least 20 % of the price.',
      uk: 'Для родин із дітьми від 3 до 18 років, які отримують допомогу на дитину, допомогу по догляду або виплати прийомним сім’ям. На дитину та півріччя 2 ваучери по 1000 крон на регулярні гуртки; родина сплачує щонайменше 20 % ціни.',
      pl: 'Dla rodzin z dziećmi w wieku od 3 do 18 lat pobierających zasiłek na dziecko, zasiłek opiekuńczy lub świadczenia z pieczy zastępczej. Na dziecko i półrocze 2 bony po 1000 CZK na regularne zajęcia; rodzina płaci co najmniej 20 % ceny.',
    },
    applicationOpensAt: '2026-08-15T00:00:00+02:00',
    applicationClosesAt: '2027-05-31T23:59:59+02:00',
    periods: SCHOOL_YEAR_2026_27,
    audience: { scope: 'nationwide', citizenships: ['CZ'] },
    currency: 'CZK',
    budgetMinor: 2_000_000_000,
    limits: { perChildAmountMinor: 200_000, perChildCountPerPeriod: 2 },
    coPaymentBp: 2000,
    documents: [
      {
        key: 'labour_office_decision',
        name: {
          cs: 'Rozhodnutí Úřadu práce o dávce',
          en: 'Labour Office decision on the benefit',
          uk: 'Рішення Управління праці про допомогу',
          pl: 'Decyzja Urzędu Pracy o świadczeniu',
        },
        help: {
          cs: 'Nahrajte „Oznámení o přiznání dávky“ nebo „Oznámení o změně výše dávky“ (přídavek na dítě, příspěvek na péči, dávky pěstounské péče).',
          en: 'Upload the “Notice of the benefit granted” or “Notice of a change of the benefit” (child allowance, care allowance, foster care benefits).',
        },
        formats: ['application/pdf', 'image/jpeg', 'image/png'],
        maxSizeBytes: 10 * 1024 * 1024,
        requiredWhen: { '==': [{ var: 'applicant.citizenship' }, 'CZ'] },
      },
    ],
    eligibilityRule: DK_CZ_RULE,
    params: {},
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
