import { test } from '@japa/runner'
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import vine, { errors as vineErrors } from '@vinejs/vine'
import app from '@adonisjs/core/services/app'
import i18nManager from '@adonisjs/i18n/services/main'
import Handlebars from 'handlebars'
import { renderMail, type MailLocale } from '#services/mail_templates'

const LOCALES: MailLocale[] = ['cs', 'en', 'uk', 'pl']
const TEMPLATES = [
  'verify_email',
  'reset_password',
  'staff_added',
  'application_received',
  'application_info_requested',
  'application_approved',
  'application_rejected',
  'application_waitlisted',
  'verification_result',
] as const
const APP_URL = 'http://localhost:3333'
const EVIL_NAME = '<script>x</script>'
const ESCAPED_NAME = '&lt;script&gt;x&lt;/script&gt;'

/** What app/actions/applications/application_actions.ts (mailApplicant) passes to every application e-mail. */
const APPLICATION = {
  reference: 'A-2026-000123',
  programName: 'Kroužky & tábory 2026',
  childName: 'Tereza Nováková',
  periodName: 'Školní rok 2026/27',
  path: '/portal/applications/0190a1b2-app',
}

/** The application e-mails with their own values. */
const APPLICATION_MAILS = {
  application_received: { ...APPLICATION },
  application_info_requested: {
    ...APPLICATION,
    message:
      'Přiložte prosím potvrzení o trvalém pobytu <b>dítěte</b> & "rodný list".\nStačí sken.',
  },
  application_approved: {
    ...APPLICATION,
    granted: [
      { kind: 'voucher', isVoucher: true, count: 2, amount: '500 Kč' },
      { kind: 'credit', isVoucher: false, count: 1, amount: '1 000 Kč' },
    ],
    total: '2 000 Kč',
  },
  application_rejected: {
    ...APPLICATION,
    reason: 'Podle „evidence obyvatel“ nemá dítě trvalý pobyt v <Praze 5>.',
  },
  application_waitlisted: { ...APPLICATION, position: 3 },
}

/** Data as app/services/mailer.ts passes it, plus the template's own values. */
function mailData(template: string, extra: Record<string, unknown> = {}) {
  const base: Record<string, unknown> = {
    appUrl: APP_URL,
    tenantName: 'Praha 5',
    brandColor: '#00558c',
    fullName: EVIL_NAME,
  }
  const own: Record<string, Record<string, unknown> & { path: string }> = {
    verify_email: { path: '/verify-email/tok-verify-123' },
    reset_password: { path: '/reset-password/tok-reset-456' },
    staff_added: {
      path: '/reset-password/tok-invite-789',
      role: 'program_manager',
      inviter: 'Petra Nováková',
    },
    ...APPLICATION_MAILS,
    verification_result: {
      path: '/portal/verification',
      status: 'refused',
      method: 'documents',
      byCensus: false,
      validUntil: '',
      reason: 'Nečitelný sken <b>',
      residentOfName: null,
    },
  }
  return { ...base, ...own[template], ...extra }
}

function flatKeys(value: unknown, prefix = ''): string[] {
  if (value === null || typeof value !== 'object') return [prefix]
  return Object.entries(value as Record<string, unknown>).flatMap(([key, child]) =>
    flatKeys(child, prefix ? `${prefix}.${key}` : key)
  )
}

