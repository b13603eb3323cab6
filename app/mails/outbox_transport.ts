import db from '@adonisjs/lucid/services/db'
import { MailResponse } from '@adonisjs/mail'
import type { MailTransportContract, NodeMailerMessage } from '@adonisjs/mail/types'

function addressOf(value: any): string {
  if (!value) return ''
  if (Array.isArray(value)) return value.map(addressOf).join(', ')
  if (typeof value === 'string') return value
  return value.address ?? ''
}

/**
 * Keeps e-mails in the mail_outbox table instead of sending them (development and tests);
 * /dev/outbox shows them. Writes on its own connection, never inside a tenant transaction.
 */
export class OutboxTransport implements MailTransportContract {
  async send(message: NodeMailerMessage): Promise<MailResponse<{ id: string }>> {
    const headers = (message.headers ?? {}) as Record<string, any>
    const [row] = await db
      .connection('app')
      .table('mail_outbox')
      .insert({
        to_address: addressOf(message.to),
        from_address: addressOf(message.from),
        subject: String(message.subject ?? ''),
        html: typeof message.html === 'string' ? message.html : null,
        text: typeof message.text === 'string' ? message.text : null,
        template: headers['x-template'] ?? null,
        tenant_slug: headers['x-tenant'] ?? null,
      })
      .returning('id')
    const id = String(row.id ?? row)
    return new MailResponse(id, { accepted: [addressOf(message.to)], rejected: [] } as any, { id })
  }
}
