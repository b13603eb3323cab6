import type User from '#models/user'
import Child from '#models/child'
import Application from '#models/application'
import DomainError from '#exceptions/domain_error'

export interface ChildInput {
  firstName: string
  lastName: string
  /** YYYY-MM-DD, already checked by childValidator. */
  birthDate: string
  /** Normalised YYMMDD/SSSC, already checked against the birth date; null or absent when not given. */
  birthNumber?: string | null
}

/** The same person twice in one household (names compared without regard to case). */
async function ensureNoDuplicate(parentUserId: string, input: ChildInput, exceptId?: string) {
  const query = Child.query()
    .where('parentUserId', parentUserId)
    .whereRaw('lower(first_name) = lower(?)', [input.firstName])
    .whereRaw('lower(last_name) = lower(?)', [input.lastName])
    .where('birthDate', input.birthDate)
  if (exceptId) query.whereNot('id', exceptId)
  if (await query.first()) throw new DomainError('household.duplicate_child', 'firstName')
}

/** Whether a database error is the (parent, names, birth date) unique key, raced past the check. */
function isDuplicateKey(error: unknown) {
  return (error as { code?: string })?.code === '23505'
}

/**
 * Adds a child to a parent's household. Row-level security also holds the row to the
 * signed-in parent (parent_user_id = app_user_id()).
 */
export class AddChild {
  async handle(input: { parent: User } & ChildInput) {
    await ensureNoDuplicate(input.parent.id, input)
    try {
      return await Child.create({
        parentUserId: input.parent.id,
        firstName: input.firstName,
        lastName: input.lastName,
        birthDate: input.birthDate,
        birthNumber: input.birthNumber ?? null,
      })
    } catch (error) {
      if (isDuplicateKey(error)) throw new DomainError('household.duplicate_child', 'firstName')
      throw error
    }
  }
}

/** Corrects a child's names, birth date or birth number. */
export class UpdateChild {
  async handle(input: { parent: User; child: Child } & ChildInput) {
    const { child } = input
    await ensureNoDuplicate(input.parent.id, input, child.id)
    child.merge({
      firstName: input.firstName,
      lastName: input.lastName,
      birthDate: input.birthDate,
      birthNumber: input.birthNumber ?? null,
    })
    try {
      await child.save()
    } catch (error) {
      if (isDuplicateKey(error)) throw new DomainError('household.duplicate_child', 'firstName')
      throw error
    }
    return child
  }
}

/** Removes a child from the household. */
/** How many applications (any state, any tenant) were made for a child. */
export async function applicationCountOf(child: Child) {
  const row = await Application.query().where('childId', child.id).count('* as total').firstOrFail()
  return Number(row.$extras.total)
}

/**
 * Removes a child from the household. A child with applications stays: the applications, the
 * decisions and any credit or vouchers granted refer to them and are kept on record (the
 * applications' foreign key also refuses it, which covers an application submitted while the
 * removal runs).
 */
export class RemoveChild {
  async handle(input: { parent: User; child: Child }) {
    if ((await applicationCountOf(input.child)) > 0) {
      throw new DomainError('household.child_has_applications')
    }
    try {
      await input.child.delete()
    } catch (error) {
      if ((error as { code?: string }).code === '23503') {
        throw new DomainError('household.child_has_applications')
      }
      throw error
    }
  }
}
