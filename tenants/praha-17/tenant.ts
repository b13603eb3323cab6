import { defineTenant } from '#tenancy/define_tenant'

export default defineTenant({
  slug: 'praha-17',
  kind: 'district',
  name: 'Praha 17',
  legalName: 'Městská část Praha 17 – Řepy',
  country: 'CZ',
  region: 'Hlavní město Praha',
  defaultLocale: 'cs',
  locales: ['cs', 'en', 'uk', 'pl'],
  currency: 'CZK',
  status: 'active',
  hosts: ['praha17.localhost', 'praha17.activecity.test'],
  branding: { primaryColor: '#1d6b3a', accentColor: '#e0b100' },
})