test.group('Mail templates | every template and locale', () => {
  for (const template of TEMPLATES) {
    for (const locale of LOCALES) {
      test(`${template} (${locale}) renders with an absolute link and escaped values`, ({
        assert,
      }) => {
        const data = mailData(template)
        const link = `${APP_URL}${data.path}`
        const mail = renderMail(template, locale, data)

        assert.isAbove(mail.subject.trim().length, 0)
        assert.notInclude(mail.subject, '\n')
        for (const part of [mail.subject, mail.html, mail.text]) {
          assert.notInclude(part, '{{')
          assert.notInclude(part, 'undefined')
        }

        // Layout: language, brand colour, tenant name, footer naming Active City.
        assert.include(mail.html, `<html lang="${locale}"`)
        assert.include(mail.html, 'background-color:#00558c')
        assert.include(mail.html, 'Praha 5')
        assert.match(mail.html, /Active City/)
        assert.match(mail.text, /Active City/)

        // The link, absolute, in both parts.
        assert.include(mail.html, `href="${link}"`)
        assert.include(mail.text, link)

        // HTML part escapes values; the text part does not.
        assert.notInclude(mail.html, EVIL_NAME)
        assert.include(mail.html, ESCAPED_NAME)
        assert.include(mail.text, EVIL_NAME)
        assert.notInclude(mail.text, '&lt;')
        assert.notMatch(mail.text, /<(p|a|br|div|strong)\b/)
      })
    }
  }
})

test.group('Mail templates | staff_added', () => {
  test('names every role in every locale and works for both kinds of link', ({ assert }) => {
    for (const locale of LOCALES) {
      const names = new Set<string>()
      for (const role of ['tenant_admin', 'program_manager', 'reviewer']) {
        for (const path of ['/reset-password/tok-new', '/admin']) {
          const mail = renderMail('staff_added', locale, mailData('staff_added', { role, path }))
          assert.include(mail.text, `${APP_URL}${path}`)
          assert.include(mail.html, `href="${APP_URL}${path}"`)
          assert.include(mail.text, 'Petra Nováková')
          assert.include(mail.text, '72')
          names.add(mail.text)
        }
      }
      // Three roles × two links give six different texts.
      assert.equal(names.size, 6, locale)
    }
  })

  test('prefers a translated roleName when the sender passes one (escaped in HTML)', ({
    assert,
  }) => {
    const mail = renderMail(
      'staff_added',
      'cs',
      mailData('staff_added', { role: 'reviewer', roleName: 'Hodnotitel <Praha>' })
    )
    assert.include(mail.text, 'Hodnotitel <Praha>')
    assert.include(mail.html, 'Hodnotitel &lt;Praha&gt;')
    assert.notInclude(mail.text, 'hodnotitel žádostí')
  })
})

