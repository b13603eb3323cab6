import { test } from '@japa/runner'
import { errors, SimpleMessagesProvider } from '@vinejs/vine'
import {
  defineSettings,
  field,
  SettingsDeclarationError,
  type InferSettings,
} from '../../../app/plugin_engine/settings_schema.js'
import { voucherSettings } from '../../../plugins/voucher/settings.js'
import { creditSettings } from '../../../plugins/credit/settings.js'

const L = { cs: 'Pole', en: 'Field', uk: 'Поле', pl: 'Pole' } as const

/** The messages of the validation error a promise rejects with (fails when it resolves). */
async function failures(
  promise: Promise<unknown>
): Promise<{ field: string; rule: string; message: string }[]> {
  try {
    await promise
  } catch (error) {
    if (error instanceof errors.E_VALIDATION_ERROR) return (error as any).messages
    throw error
  }
  throw new Error('expected a validation error')
}

const DK_SETTINGS = {
  vouchersPerChildPerPeriod: 2,
  faceValue: 100_000,
  spendAt: ['catalog'],
  allowSeveralOnOneActivity: true,
  coPaymentBasisPoints: 2000,
}

test.group('settings schema: validate (on save)', () => {
  test('valid settings come back typed, unknown keys dropped', async ({ assert }) => {
    const value = await voucherSettings.validate({
      ...DK_SETTINGS,
      expiresAfterMonths: '12',
      hacker: true,
    })
    assert.deepEqual(value, { ...DK_SETTINGS, expiresAfterMonths: 12 } as typeof value)
    const faceValue: number = value.faceValue
    const spendAt: ('catalog' | 'till')[] = value.spendAt
    assert.equal(faceValue + spendAt.length, 100_001)
  })

  test('each problem is reported with its field path and rule', async ({ assert }) => {
    const messages = await failures(
      voucherSettings.validate({
        ...DK_SETTINGS,
        faceValue: 10.5,
        spendAt: ['catalog', 'shop'],
        coPaymentBasisPoints: 10_000,
        vouchersPerChildPerPeriod: undefined,
      })
    )
    const byField = Object.fromEntries(messages.map((m) => [m.field, m.rule]))
    assert.equal(byField.faceValue, 'withoutDecimals')
    assert.equal(byField['spendAt.1'], 'enum')
    assert.equal(byField.coPaymentBasisPoints, 'max')
    assert.equal(byField.vouchersPerChildPerPeriod, 'required')
  })

  test('an absent optional field is left out; null counts as absent', async ({ assert }) => {
    const value = await creditSettings.validate({
      amountPerChildPerPeriod: 60_000,
      spendableInCatalog: false,
      maxPerHousehold: null,
    })
    assert.deepEqual(value, { amountPerChildPerPeriod: 60_000, spendableInCatalog: false })
    assert.notProperty(value, 'maxPerHousehold')
  })

  test('booleans are strict and always required', async ({ assert }) => {
    const messages = await failures(
      creditSettings.validate({ amountPerChildPerPeriod: 1, spendableInCatalog: 'yes' })
    )
    assert.deepEqual(
      messages.map((m) => [m.field, m.rule]),
      [['spendableInCatalog', 'boolean']]
    )
  })

  test('a messages provider translates the messages', async ({ assert }) => {
    const messagesProvider = new SimpleMessagesProvider(
      { required: 'Vyplňte {{ field }}' },
      { faceValue: 'hodnotu' }
    )
    const messages = await failures(
      voucherSettings.validate({ ...DK_SETTINGS, faceValue: undefined }, { messagesProvider })
    )
    assert.equal(messages[0].message, 'Vyplňte hodnotu')
  })

  test('dates are real calendar days within the bounds', async ({ assert }) => {
    const schema = defineSettings({
      start: field.date({ required: true, min: '2026-01-01', max: '2026-12-31', label: L }),
    })
    assert.deepEqual(await schema.validate({ start: '2026-02-28' }), { start: '2026-02-28' })
    assert.equal((await failures(schema.validate({ start: '2026-02-30' })))[0].rule, 'date')
    assert.equal((await failures(schema.validate({ start: '2025-12-31' })))[0].rule, 'min')
    assert.equal((await failures(schema.validate({ start: '2027-01-01' })))[0].rule, 'max')
  })

  test('translated texts: a required one needs a locale; empty locales are dropped', async ({
    assert,
  }) => {
    const schema = defineSettings({
      note: field.text({ translated: true, required: true, maxLength: 5, label: L }),
    })
    assert.deepEqual(await schema.validate({ note: { cs: 'Ahoj', en: '  ' } }), {
      note: { cs: 'Ahoj' },
    })
    assert.equal(
      (await failures(schema.validate({ note: { cs: '', en: ' ' } })))[0].rule,
      'required'
    )
    assert.equal(
      (await failures(schema.validate({ note: { cs: 'příliš dlouhé' } })))[0].field,
      'note.cs'
    )
  })

  test('lists validate every item, with the item index in the path', async ({ assert }) => {
    const schema = defineSettings({
      limits: field.listOf(field.money({ min: 1, label: L }), {
        required: true,
        maxItems: 3,
        label: L,
      }),
    })
    type Value = InferSettings<typeof schema>
    const value: Value = await schema.validate({ limits: [100, 200] })
    assert.deepEqual(value.limits, [100, 200])
    assert.equal((await failures(schema.validate({ limits: [100, 0] })))[0].field, 'limits.1')
    assert.equal((await failures(schema.validate({ limits: [] })))[0].field, 'limits')
  })
})

