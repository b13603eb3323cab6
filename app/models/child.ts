import { DateTime } from 'luxon'
import { BaseModel, belongsTo, column } from '@adonisjs/lucid/orm'
import type { BelongsTo } from '@adonisjs/lucid/types/relations'
import User from '#models/user'

/** A `date` column as YYYY-MM-DD (pg parses dates as local-midnight JS dates). */
function isoDate(value: unknown): string {
  if (value instanceof Date) return DateTime.fromJSDate(value).toISODate()!
  return String(value).slice(0, 10)
}

/**
 * A child (or young adult) in a citizen's household. Global table with row-level security:
 * a parent sees and changes only their own children.
 */
export default class Child extends BaseModel {
  static table = 'children'

  @column({ isPrimary: true })
  declare id: string

  @column()
  declare parentUserId: string

  @column()
  declare firstName: string

  @column()
  declare lastName: string

  /** Date of birth, YYYY-MM-DD. */
  @column({ consume: isoDate })
  declare birthDate: string

  /** Czech birth number (YYMMDD/SSSC), only where a program needs it. */
  @column()
  declare birthNumber: string | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime

  @belongsTo(() => User, { foreignKey: 'parentUserId' })
  declare parent: BelongsTo<typeof User>

  /** Full years of age on a day (YYYY-MM-DD, today by default). */
  ageOn(day: string = DateTime.now().toISODate()!) {
    const [by, bm, bd] = this.birthDate.split('-').map(Number)
    const [y, m, d] = day.split('-').map(Number)
    return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0)
  }
}
