import type { HttpContext } from '@adonisjs/core/http'
import { DateTime } from 'luxon'
import Child from '#models/child'
import PortalPolicy from '#policies/portal_policy'
import ChildPolicy from '#policies/child_policy'
import {
  AddChild,
  RemoveChild,
  UpdateChild,
  applicationCountOf,
} from '#actions/household/child_actions'
import { childValidator, earliestBirthDate, MAX_CHILD_AGE_YEARS } from '#validators/household'
import { done, render } from '#controllers/respond'
import NotFoundException from '#exceptions/not_found_exception'

function today() {
  return DateTime.now().toISODate()!
}

function present(child: Child, day: string) {
  return {
    id: child.id,
    firstName: child.firstName,
    lastName: child.lastName,
    birthDate: child.birthDate,
    birthNumber: child.birthNumber,
    age: child.ageOn(day),
  }
}

/** Limits for the birth date field of the forms (the server checks them again). */
function dateLimits(day: string) {
  return { today: day, earliestBirthDate: earliestBirthDate(day), maxAge: MAX_CHILD_AGE_YEARS }
}

/**
 * A citizen's household: their children and young adults. Another parent's child answers
 * 404: row-level security hides it and the query also names the signed-in parent.
 */
export default class ChildrenController {
  protected async find(ctx: HttpContext) {
    const parent = ctx.auth.getUserOrFail()
    const child = await Child.query()
      .where('parentUserId', parent.id)
      .where('id', ctx.params.id)
      .first()
    if (!child) throw new NotFoundException()
    await ctx.bouncer.with(ChildPolicy).authorize('own', child)
    return { parent, child }
  }

  protected async validate(ctx: HttpContext) {
    return ctx.request.validateUsing(childValidator, {
      meta: { today: today(), t: (key, values) => ctx.i18n.t(key, values) },
    })
  }

  async index(ctx: HttpContext) {
    await ctx.bouncer.with(PortalPolicy).authorize('access')
    await ctx.bouncer.with(ChildPolicy).authorize('manage')
    const parent = ctx.auth.getUserOrFail()
    const children = await Child.query()
      .where('parentUserId', parent.id)
      .orderBy('birthDate')
      .orderBy('firstName')
    const day = today()
    return render(ctx, 'portal/children/index', {
      children: children.map((child) => present(child, day)),
      limits: dateLimits(day),
    })
  }

  async store(ctx: HttpContext) {
    await ctx.bouncer.with(PortalPolicy).authorize('access')
    await ctx.bouncer.with(ChildPolicy).authorize('manage')
    const payload = await this.validate(ctx)
    const child = await new AddChild().handle({ parent: ctx.auth.getUserOrFail(), ...payload })
    return done(ctx, '/portal/children', 'household.added', { id: child.id })
  }

  async show(ctx: HttpContext) {
    await ctx.bouncer.with(PortalPolicy).authorize('access')
    const { child } = await this.find(ctx)
    const day = today()
    return render(ctx, 'portal/children/show', {
      child: present(child, day),
      limits: dateLimits(day),
      applicationCount: await applicationCountOf(child),
    })
  }

  async update(ctx: HttpContext) {
    await ctx.bouncer.with(PortalPolicy).authorize('access')
    const { parent, child } = await this.find(ctx)
    const payload = await this.validate(ctx)
    await new UpdateChild().handle({ parent, child, ...payload })
    return done(ctx, `/portal/children/${child.id}`, 'household.updated')
  }

  async destroy(ctx: HttpContext) {
    await ctx.bouncer.with(PortalPolicy).authorize('access')
    const { parent, child } = await this.find(ctx)
    await new RemoveChild().handle({ parent, child })
    return done(ctx, '/portal/children', 'household.removed')
  }
}
