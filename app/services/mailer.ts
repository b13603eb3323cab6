import mail from '@adonisjs/mail/services/main'
import env from '#start/env'
import { afterCommit } from '#tenancy/tenant_context'
import { renderMail, type MailLocale } from '#services/mail_templates'

export interface TemplatedMail {
  to: string
  template: string
  locale: MailLocale
  data: Record<string, unknown>
  tenant?: { slug: string; name: string; branding?: { primaryColor?: string } } | null
}

/** Base URL for links in e-mails. */
export function appUrl() {
  return env.get('APP_URL') ?? `http://${env.get('HOST')}:${env.get('PORT')}`
}

/**
 * Sends a templated e-mail once the current transaction has committed (never for work that
 * was rolled back). In development and tests the `outbox` mailer keeps it for /dev/outbox.
 */
export function sendTemplatedMail(message: TemplatedMail) {
  afterCommit(async () => {
    const rendered = renderMail(
      message.template,
      message.locale,
      {
        ...message.data,
        appUrl: appUrl(),
        tenantName: message.tenant?.name ?? 'Active City',
        brandColor: message.tenant?.branding?.primaryColor ?? '#1d4ed8',
      },
      message.tenant?.slug
    )
    await mail.send((m) => {
      m.to(message.to)
        .subject(rendered.subject)
        .html(rendered.html)
        .text(rendered.text)
        .header('x-template', message.template)
      if (message.tenant) m.header('x-tenant', message.tenant.slug)
    })
  })
}