test.group('Mail templates | application journey', () => {
  const escape = (value: unknown) => Handlebars.escapeExpression(String(value))
  const templates = Object.keys(APPLICATION_MAILS) as (keyof typeof APPLICATION_MAILS)[]
  /** Values the reader must see, as written (text) or HTML-escaped (HTML). */
  const shown: Record<keyof typeof APPLICATION_MAILS, string[]> = {
    application_received: [],
    application_info_requested: ['message'],
    application_approved: ['total'],
    application_rejected: ['reason'],
    application_waitlisted: ['position'],
  }

  for (const template of templates) {
    for (const locale of LOCALES) {
      test(`${template} (${locale}) shows the application and uses every variable`, ({
        assert,
      }) => {
        const data = mailData(template)
        const mail = renderMail(template, locale, data)
        assert.include(mail.subject, APPLICATION.reference)
        assert.include(mail.subject, 'Praha 5')

        const keys = ['reference', 'programName', 'childName', 'periodName', 'fullName']
        for (const key of [...keys, ...shown[template]]) {
          assert.include(mail.html, escape(data[key]), `html shows ${key}`)
          assert.include(mail.text, String(data[key]), `text shows ${key}`)
        }
        assert.notInclude(mail.html, 'Kroužky & tábory')

        // Leaving any variable out changes both parts: no variable is ignored or misspelt.
        for (const key of ['fullName', ...Object.keys(APPLICATION_MAILS[template])]) {
          const without: Record<string, unknown> = { ...data }
          delete without[key]
          const partial = renderMail(template, locale, without)
          assert.notEqual(partial.html, mail.html, `html ignores ${key}`)
          assert.notEqual(partial.text, mail.text, `text ignores ${key}`)
        }

        // Without a period (programme without periods) the row is left out, not left empty.
        const noPeriod = renderMail(template, locale, { ...data, periodName: '' })
        assert.notMatch(noPeriod.html, /<dd\b[^>]*>\s*<\/dd>/)
        assert.equal(
          noPeriod.html.match(/<dt\b/g)!.length,
          mail.html.match(/<dt\b/g)!.length - 1,
          'one row fewer in HTML'
        )
        assert.equal(
          noPeriod.text.split('\n').length,
          mail.text.split('\n').length - 1,
          'one line fewer in text'
        )

        // For the applicant themselves (no child), the child's row is left out too.
        const noChild = renderMail(template, locale, { ...data, childName: '' })
        assert.notMatch(noChild.html, /<dd\b[^>]*>\s*<\/dd>/)
        assert.equal(
          noChild.html.match(/<dt\b/g)!.length,
          mail.html.match(/<dt\b/g)!.length - 1,
          'no child row in HTML'
        )
        assert.equal(
          noChild.text.split('\n').length,
          mail.text.split('\n').length - 1,
          'no child line in text'
        )
      })
    }
  }

  test('approved: vouchers with their count, credit without, and the total', ({ assert }) => {
    for (const locale of LOCALES) {
      const mail = renderMail('application_approved', locale, mailData('application_approved'))
      const items = [...mail.html.matchAll(/<li\b[^>]*>([^<]*)<\/li>/g)].map((m) => m[1])
      assert.lengthOf(items, 2, locale)
      assert.match(items[0], /^2 × \S.*500 Kč$/, locale)
      assert.include(items[1], '1 000 Kč', locale)
      assert.notInclude(items[1], '×', locale)

      const lines = mail.text.split('\n').filter((line) => line.startsWith('- '))
      assert.lengthOf(lines, 2, locale)
      assert.match(lines[0], /^- 2 × \S.*500 Kč$/, locale)
      assert.include(lines[1], '1 000 Kč', locale)
      assert.notInclude(lines[1], '×', locale)
      assert.include(mail.text, '2 000 Kč')
    }
  })

  test("the reviewer's message and reason are quoted, escaped in HTML and as written in text", ({
    assert,
  }) => {
    for (const [template, key] of [
      ['application_info_requested', 'message'],
      ['application_rejected', 'reason'],
    ] as const) {
      for (const locale of LOCALES) {
        const data = mailData(template)
        const mail = renderMail(template, locale, data)
        const value = String(data[key])
        assert.include(mail.html, `>${escape(value)}</blockquote>`, `${template} ${locale}`)
        assert.notMatch(mail.html, /<b>|<Praha/)
        assert.include(mail.text, value)
      }
    }
  })
})

test.group('Mail templates | verification_result', () => {
  const STATUSES = ['verified', 'no_match', 'not_resident', 'name_mismatch', 'refused', 'revoked']

  test('says each outcome in every locale, with the reason and what to do next', ({ assert }) => {
    for (const locale of LOCALES) {
      const subjects = new Set<string>()
      for (const status of STATUSES) {
        const data = mailData('verification_result', {
          status,
          method: status === 'refused' ? 'documents' : 'register',
          validUntil: status === 'verified' ? '12. 4. 2027' : '',
          reason: ['refused', 'revoked'].includes(status) ? 'Nečitelný sken <b>' : null,
          residentOfName: status === 'not_resident' ? 'Praha 6' : null,
        })
        const mail = renderMail('verification_result', locale, data)
        subjects.add(mail.subject)
        assert.notInclude(mail.subject, '\n', `${locale} ${status}`)
        assert.include(mail.text, `${APP_URL}/portal/verification`, `${locale} ${status}`)
        for (const part of [mail.subject, mail.html, mail.text]) {
          assert.notInclude(part, '{{', `${locale} ${status}`)
          assert.notInclude(part, 'undefined', `${locale} ${status}`)
        }
        if (status === 'verified') assert.include(mail.text, '12. 4. 2027')
        if (status === 'not_resident') {
          assert.include(mail.subject, 'Praha 5', locale)
          assert.include(mail.text, 'Praha 6', locale)
        }
        if (['refused', 'revoked'].includes(status)) {
          assert.include(mail.text, 'Nečitelný sken <b>')
          assert.include(mail.html, 'Nečitelný sken &lt;b&gt;')
          assert.notInclude(mail.html, 'Nečitelný sken <b>')
        }
        // Every outcome but success says what to do next, as a list.
        if (status !== 'verified') assert.match(mail.text, /\n- /, `${locale} ${status}`)
      }
      assert.equal(subjects.size, STATUSES.length, `${locale}: one subject per outcome`)
    }
  })

  test('the census and the register are named apart in a no-match', ({ assert }) => {
    const register = renderMail(
      'verification_result',
      'en',
      mailData('verification_result', { status: 'no_match', byCensus: false, reason: null })
    )
    const census = renderMail(
      'verification_result',
      'en',
      mailData('verification_result', { status: 'no_match', byCensus: true, reason: null })
    )
    assert.include(register.text, 'population register')
    assert.include(census.text, 'list of residents')
  })
})