test.group('settings schema: load (stored settings)', () => {
  test('fills the defaults of missing fields, then validates', async ({ assert }) => {
    // Settings saved before `coPaymentBasisPoints` and `spendAt` existed stay loadable.
    const value = await voucherSettings.load({ vouchersPerChildPerPeriod: 1, faceValue: 50_000 })
    assert.deepEqual(value, {
      vouchersPerChildPerPeriod: 1,
      faceValue: 50_000,
      spendAt: ['catalog'],
      allowSeveralOnOneActivity: true,
      coPaymentBasisPoints: 2000,
    })
  })

  test('nothing stored means the defaults', async ({ assert }) => {
    assert.deepEqual(await creditSettings.load(null), {
      amountPerChildPerPeriod: 100_000,
      spendableInCatalog: true,
    })
    assert.deepEqual(await creditSettings.load(undefined), await creditSettings.load({}))
  })

  test('invalid stored settings are refused with the same validator', async ({ assert }) => {
    const messages = await failures(voucherSettings.load({ ...DK_SETTINGS, faceValue: -1 }))
    assert.deepEqual(
      messages.map((m) => [m.field, m.rule]),
      [['faceValue', 'min']]
    )
    await failures(voucherSettings.load('corrupt'))
    await failures(voucherSettings.load([1, 2]))
  })

  test('a required field without a default must be stored', async ({ assert }) => {
    const schema = defineSettings({ budget: field.money({ required: true, label: L }) })
    assert.equal((await failures(schema.load({})))[0].rule, 'required')
  })
})

