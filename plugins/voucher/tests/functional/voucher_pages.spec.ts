/*
 * The voucher plugin's routes, pages, template and menu entries in the running app: a parent with
 * an approved "Darujeme kroužky dětem (CZ)" application finds the program's vouchers from the
 * benefits page, opens one (QR code, code, value, period, expiry, status, conditions from the
 * plugin's template with ČRDM's Czech override), and sends it to their e-mail; nobody else can
 * read it; the program's staff see the issued vouchers, masked.
 */
import { test } from '@japa/runner'
import router from '@adonisjs/core/services/router'
import db from '@adonisjs/lucid/services/db'
import type User from '#models/user'
import { demoUser, lastMailTo, tenantId } from '#tests/helpers/auth'
import {
  clearApplicationsOf,
  makeChild,
  makeCitizen,
  programId,
  submitWithChildAllowance,
} from '#tests/helpers/applications'

const owner = () => db.connection('owner')

const PARENT = {
  email: 'voucher.page.parent@activecity.test',
  fullName: 'Věra Poukázková',
  homeTenant: 'praha-5',
  citizenship: 'CZ',
  locale: 'en' as const,
}

/** The URL of a named route, as the app builds it. */
function url(name: string, params: Record<string, string>) {
  return (router.urlBuilder.urlFor as unknown as (n: string, p: Record<string, string>) => string)(
    name,
    params
  )
}

let parent: User
let childId: string
let program: string
let vouchers: { id: string; code: string }[]

