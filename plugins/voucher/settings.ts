import {
  defineSettings,
  field,
  type InferSettings,
} from '../../app/plugin_engine/settings_schema.js'

/**
 * Settings of a voucher program (amVOUCHER, "Darujeme kroužky dětem"): how many vouchers of what
 * value an approved application issues, where they are spent and the family's co-payment.
 */
export const voucherSettings = defineSettings({
  vouchersPerChildPerPeriod: field.integer({
    required: true,
    default: 2,
    min: 1,
    max: 20,
    label: {
      cs: 'Počet poukázek na dítě a období',
      en: 'Vouchers per child and period',
      uk: 'Кількість ваучерів на дитину за період',
      pl: 'Liczba bonów na dziecko i okres',
    },
  }),
  faceValue: field.money({
    required: true,
    default: 100_000,
    min: 1,
    label: {
      cs: 'Hodnota jedné poukázky',
      en: 'Value of one voucher',
      uk: 'Номінал одного ваучера',
      pl: 'Wartość jednego bonu',
    },
  }),
  spendAt: field.choice({
    required: true,
    multiple: true,
    default: ['catalog'],
    choices: [
      {
        value: 'catalog',
        label: {
          cs: 'Katalog aktivit na portálu',
          en: 'Activity catalogue on the portal',
          uk: 'Каталог занять на порталі',
          pl: 'Katalog zajęć na portalu',
        },
      },
      {
        value: 'till',
        label: {
          cs: 'Pokladna poskytovatele (čtečka poukázek)',
          en: "Provider's till (voucher reader)",
          uk: 'Каса надавача (зчитувач ваучерів)',
          pl: 'Kasa usługodawcy (czytnik bonów)',
        },
      },
    ],
    label: {
      cs: 'Kde lze poukázky uplatnit',
      en: 'Where vouchers can be spent',
      uk: 'Де можна використати ваучери',
      pl: 'Gdzie można wykorzystać bony',
    },
  }),
  expiresAfterMonths: field.durationMonths({
    min: 1,
    max: 120,
    label: {
      cs: 'Platnost poukázky (měsíce)',
      en: 'Voucher valid for (months)',
      uk: 'Термін дії ваучера (місяці)',
      pl: 'Ważność bonu (miesiące)',
    },
    help: {
      cs: 'Po kolika měsících od vydání nevyužitá poukázka propadne. Prázdné: platí do konce programu.',
      en: 'Months after issue when an unused voucher lapses. Empty: valid until the program ends.',
      uk: 'Через скільки місяців після видачі невикористаний ваучер згорає. Порожньо: до кінця програми.',
      pl: 'Po ilu miesiącach od wydania niewykorzystany bon przepada. Puste: do końca programu.',
    },
  }),
  allowSeveralOnOneActivity: field.boolean({
    default: true,
    label: {
      cs: 'Více poukázek na jednu aktivitu',
      en: 'Several vouchers on one activity',
      uk: 'Кілька ваучерів на одне заняття',
      pl: 'Kilka bonów na jedne zajęcia',
    },
  }),
  coPaymentBasisPoints: field.percent({
    required: true,
    default: 2000,
    min: 0,
    max: 9900,
    label: {
      cs: 'Spoluúčast rodiny',
      en: "Family's co-payment",
      uk: 'Співоплата родини',
      pl: 'Współpłatność rodziny',
    },
    help: {
      cs: 'Nejmenší podíl ceny aktivity, který rodina platí sama. Při 20 % a poukázce 1000 Kč musí aktivita stát aspoň 1250 Kč.',
      en: "The smallest share of an activity's price the family pays itself. At 20 % and a 1000 CZK voucher, the activity must cost at least 1250 CZK.",
      uk: 'Найменша частка ціни заняття, яку родина сплачує сама. При 20 % і ваучері 1000 крон заняття має коштувати щонайменше 1250 крон.',
      pl: 'Najmniejsza część ceny zajęć, którą rodzina płaci sama. Przy 20 % i bonie 1000 CZK zajęcia muszą kosztować co najmniej 1250 CZK.',
    },
  }),
})

/** The validated settings of a voucher program. */
export type VoucherSettings = InferSettings<typeof voucherSettings>
