import { defineTenant } from '#tenancy/define_tenant'

export default defineTenant({
  slug: 'praha-6',
  kind: 'district',
  name: 'Praha 6',
  legalName: 'Městská část Praha 6',
  country: 'CZ',
  region: 'Hlavní město Praha',
  defaultLocale: 'cs',
  locales: ['cs', 'en', 'uk', 'pl'],
  currency: 'CZK',
  status: 'active',
  hosts: ['praha6.localhost', 'praha6.activecity.test'],
  branding: { primaryColor: '#7a1f3d', accentColor: '#d4a017' },
})