test.group('voucher plugin: pages, template and menu', (group) => {
  group.setup(async () => {
    parent = await makeCitizen(PARENT)
    childId = await makeChild(parent, 'Kuba', '2015-10-10')
    program = await programId('crdm', 'darujeme-krouzky-cz')
    await clearApplicationsOf(parent)
    return () => clearApplicationsOf(parent)
  })

  test('a parent applies, ČRDM approves, and the vouchers are issued', async ({
    client,
    assert,
  }) => {
    const submitted = await submitWithChildAllowance(client, parent, program, childId)
    submitted.assertStatus(200)
    const approved = await client
      .post(`/admin/applications/${submitted.body().id}/approve`)
      .withCsrfToken()
      .header('accept', 'application/json')
      .loginAs(await demoUser('admin.crdm@activecity.test'))
    approved.assertStatus(200)
    vouchers = await owner()
      .from('ledger_vouchers')
      .where('child_ref', childId)
      .orderBy('created_at')
      .orderBy('code')
      .select('id', 'code')
    assert.lengthOf(vouchers, 2)
  })

  test('the benefits page links the program’s vouchers (program.nav_items, portal)', async ({
    client,
    assert,
  }) => {
    const benefits = await client
      .get('/portal/benefits')
      .header('accept', 'application/json')
      .loginAs(parent)
    benefits.assertStatus(200)
    assert.deepEqual(benefits.body().programLinks[program], [
      {
        pluginId: 'voucher',
        routeName: 'plugins.voucher.portal.vouchers.index',
        label: 'Vouchers with QR codes',
        href: `/portal/plugins/voucher/programs/${program}/vouchers`,
      },
    ])

    const list = await client
      .get(url('plugins.voucher.portal.vouchers.index', { programId: program }))
      .withInertia()
      .loginAs(parent)
    list.assertStatus(200)
    list.assertInertiaComponent('plugins/voucher/portal/vouchers')
    const props = list.inertiaProps as any
    assert.equal(props.program.name, 'We give clubs to children (CZ)')
    assert.deepEqual(
      props.vouchers.map((v: any) => [v.code, v.holder, v.href]),
      vouchers.map((v) => [v.code, 'Kuba Testová', `/portal/plugins/voucher/vouchers/${v.id}`])
    )
  })

  test('the voucher page: QR code, code, value, period, expiry, status and conditions', async ({
    client,
    assert,
  }) => {
    const [voucher] = vouchers
    const page = await client
      .get(url('plugins.voucher.portal.vouchers.show', { id: voucher.id }))
      .withInertia()
      .loginAs(parent)
    page.assertStatus(200)
    page.assertInertiaComponent('plugins/voucher/portal/voucher')
    const props = page.inertiaProps as any
    assert.equal(props.voucher.code, voucher.code)
    assert.match(props.voucher.codeGrouped, /^[2-9A-Z]{4} [2-9A-Z]{4} [2-9A-Z]{4} [2-9A-Z]{4}$/)
    assert.equal(props.voucher.faceValueMinor, 100_000)
    assert.equal(props.voucher.currency, 'CZK')
    assert.equal(props.voucher.status, 'active')
    assert.equal(props.voucher.program.name, 'We give clubs to children (CZ)')
    assert.equal(props.voucher.issuer.slug, 'crdm')
    assert.equal(props.voucher.period.key, '2026-h1')
    assert.equal(props.voucher.expiresOn, props.voucher.period.end)
    assert.equal(props.voucher.holder, 'Kuba Testová')
    const svg = Buffer.from(props.qr.replace('data:image/svg+xml;base64,', ''), 'base64').toString()
    assert.match(svg, /^<svg [^>]*viewBox/)
    // English: the plugin's own conditions (ČRDM overrides only the Czech text).
    assert.include(
      props.conditions,
      'Present this voucher at a provider taking part in the We give clubs to children (CZ) programme'
    )
    assert.include(props.conditions, '1,000')
    assert.deepEqual(props.links, {
      program: `/portal/plugins/voucher/programs/${program}/vouchers`,
      email: `/portal/plugins/voucher/vouchers/${voucher.id}/email`,
      benefits: '/portal/benefits',
    })

    // Czech: ČRDM's own wording (tenants/crdm/templates/plugins/voucher/conditions/cs.text.hbs).
    const czech = await client
      .get(url('plugins.voucher.portal.vouchers.show', { id: voucher.id }))
      .header('accept', 'application/json')
      .plainCookie('ac_locale', 'cs')
      .loginAs(parent)
    czech.assertStatus(200)
    assert.include(czech.body().conditions, 'projektu Darujeme kroužky dětem')
    assert.include(czech.body().conditions, 'krouzky@crdm.example.cz')
    assert.equal(czech.body().voucher.program.name, 'Darujeme kroužky dětem (CZ)')
  })

  test('nobody else reads the voucher: another citizen of the issuing tenant gets 404', async ({
    client,
    assert,
  }) => {
    const [voucher] = vouchers
    // Olena's portal runs in ČRDM's scope, the voucher's own tenant: only holder rules apply.
    const other = await demoUser('citizen.ua@activecity.test')
    assert.equal(other.homeTenantId, await tenantId('crdm'))
    for (const call of [
      client.get(url('plugins.voucher.portal.vouchers.show', { id: voucher.id })),
      client.post(url('plugins.voucher.portal.vouchers.email', { id: voucher.id })).withCsrfToken(),
    ]) {
      const response = await call.header('accept', 'application/json').loginAs(other)
      response.assertStatus(404)
    }
    const list = await client
      .get(url('plugins.voucher.portal.vouchers.index', { programId: program }))
      .header('accept', 'application/json')
      .loginAs(other)
    list.assertStatus(200)
    assert.deepEqual(list.body().vouchers, [])

    // A malformed id is a 404 too; a signed-out visitor is sent to sign in.
    const malformed = await client
      .get('/portal/plugins/voucher/vouchers/not-a-uuid')
      .header('accept', 'application/json')
      .loginAs(parent)
    malformed.assertStatus(404)
    const anonymous = await client
      .get(url('plugins.voucher.portal.vouchers.show', { id: voucher.id }))
      .redirects(0)
    anonymous.assertStatus(302)
    anonymous.assertHeader('location', '/login')
  })

  test('the voucher sent to the parent’s e-mail: the plugin’s template, throttled', async ({
    client,
    assert,
  }) => {
    const [voucher] = vouchers
    const grouped = voucher.code.replace(/(.{4})(?=.)/g, '$1 ')
    const send = () =>
      client
        .post(url('plugins.voucher.portal.vouchers.email', { id: voucher.id }))
        .withCsrfToken()
        .header('accept', 'application/json')
        .plainCookie('ac_locale', 'cs')
        .loginAs(parent)
    const sent = await send()
    sent.assertStatus(200)
    const mail = await lastMailTo(parent.email, 'plugins.voucher.voucher')
    assert.exists(mail)
    assert.equal(
      mail.subject,
      'Vaše poukázka – Darujeme kroužky dětem (CZ) – ČRDM – Darujeme kroužky dětem'
    )
    assert.include(mail.text, `Kód poukázky: ${grouped}`)
    assert.include(mail.text, `/portal/plugins/voucher/vouchers/${voucher.id}`)
    // The conditions come from ČRDM's Czech override, in the e-mail as on the page.
    assert.include(mail.text, 'projektu Darujeme kroužky dětem')
    assert.include(mail.html, grouped)

    for (let i = 1; i < 5; i++) (await send()).assertStatus(200)
    const throttled = await send()
    throttled.assertStatus(429)
    assert.equal(
      throttled.body().errors[0].message,
      'Poukázky si můžete poslat na e-mail nejvýše 5krát za hodinu. Zkuste to prosím později.'
    )
  })

  test('the program’s staff see the issued vouchers from the program page, codes masked', async ({
    client,
    assert,
  }) => {
    const admin = await demoUser('admin.crdm@activecity.test')
    const page = await client
      .get(`/admin/programs/${program}`)
      .header('accept', 'application/json')
      .loginAs(admin)
    page.assertStatus(200)
    const link = page
      .body()
      .pluginLinks.find((l: any) => l.routeName === 'plugins.voucher.admin.vouchers.index')
    assert.equal(link.href, `/admin/plugins/voucher/programs/${program}/vouchers`)
    assert.equal(link.label, 'Vydané poukázky')

    const issued = await client.get(link.href).withInertia().loginAs(admin)
    issued.assertStatus(200)
    issued.assertInertiaComponent('plugins/voucher/admin/vouchers')
    const props = issued.inertiaProps as any
    assert.isAtLeast(props.counts.active.count, 2)
    const codes = props.vouchers.map((v: any) => v.code)
    for (const voucher of vouchers) {
      assert.notInclude(JSON.stringify(props), voucher.code)
      assert.include(codes, `•••• •••• •••• ${voucher.code.slice(-4)}`)
    }

    // Another tenant's staff: not found; a citizen: forbidden.
    const olomouc = await client
      .get(link.href)
      .header('accept', 'application/json')
      .loginAs(await demoUser('admin.olomouc@activecity.test'))
    olomouc.assertStatus(404)
    const citizen = await client.get(link.href).header('accept', 'application/json').loginAs(parent)
    citizen.assertStatus(403)
  })
})
