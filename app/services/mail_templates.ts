import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
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
const partCache = new Map<string, HandlebarsTemplateDelegate>()

/** A plugin's template name: `plugins.<id>.<template>`. */
const PLUGIN_TEMPLATE = /^plugins\.([a-z][a-z0-9_]{1,30})\.([a-z][a-z0-9_]*)$/

let pluginTemplateFolder: (pluginId: string) => string | null = () => null

/**
 * Tells the renderer where each plugin's templates live (its manifest's `templates` folder);
 * the plugin provider sets it at boot from the registry.
 */
export function usePluginTemplateFolders(lookup: (pluginId: string) => string | null) {
  pluginTemplateFolder = lookup
  cache.clear()
  partCache.clear()
}

/**
 * The folder holding the platform's own version of a template: `resources/mail/<name>/`, or for
 * `plugins.<id>.<template>` the plugin's templates folder's `<template>/`. Null for a plugin
 * that is not installed or declares no templates.
 */
function platformFolder(name: string): string | null {
  const plugin = PLUGIN_TEMPLATE.exec(name)
  if (!plugin) return app.makePath('resources', 'mail', name)
  const folder = pluginTemplateFolder(plugin[1])
  return folder ? path.join(folder, plugin[2]) : null
}

/** The folder of a tenant's override of a template (core: `mail/<name>/`, plugin: `plugins/<id>/<template>/`). */
function tenantFolder(name: string, tenantSlug: string): string {
  const plugin = PLUGIN_TEMPLATE.exec(name)
  return plugin
    ? app.makePath('tenants', tenantSlug, 'templates', 'plugins', plugin[1], plugin[2])
    : app.makePath('tenants', tenantSlug, 'templates', 'mail', name)
}

/**
 * The file of one part of a template, most specific first: the tenant's override
 * (tenants/<slug>/templates/mail/<name>/<locale>.<part>.hbs, or for a plugin's template
 * `plugins.<id>.<template>` tenants/<slug>/templates/plugins/<id>/<template>/), then the
 * platform's (resources/mail/<name>/, or the plugin's templates folder), then the same in English.
 */
function resolvePart(
  name: string,
  locale: string,
  part: string,
  tenantSlug?: string | null
): string {
  const platform = platformFolder(name)
  const tenant = tenantSlug ? tenantFolder(name, tenantSlug) : null
  const candidates = [
    tenant && path.join(tenant, `${locale}.${part}.hbs`),
    platform && path.join(platform, `${locale}.${part}.hbs`),
    tenant && path.join(tenant, `en.${part}.hbs`),
    platform && path.join(platform, `en.${part}.hbs`),
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

/**
 * Renders one part of a template on its own, without the mail layout: a document a page shows
 * or prints (a plugin's `plugins.<id>.<template>`, e.g. a voucher's conditions), found and
 * overridden like a mail's parts. The `html` part escapes values; any other part does not.
 */
export function renderTemplatePart(
  name: string,
  locale: MailLocale,
  part: string,
  data: Record<string, unknown>,
  tenantSlug?: string | null
): string {
  const file = resolvePart(name, locale, part, tenantSlug)
  let template = partCache.get(file)
  if (!template || !app.inProduction) {
    template = hbs.compile(readFileSync(file, 'utf8'), { noEscape: part !== 'html' })
    partCache.set(file, template)
  }
  return template({ ...data, locale })
}
