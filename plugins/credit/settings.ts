import {
  defineSettings,
  field,
  type InferSettings,
} from '../../app/plugin_engine/settings_schema.js'

/**
 * Settings of a credit program (amKREDIT): how much credit an approved application loads and how it
 * may be spent. Money in minor units of the program's currency.
 */
export const creditSettings = defineSettings({
  amountPerChildPerPeriod: field.money({
    required: true,
    default: 100_000,
    min: 1,
    label: {
      cs: 'Příspěvek na dítě a období',
      en: 'Contribution per child and period',
      uk: 'Внесок на дитину за період',
      pl: 'Dofinansowanie na dziecko i okres',
    },
    help: {
      cs: 'Kredit, který schválená žádost připíše na účet rodiče, na jedno dítě a jedno období.',
      en: "Credit an approved application loads to the parent's account, for one child and one period.",
      uk: 'Кредит, який схвалена заява зараховує на рахунок батьків, на одну дитину за один період.',
      pl: 'Kredyt, który zatwierdzony wniosek dopisuje do konta rodzica, na jedno dziecko i jeden okres.',
    },
  }),
  maxPerHousehold: field.money({
    min: 1,
    label: {
      cs: 'Nejvýše na domácnost',
      en: 'Maximum per household',
      uk: 'Максимум на домогосподарство',
      pl: 'Maksymalnie na gospodarstwo domowe',
    },
    help: {
      cs: 'Strop za období pro všechny děti jedné domácnosti dohromady. Prázdné: bez stropu.',
      en: 'A cap per period for all children of one household together. Empty: no cap.',
      uk: 'Ліміт за період для всіх дітей одного домогосподарства разом. Порожньо: без ліміту.',
      pl: 'Limit na okres dla wszystkich dzieci jednego gospodarstwa łącznie. Puste: bez limitu.',
    },
  }),
  spendableInCatalog: field.boolean({
    default: true,
    label: {
      cs: 'Lze utratit v katalogu aktivit',
      en: 'Spendable in the activity catalogue',
      uk: 'Можна витратити в каталозі занять',
      pl: 'Do wykorzystania w katalogu zajęć',
    },
  }),
  expiresAfterMonths: field.durationMonths({
    min: 1,
    max: 120,
    label: {
      cs: 'Platnost kreditu (měsíce)',
      en: 'Credit valid for (months)',
      uk: 'Термін дії кредиту (місяці)',
      pl: 'Ważność kredytu (miesiące)',
    },
    help: {
      cs: 'Po kolika měsících od schválení nevyčerpaný kredit propadne. Prázdné: platí do konce programu.',
      en: 'Months after approval when unspent credit lapses. Empty: valid until the program ends.',
      uk: 'Через скільки місяців після схвалення невикористаний кредит згорає. Порожньо: до кінця програми.',
      pl: 'Po ilu miesiącach od zatwierdzenia niewykorzystany kredyt przepada. Puste: do końca programu.',
    },
  }),
})

/** The validated settings of a credit program. */
export type CreditSettings = InferSettings<typeof creditSettings>
