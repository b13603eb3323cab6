import vine from '@vinejs/vine'

export const CITIZENSHIPS = ['CZ', 'UA', 'PL', 'SK', 'OTHER'] as const
const password = () => vine.string().minLength(10).maxLength(200)
const email = () => vine.string().trim().maxLength(254).email()

/** Citizen registration. The e-mail must not be taken (also enforced by the database). */
export const registerValidator = vine.compile(
  vine.object({
    fullName: vine.string().trim().minLength(2).maxLength(200),
    email: email().unique(async (db, value) => {
      const row = await db
        .connection('app')
        .from('users')
        .where('email_normalized', value.trim().toLowerCase())
        .first()
      return !row
    }),
    password: password().confirmed({ confirmationField: 'passwordConfirmation' }),
    citizenship: vine.enum(CITIZENSHIPS),
    homeTenant: vine.string().exists(async (db, value) => {
      const row = await db
        .connection('app')
        .from('tenants')
        .where('slug', value)
        .where('status', 'active')
        .first()
      return !!row
    }),
    privacyAccepted: vine.accepted(),
  })
)

export const loginValidator = vine.compile(
  vine.object({
    email: email(),
    password: vine.string().maxLength(200),
  })
)

export const forgotPasswordValidator = vine.compile(vine.object({ email: email() }))

export const resetPasswordValidator = vine.compile(
  vine.object({
    token: vine.string().maxLength(200),
    password: password().confirmed({ confirmationField: 'passwordConfirmation' }),
  })
)

export const localeValidator = vine.compile(
  vine.object({ locale: vine.enum(['cs', 'en', 'uk', 'pl'] as const) })
)

export const accountValidator = vine.compile(
  vine.object({
    fullName: vine.string().trim().minLength(2).maxLength(200),
    locale: vine.enum(['cs', 'en', 'uk', 'pl'] as const),
  })
)
