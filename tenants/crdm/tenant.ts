import { defineTenant } from '#tenancy/define_tenant'

/**
 * The Czech Council of Children and Youth (ČRDM): nationwide donor of the call
 * "Darujeme kroužky dětem". Its programs are open to citizens of every tenant.
 */
export default defineTenant({
  slug: 'crdm',
  kind: 'ngo',
  name: 'ČRDM – Darujeme kroužky dětem',
  legalName: 'Česká rada dětí a mládeže, z. s.',
  country: 'CZ',
  nationwide: true,
  defaultLocale: 'cs',
  locales: ['cs', 'en', 'uk', 'pl'],
  currency: 'CZK',
  status: 'active',
  contactEmail: 'krouzky@crdm.example.cz',
  hosts: ['crdm.localhost', 'crdm.activecity.test'],
  branding: {
    primaryColor: '#0b5a8f',
    accentColor: '#e4002b',
    tagline: {
      cs: 'Darujeme kroužky dětem: 2 poukázky po 1000 Kč na dítě a pololetí',
      en: 'We give clubs to children: 2 vouchers of 1000 CZK per child and half-year',
      uk: 'Даруємо гуртки дітям: 2 ваучери по 1000 крон на дитину за півріччя',
      pl: 'Dajemy dzieciom zajęcia: 2 bony po 1000 CZK na dziecko na półrocze',
    },
  },
})