test.group('Mail templates | tenant overrides and fallbacks', (group) => {
  const fixture = `zz_fallback_test_${process.pid}`
  const fixtureDir = app.makePath('resources', 'mail', fixture)
  group.setup(() => {
    mkdirSync(fixtureDir, { recursive: true })
    writeFileSync(`${fixtureDir}/en.subject.hbs`, 'English subject for {{fullName}}\n')
    writeFileSync(
      `${fixtureDir}/en.html.hbs`,
      '<p>English body for {{fullName}}: {{appUrl}}{{path}}</p>\n'
    )
    writeFileSync(
      `${fixtureDir}/en.text.hbs`,
      'English body for {{fullName}}: {{appUrl}}{{path}}\n'
    )
    writeFileSync(
      `${fixtureDir}/uk.text.hbs`,
      'Український текст для {{fullName}}: {{appUrl}}{{path}}\n'
    )
    return () => rmSync(fixtureDir, { recursive: true, force: true })
  })

  test('the Praha 5 override is used for Praha 5 in Czech', ({ assert }) => {
    const data = mailData('verify_email')
    const mail = renderMail('verify_email', 'cs', data, 'praha-5')
    assert.match(mail.subject, /^Městská část Praha 5: /)
    assert.include(mail.html, 'Městské části Praha 5')
    assert.include(mail.html, `href="${APP_URL}${data.path}"`)
    assert.include(mail.html, ESCAPED_NAME)
    assert.notInclude(mail.html, EVIL_NAME)
    assert.include(mail.text, `${APP_URL}${data.path}`)
    assert.include(mail.text, 'Úřad městské části Praha 5')
  })

  test('the Praha 5 override is not used for another tenant, without a tenant or in another language', ({
    assert,
  }) => {
    const data = { ...mailData('verify_email'), tenantName: 'Praha 6' }
    const platform = renderMail('verify_email', 'cs', data)
    const praha6 = renderMail('verify_email', 'cs', data, 'praha-6')
    assert.notMatch(praha6.subject, /^Městská část Praha 5/)
    assert.deepEqual(praha6, platform)

    const praha5English = renderMail('verify_email', 'en', mailData('verify_email'), 'praha-5')
    assert.deepEqual(praha5English, renderMail('verify_email', 'en', mailData('verify_email')))
  })

  test('a tenant without overrides gets the platform templates', ({ assert }) => {
    for (const template of TEMPLATES) {
      for (const locale of LOCALES) {
        const data = mailData(template)
        assert.deepEqual(
          renderMail(template, locale, data, 'olomouc'),
          renderMail(template, locale, data)
        )
      }
    }
  })

  test('a part missing in a locale falls back to English, part by part', ({ assert }) => {
    const data = mailData('verify_email')
    const mail = renderMail(fixture, 'uk', data)
    assert.equal(mail.subject, `English subject for ${EVIL_NAME}`)
    assert.include(mail.html, `English body for ${ESCAPED_NAME}`)
    assert.include(mail.html, '<html lang="uk"')
    assert.include(mail.text, `Український текст для ${EVIL_NAME}: ${APP_URL}${data.path}`)

    const polish = renderMail(fixture, 'pl', data, 'praha-5')
    assert.include(polish.text, `English body for ${EVIL_NAME}: ${APP_URL}${data.path}`)
  })
})

