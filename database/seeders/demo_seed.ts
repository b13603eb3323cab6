import { DateTime } from 'luxon'
import Tenant from '#models/tenant'
import User from '#models/user'
import Organization from '#models/organization'
import OrganizationMembership from '#models/organization_membership'
import TenantMembership from '#models/tenant_membership'
import { DEMO_ORGANIZATIONS, DEMO_PASSWORD, DEMO_PEOPLE } from '#database/demo_people'

/**
 * Creates or refreshes the demo data. Runs inside a platform scope.
 */
export async function seedDemo() {
  const tenants = new Map((await Tenant.all()).map((t) => [t.slug, t]))
  const organizations = new Map<string, Organization>()
  for (const org of DEMO_ORGANIZATIONS) {
    const existing = await Organization.findBy('registrationNumber', org.registrationNumber)
    const record = existing ?? new Organization()
    record.merge({
      name: org.name,
      registrationNumber: org.registrationNumber,
      city: org.city,
      country: org.country,
    })
    await record.save()
    organizations.set(org.key, record)
  }

  for (const person of DEMO_PEOPLE) {
    let user = await User.findBy('emailNormalized', User.normalizeEmail(person.email))
    if (!user) {
      user = new User()
      user.password = DEMO_PASSWORD
    }
    user.merge({
      email: person.email,
      fullName: person.fullName,
      locale: person.locale,
      isPlatformAdmin: !!person.platformAdmin,
      homeTenantId: person.homeTenant ? tenants.get(person.homeTenant)!.id : null,
      citizenship: person.citizenship ?? null,
      emailVerifiedAt: user.emailVerifiedAt ?? DateTime.now(),
    })
    await user.save()

    for (const { tenant, role } of person.tenantRoles ?? []) {
      const tenantId = tenants.get(tenant)!.id
      await TenantMembership.firstOrCreate(
        { tenantId, userId: user.id, role },
        { tenantId, userId: user.id, role }
      )
    }
    for (const { organization, role } of person.organizationRoles ?? []) {
      const organizationId = organizations.get(organization)!.id
      await OrganizationMembership.updateOrCreate({ organizationId, userId: user.id }, { role })
    }
  }
}
