import { defineTenant } from '#tenancy/define_tenant'

export default defineTenant({
  slug: 'olomouc',
  kind: 'city',
  name: 'Olomouc',
  legalName: 'Statutární město Olomouc',
  country: 'CZ',
  region: 'Olomoucký kraj',
  defaultLocale: 'cs',
  locales: ['cs', 'en', 'uk', 'pl'],
  currency: 'CZK',
  status: 'active',
  hosts: ['olomouc.localhost', 'olomouc.activecity.test'],
  branding: { primaryColor: '#8a1538', accentColor: '#c9a227' },
})