test.group('Language files', () => {
  for (const namespace of ['errors', 'validator']) {
    test(`${namespace}.json has the same keys in every locale`, ({ assert }) => {
      const dir = app.makePath('resources', 'lang')
      const locales = readdirSync(dir).filter((name) => LOCALES.includes(name as MailLocale))
      assert.sameMembers(locales, LOCALES)
      const keys = Object.fromEntries(
        locales.map((locale) => {
          const json = JSON.parse(readFileSync(`${dir}/${locale}/${namespace}.json`, 'utf8'))
          return [locale, flatKeys(json).sort()]
        })
      )
      for (const locale of locales)
        assert.deepEqual(keys[locale], keys.cs, `${namespace}.json: ${locale} differs from cs`)
    })
  }

  test('every errors message formats in every locale', ({ assert }) => {
    const json = JSON.parse(
      readFileSync(app.makePath('resources', 'lang', 'en', 'errors.json'), 'utf8')
    )
    for (const locale of LOCALES) {
      const i18n = i18nManager.locale(locale)
      for (const key of flatKeys(json)) {
        assert.isTrue(i18n.hasMessage(`errors.${key}`), `${locale}: errors.${key}`)
        const text = i18n.t(`errors.${key}`, {
          minutes: 5,
          count: 3,
          color: '#ffee00',
          ratio: '1.2',
          max: 64,
          name: 'x',
          key: 'k',
          plugin: 'p',
          from: 'draft',
          to: 'closed',
          detail: 'd',
          actual: 'EUR',
          expected: 'CZK',
          line: '12',
          column: 'c',
          path: 'child.birth_date',
        })
        assert.notInclude(text, 'translation missing')
        assert.notMatch(text, /[{}]/)
        // The exception handler formats E_* codes without values.
        if (key.startsWith('E_') && !['E_VALIDATION_ERROR', 'E_TOO_DEEP'].includes(key))
          assert.equal(i18n.t(`errors.${key}`, {}), text)
      }
    }
  })

  test('plural forms of the sign-in lockout message', ({ assert }) => {
    const expected: Record<MailLocale, [number, string][]> = {
      cs: [
        [1, '1 minutu'],
        [3, '3 minuty'],
        [5, '5 minut'],
        [21, '21 minut'],
      ],
      en: [
        [1, '1 minute.'],
        [2, '2 minutes'],
      ],
      uk: [
        [1, '1 хвилину'],
        [3, '3 хвилини'],
        [5, '5 хвилин'],
        [21, '21 хвилину'],
        [22, '22 хвилини'],
      ],
      pl: [
        [1, '1 minutę'],
        [3, '3 minuty'],
        [5, '5 minut'],
        [22, '22 minuty'],
        [25, '25 minut'],
      ],
    }
    for (const locale of LOCALES) {
      const i18n = i18nManager.locale(locale)
      for (const [minutes, text] of expected[locale]) {
        assert.include(
          i18n.t('errors.auth.too_many_attempts', { minutes }),
          text,
          `${locale} ${minutes}`
        )
      }
    }
  })
})

