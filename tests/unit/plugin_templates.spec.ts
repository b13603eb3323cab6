import { test } from '@japa/runner'
import { renderMail, renderTemplatePart, type MailLocale } from '#services/mail_templates'

/**
 * A plugin's templates by name `plugins.<id>.<template>`: found in the plugin's templates folder,
 * in every locale, with a tenant's override in tenants/<slug>/templates/plugins/<id>/<template>/
 * winning (ČRDM overrides the voucher conditions in Czech), and English where a locale is missing.
 */
const LOCALES: MailLocale[] = ['cs', 'en', 'uk', 'pl']
const APP_URL = 'http://localhost:3333'
const EVIL = '<script>x</script>'
const VOUCHER = {
  appUrl: APP_URL,
  tenantName: 'ČRDM – Darujeme kroužky dětem',
  brandColor: '#0b5a8f',
  fullName: EVIL,
  holderName: 'Kuba Testová',
  programName: 'Kroužky & tábory',
  issuerName: 'ČRDM – Darujeme kroužky dětem',
  value: '1 000 Kč',
  code: 'ABCD EFGH JKLM NPQR',
  periodName: '1. pololetí 2026/27',
  expires: '31. ledna 2027',
  path: '/portal/plugins/voucher/vouchers/0190a1b2-voucher',
  conditions: 'Use it once.',
}

test.group('Plugin templates', () => {
  for (const locale of LOCALES) {
    test(`the voucher e-mail (${locale}): every value, escaped in HTML, with an absolute link`, ({
      assert,
    }) => {
      const mail = renderMail('plugins.voucher.voucher', locale, VOUCHER)
      assert.isAbove(mail.subject.trim().length, 0)
      assert.notInclude(mail.subject, '\n')
      assert.include(mail.subject, 'Kroužky & tábory')
      for (const part of [mail.subject, mail.html, mail.text]) {
        assert.notInclude(part, '{{')
        assert.notInclude(part, 'undefined')
      }
      assert.include(mail.html, `<html lang="${locale}"`)
      assert.include(mail.html, `href="${APP_URL}${VOUCHER.path}"`)
      assert.include(mail.html, '&lt;script&gt;')
      assert.notInclude(mail.html, EVIL)
      assert.include(mail.html, 'Kroužky &amp; tábory')
      for (const value of ['code', 'value', 'periodName', 'holderName', 'expires', 'conditions']) {
        assert.include(mail.text, VOUCHER[value as keyof typeof VOUCHER], value)
      }
      assert.include(mail.text, EVIL)
      assert.include(mail.text, `${APP_URL}${VOUCHER.path}`)
    })
  }

  test('the conditions in every locale, without an expiry date too', ({ assert }) => {
    for (const locale of LOCALES) {
      const text = renderTemplatePart('plugins.voucher.conditions', locale, 'text', VOUCHER)
      assert.include(text, '1 000 Kč', locale)
      assert.include(text, '31. ledna 2027', locale)
      assert.include(text, 'Kroužky & tábory', locale)
      const open = renderTemplatePart('plugins.voucher.conditions', locale, 'text', {
        ...VOUCHER,
        expires: '',
      })
      assert.notInclude(open, '31. ledna 2027', locale)
      assert.notEqual(open, text, locale)
    }
  })

  test('the issuer’s override wins in its locale only; other tenants get the plugin’s', ({
    assert,
  }) => {
    const render = (locale: MailLocale, tenant?: string) =>
      renderTemplatePart('plugins.voucher.conditions', locale, 'text', VOUCHER, tenant)
    assert.include(render('cs', 'crdm'), 'projektu Darujeme kroužky dětem')
    assert.include(render('cs', 'crdm'), 'krouzky@crdm.example.cz')
    assert.notInclude(render('cs'), 'krouzky@crdm.example.cz')
    assert.equal(render('cs', 'olomouc'), render('cs'))
    assert.equal(render('en', 'crdm'), render('en'))
    assert.equal(render('uk', 'crdm'), render('uk'))
  })

  test('an HTML part escapes values; a text part does not', ({ assert }) => {
    const html = renderTemplatePart('plugins.voucher.voucher', 'en', 'html', VOUCHER)
    assert.include(html, '&lt;script&gt;')
    assert.notInclude(html, '<html')
    const text = renderTemplatePart('plugins.voucher.voucher', 'en', 'text', VOUCHER)
    assert.include(text, EVIL)
  })

  test('a template of an unknown plugin, or that a plugin lacks, is an error', ({ assert }) => {
    assert.throws(
      () => renderMail('plugins.nosuch.voucher', 'en', VOUCHER),
      'Mail template plugins.nosuch.voucher has no html part'
    )
    assert.throws(
      () => renderTemplatePart('plugins.voucher.conditions', 'en', 'html', VOUCHER),
      'Mail template plugins.voucher.conditions has no html part'
    )
  })
})
