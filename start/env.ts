/*
 * Environment variables, validated at boot. See .env.example for what each one does.
 */
import { Env } from '@adonisjs/core/env'

export default await Env.create(new URL('../', import.meta.url), {
  NODE_ENV: Env.schema.enum(['development', 'production', 'test'] as const),
  PORT: Env.schema.number(),
  APP_KEY: Env.schema.secret(),
  APP_URL: Env.schema.string.optional({ format: 'url', tld: false }),
  HOST: Env.schema.string({ format: 'host' }),
  LOG_LEVEL: Env.schema.string(),
  /* Worker processes of the production server (bin/server.ts): a number or `auto`; 1 when unset. */
  WEB_CONCURRENCY: Env.schema.string.optional(),

  /* Base domain under which tenants get a sub-domain (praha5.<PLATFORM_DOMAIN>). */
  PLATFORM_DOMAIN: Env.schema.string.optional(),

  SESSION_DRIVER: Env.schema.enum(['cookie', 'memory'] as const),
  LIMITER_STORE: Env.schema.enum(['database', 'memory'] as const),

  /* Mail: `outbox` keeps messages in the database and shows them at /dev/outbox; `smtp` sends. */
  MAIL_MAILER: Env.schema.enum(['smtp', 'outbox'] as const),
  MAIL_FROM_NAME: Env.schema.string(),
  MAIL_FROM_ADDRESS: Env.schema.string(),
  SMTP_HOST: Env.schema.string.optional(),
  SMTP_PORT: Env.schema.number.optional(),
  SMTP_USERNAME: Env.schema.string.optional(),
  SMTP_PASSWORD: Env.schema.string.optional(),

  /* Owner connection (migrations) and runtime connection (the app; cannot bypass RLS). */
  DATABASE_URL: Env.schema.string(),
  DATABASE_APP_URL: Env.schema.string(),
  DB_POOL_MAX: Env.schema.number.optional(),
  /* Named (prepared) statements on the runtime connection; false behind a pooler that drops them. */
  DB_PREPARED_STATEMENTS: Env.schema.boolean.optional(),

  /* Population register (docs/decisions/0014): without REGISTER_URL, verification falls back to documents. */
  REGISTER_URL: Env.schema.string.optional({ format: 'url', tld: false }),
  REGISTER_API_KEY: Env.schema.string.optional(),

  /* Private file storage for documents (config/drive.ts); DRIVE_ROOT defaults to storage/. */
  DRIVE_DISK: Env.schema.enum.optional(['fs'] as const),
  DRIVE_ROOT: Env.schema.string.optional(),
})