test.group('Validator messages (i18n messages provider)', () => {
  const schema = vine.object({
    fullName: vine.string().trim().minLength(2).maxLength(200),
    email: vine
      .string()
      .trim()
      .email()
      .unique(async () => false),
    password: vine
      .string()
      .minLength(10)
      .maxLength(200)
      .confirmed({ confirmationField: 'passwordConfirmation' }),
    homeTenant: vine.string().exists(async () => false),
    privacyAccepted: vine.accepted(),
    registrationNumber: vine.string().regex(/^\d{8}$/),
    primaryColor: vine.string().hexCode(),
    role: vine.enum(['tenant_admin', 'program_manager', 'reviewer'] as const),
    tagline: vine.object({ cs: vine.string().maxLength(5).optional() }),
  })
  const validator = vine.compile(schema)

  async function messagesFor(locale: MailLocale, data: Record<string, unknown>) {
    try {
      await validator.validate(data, {
        messagesProvider: i18nManager.locale(locale).createMessagesProvider(),
      })
    } catch (error) {
      if (error instanceof vineErrors.E_VALIDATION_ERROR) {
        return Object.fromEntries(
          (error.messages as { field: string; message: string }[]).map((m) => [m.field, m.message])
        )
      }
      throw error
    }
    return {}
  }

  const invalid = {
    fullName: 'J',
    email: 'jana@example.cz',
    password: 'short',
    passwordConfirmation: 'different',
    homeTenant: 'nowhere',
    registrationNumber: '1234',
    primaryColor: 'blue',
    role: 'mayor',
    tagline: { cs: 'Příliš dlouhý slogan' },
  }

  test('reads validator.shared.messages and validator.shared.fields (Czech)', async ({
    assert,
  }) => {
    const messages = await messagesFor('cs', invalid)
    assert.equal(messages.fullName, 'Pole „Jméno a příjmení“ musí mít alespoň 2 znaky.')
    assert.equal(
      messages.email,
      'Účet s touto e-mailovou adresou už existuje. Přihlaste se, nebo si nechte obnovit heslo.'
    )
    assert.equal(messages.password, 'Heslo musí mít alespoň 10 znaků.')
    assert.equal(messages.homeTenant, 'Vyberte prosím obec nebo organizaci ze seznamu.')
    assert.equal(
      messages.privacyAccepted,
      'Pro registraci je nutný souhlas se zpracováním osobních údajů.'
    )
    assert.equal(messages.registrationNumber, 'IČO musí mít přesně 8 číslic, bez mezer.')
    assert.equal(
      messages.primaryColor,
      'Pole „Hlavní barva“ musí obsahovat barvu v šestnáctkovém zápisu, například #00558C.'
    )
    assert.equal(messages.role, 'Vyberte prosím roli ze seznamu.')
    assert.equal(messages['tagline.cs'], 'Slogan v češtině může mít nejvýše 5 znaků.')

    const empty = await messagesFor('cs', { tagline: {} })
    assert.equal(empty.fullName, 'Vyplňte prosím pole „Jméno a příjmení“.')
    assert.equal(empty.email, 'Vyplňte prosím pole „E-mail“.')

    const mismatch = await messagesFor('cs', {
      ...invalid,
      password: 'long-enough-password',
      passwordConfirmation: 'x',
    })
    assert.equal(
      mismatch.passwordConfirmation,
      'Hesla se neshodují. Zadejte prosím do obou polí stejné heslo.'
    )

    const notAccepted = await messagesFor('cs', {
      ...invalid,
      email: 'not-an-email',
      privacyAccepted: 'no',
    })
    assert.equal(
      notAccepted.privacyAccepted,
      'Pro registraci je nutný souhlas se zpracováním osobních údajů.'
    )
    assert.equal(
      notAccepted.email,
      'Zadejte prosím platnou e-mailovou adresu, například jana.novakova@example.cz.'
    )
  })

  test('every locale has its own message for every failing rule', async ({ assert }) => {
    const english = await messagesFor('en', invalid)
    assert.equal(english.password, 'The password must be at least 10 characters long.')
    assert.equal(english.fullName, 'The “Full name” field must be at least 2 characters long.')
    for (const locale of LOCALES) {
      const messages = await messagesFor(locale, invalid)
      assert.lengthOf(Object.keys(messages), 9, locale)
      for (const [field, message] of Object.entries(messages)) {
        assert.notInclude(message, '{', `${locale} ${field}`)
        assert.notMatch(message, /^The \w+ field /, `${locale} ${field}: Vine's default`)
        if (locale !== 'en')
          assert.notEqual(message, english[field], `${locale} ${field} falls back to English`)
      }
    }
  })
})
