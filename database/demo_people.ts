/**
 * Demo people, one per role, printed by `npm run dev` and used by the browser tests.
 * Everyone shares DEMO_PASSWORD; all e-mail addresses are verified.
 */
export const DEMO_PASSWORD = 'Demo-heslo-2026'

export interface DemoPerson {
  email: string
  fullName: string
  role: string
  locale: 'cs' | 'en' | 'uk' | 'pl'
  platformAdmin?: boolean
  homeTenant?: string
  citizenship?: string
  tenantRoles?: { tenant: string; role: 'tenant_admin' | 'program_manager' | 'reviewer' }[]
  organizationRoles?: { organization: string; role: 'provider_admin' | 'provider_staff' }[]
}

export const DEMO_ORGANIZATIONS = [
  {
    key: 'sk-radlice',
    name: 'Sportovní klub Radlice',
    registrationNumber: '26543210',
    city: 'Praha',
    country: 'CZ',
  },
  {
    key: 'zus-popelka',
    name: 'ZUŠ Na Popelce',
    registrationNumber: '70837911',
    city: 'Praha',
    country: 'CZ',
  },
]

export const DEMO_PEOPLE: DemoPerson[] = [
  {
    email: 'platform@activecity.test',
    fullName: 'Petra Provozní',
    role: 'platform admin',
    locale: 'en',
    platformAdmin: true,
  },
  {
    email: 'admin.praha5@activecity.test',
    fullName: 'Tomáš Správce',
    role: 'tenant admin (Praha 5 and Praha 6)',
    locale: 'cs',
    tenantRoles: [
      { tenant: 'praha-5', role: 'tenant_admin' },
      { tenant: 'praha-6', role: 'tenant_admin' },
    ],
  },
  {
    email: 'manager.praha5@activecity.test',
    fullName: 'Marie Programová',
    role: 'program manager (Praha 5)',
    locale: 'cs',
    tenantRoles: [{ tenant: 'praha-5', role: 'program_manager' }],
  },
  {
    email: 'reviewer.praha5@activecity.test',
    fullName: 'Radek Posuzovatel',
    role: 'reviewer (Praha 5)',
    locale: 'cs',
    tenantRoles: [{ tenant: 'praha-5', role: 'reviewer' }],
  },
  {
    email: 'admin.crdm@activecity.test',
    fullName: 'Jana Dárcová',
    role: 'tenant admin (ČRDM)',
    locale: 'cs',
    tenantRoles: [
      { tenant: 'crdm', role: 'tenant_admin' },
      { tenant: 'crdm', role: 'program_manager' },
    ],
  },
  {
    email: 'admin.olomouc@activecity.test',
    fullName: 'Olga Hanáková',
    role: 'tenant admin (Olomouc)',
    locale: 'cs',
    tenantRoles: [{ tenant: 'olomouc', role: 'tenant_admin' }],
  },
  {
    email: 'admin.bydgoszcz@activecity.test',
    fullName: 'Bartosz Kowalski',
    role: 'tenant admin (Bydgoszcz)',
    locale: 'pl',
    tenantRoles: [{ tenant: 'bydgoszcz', role: 'tenant_admin' }],
  },
  {
    email: 'provider.admin@activecity.test',
    fullName: 'Pavel Trenér',
    role: 'provider admin (Sportovní klub Radlice)',
    locale: 'cs',
    organizationRoles: [{ organization: 'sk-radlice', role: 'provider_admin' }],
  },
  {
    email: 'provider.staff@activecity.test',
    fullName: 'Klára Pokladní',
    role: 'provider staff (Sportovní klub Radlice)',
    locale: 'cs',
    organizationRoles: [{ organization: 'sk-radlice', role: 'provider_staff' }],
  },
  {
    email: 'provider2.admin@activecity.test',
    fullName: 'Zdeněk Umělecký',
    role: 'provider admin (ZUŠ Na Popelce)',
    locale: 'cs',
    organizationRoles: [{ organization: 'zus-popelka', role: 'provider_admin' }],
  },
  {
    email: 'citizen@activecity.test',
    fullName: 'Lucie Nováková',
    role: 'citizen (home: Praha 5)',
    locale: 'cs',
    homeTenant: 'praha-5',
    citizenship: 'CZ',
  },
  {
    email: 'senior@activecity.test',
    fullName: 'Ludmila Holubová',
    role: 'citizen (home: Olomouc, aged 74)',
    locale: 'cs',
    homeTenant: 'olomouc',
    citizenship: 'CZ',
  },
  {
    email: 'citizen.ua@activecity.test',
    fullName: 'Olena Shevchenko',
    role: 'citizen (home: ČRDM, Ukrainian)',
    locale: 'uk',
    homeTenant: 'crdm',
    citizenship: 'UA',
  },
]
