import { defineTenant } from '#tenancy/define_tenant'

export default defineTenant({
  slug: 'bydgoszcz',
  kind: 'city',
  name: 'Bydgoszcz',
  legalName: 'Miasto Bydgoszcz',
  country: 'PL',
  region: 'Województwo kujawsko-pomorskie',
  defaultLocale: 'pl',
  locales: ['pl', 'en', 'uk', 'cs'],
  currency: 'PLN',
  status: 'active',
  // The platform's register is the Czech one: residents here verify by census or documents.
  register: 'none',
  hosts: ['bydgoszcz.localhost', 'bydgoszcz.activecity.test'],
  branding: {
    primaryColor: '#004b87',
    accentColor: '#ffcc00',
    tagline: { pl: 'Aktywna Bydgoszcz: rowerem, biegiem, razem' },
  },
})