test.group('settings schema: defaults and form', () => {
  test('defaults hold the declared defaults, as fresh copies', ({ assert }) => {
    const defaults = voucherSettings.defaults()
    assert.deepEqual(defaults, {
      vouchersPerChildPerPeriod: 2,
      faceValue: 100_000,
      spendAt: ['catalog'],
      allowSeveralOnOneActivity: true,
      coPaymentBasisPoints: 2000,
    })
    defaults.spendAt!.push('till')
    assert.deepEqual(voucherSettings.defaults().spendAt, ['catalog'])
  })

  test('the defaults of the built-in plugins are valid settings', async ({ assert }) => {
    assert.deepEqual(
      await voucherSettings.validate(voucherSettings.defaults()),
      voucherSettings.defaults() as any
    )
    assert.deepEqual(
      await creditSettings.validate(creditSettings.defaults()),
      creditSettings.defaults() as any
    )
  })

  test('form descriptors are labelled in the locale asked for', ({ assert }) => {
    const cs = voucherSettings.form('cs')
    const uk = voucherSettings.form('uk')
    assert.deepEqual(
      cs.map((f) => f.name),
      [
        'vouchersPerChildPerPeriod',
        'faceValue',
        'spendAt',
        'expiresAfterMonths',
        'allowSeveralOnOneActivity',
        'coPaymentBasisPoints',
      ]
    )
    const spendAt = cs.find((f) => f.name === 'spendAt')!
    assert.equal(spendAt.label, 'Kde lze poukázky uplatnit')
    assert.deepEqual(
      spendAt.choices!.map((c) => c.value),
      ['catalog', 'till']
    )
    assert.equal(spendAt.choices![1].label, 'Pokladna poskytovatele (čtečka poukázek)')
    assert.isTrue(spendAt.multiple)
    assert.equal(uk.find((f) => f.name === 'spendAt')!.label, 'Де можна використати ваучери')
    assert.equal(voucherSettings.form('pl')[1].label, 'Wartość jednego bonu')
    assert.equal(voucherSettings.form('de')[1].label, 'Value of one voucher')
  })

  test('form descriptors carry type, bounds, defaults and requiredness as plain JSON', ({
    assert,
  }) => {
    const form = voucherSettings.form('en')
    assert.deepEqual(JSON.parse(JSON.stringify(form)), form)
    const coPayment = form.find((f) => f.name === 'coPaymentBasisPoints')!
    assert.include(coPayment, {
      type: 'percent',
      required: true,
      default: 2000,
      min: 0,
      max: 9900,
      translated: false,
    })
    assert.match(coPayment.help!, /1250 CZK/)
    const expires = form.find((f) => f.name === 'expiresAfterMonths')!
    assert.include(expires, {
      type: 'duration_months',
      required: false,
      default: null,
      min: 1,
      max: 120,
    })
    const credit = creditSettings.form('cs')
    assert.include(credit[0], {
      name: 'amountPerChildPerPeriod',
      type: 'money',
      required: true,
      default: 100_000,
      min: 1,
    })
    assert.include(credit[2], { type: 'boolean', required: true, default: true })
  })

  test('text and list descriptors', ({ assert }) => {
    const schema = defineSettings({
      note: field.text({ translated: true, maxLength: 200, label: L, help: L }),
      dates: field.listOf(field.date({ label: L }), { label: L, maxItems: 4 }),
    })
    const [note, dates] = schema.form('cs')
    assert.include(note, { type: 'text', translated: true, maxLength: 200, help: 'Pole' })
    assert.include(dates, { type: 'list', minItems: 0, maxItems: 4 })
    assert.equal(dates.of!.type, 'date')
  })
})

test.group('settings schema: declarations', () => {
  const refusal = (declare: () => unknown) => {
    try {
      declare()
    } catch (error) {
      if (error instanceof SettingsDeclarationError) return error.problems.join('\n')
      throw error
    }
    throw new Error('expected a SettingsDeclarationError')
  }

  test('refuses a default outside the bounds', ({ assert }) => {
    assert.include(
      refusal(() => defineSettings({ n: field.integer({ default: 5, min: 10, label: L }) })),
      'n: default 5 is outside 10..'
    )
    assert.include(
      refusal(() => defineSettings({ p: field.percent({ default: 12_000, label: L }) })),
      'p: default 12000 is outside 0..10000'
    )
    assert.include(
      refusal(() => defineSettings({ m: field.money({ default: 10.5, label: L }) })),
      'm: default must be a whole number'
    )
  })

  test('refuses a label missing a locale', ({ assert }) => {
    assert.include(
      refusal(() => defineSettings({ n: field.integer({ label: { cs: 'a', en: 'b' } as any }) })),
      'n: label is missing uk, pl'
    )
  })

  test('refuses choice defaults that are not choices', ({ assert }) => {
    const choices = [{ value: 'a', label: L }]
    assert.include(
      refusal(() => defineSettings({ c: field.choice({ choices, default: 'b', label: L }) })),
      'default b is not one of the choices'
    )
    assert.include(
      refusal(() =>
        defineSettings({ c: field.choice({ choices, multiple: true, default: 'a', label: L }) })
      ),
      'default must be an array'
    )
    assert.include(
      refusal(() => defineSettings({ c: field.choice({ choices: [], label: L }) })),
      'choices must not be empty'
    )
  })

  test('refuses bad field names and things that are not fields', ({ assert }) => {
    assert.include(
      refusal(() => defineSettings({ 'bad-name': field.boolean({ label: L }) })),
      'bad-name: a field name must be camelCase'
    )
    assert.include(
      refusal(() => defineSettings({ n: { type: 'integer' } as any })),
      'n: not a field'
    )
  })
})
