import { existsSync, readFileSync } from 'node:fs'
import Handlebars from 'handlebars'
import app from '@adonisjs/core/services/app'

export type MailLocale = 'cs' | 'en' | 'uk' | 'pl'

interface Compiled {
  subject: HandlebarsTemplateDelegate
  html: HandlebarsTemplateDelegate
  text: HandlebarsTemplateDelegate
}

const hbs = Handlebars.create()
const cache = new Map<string, Compiled>()

/**
 * The file of one part of a template, most specific first: the tenant's override
 * (tenants/<slug>/templates/mail/<name>/<locale>.<part>.hbs), then the platform's
 * (resources/mail/<name>/<locale>.<part>.hbs), then the same in English.
 */
function resolvePart(
  name: string,
  locale: string,
  part: string,
  tenantSlug?: string | null
): string {
  const candidates = [
    tenantSlug &&
      app.makePath('tenants', tenantSlug, 'templates', 'mail', name, `${locale}.${part}.hbs`),
    app.makePath('resources', 'mail', name, `${locale}.${part}.hbs`),
    tenantSlug && app.makePath('tenants', tenantSlug, 'templates', 'mail', name, `en.${part}.hbs`),
    app.makePath('resources', 'mail', name, `en.${part}.hbs`),
  ].filter(Boolean) as string[]
  const file = candidates.find((f) => existsSync(f))
  if (!file) throw new Error(`Mail template ${name} has no ${part} part`)
  return file
}

function compile(name: string, locale: string, tenantSlug?: string | null): Compiled {
  const key = `${tenantSlug ?? ''}|${name}|${locale}`
  const cached = cache.get(key)
  if (cached && app.inProduction) return cached
  const read = (part: string) => readFileSync(resolvePart(name, locale, part, tenantSlug), 'utf8')
  const layout = hbs.compile(
    readFileSync(app.makePath('resources', 'mail', 'layout.html.hbs'), 'utf8')
  )
  const body = hbs.compile(read('html'))
  const compiled: Compiled = {
    subject: hbs.compile(read('subject').trim(), { noEscape: true }),
    html: (data: any) => layout({ ...data, body: new Handlebars.SafeString(body(data)) }),
    text: hbs.compile(read('text'), { noEscape: true }),
  }
  cache.set(key, compiled)
  return compiled
}

/**
 * Renders a mail template (subject, HTML, text) for a locale, with the tenant's overrides.
 * Values are HTML-escaped in the HTML part.
 */
export function renderMail(
  name: string,
  locale: MailLocale,
  data: Record<string, unknown>,
  tenantSlug?: string | null
) {
  const template = compile(name, locale, tenantSlug)
  const context = { ...data, locale }
  return {
    subject: template.subject(context),
    html: template.html(context),
    text: template.text(context),
  }
}
