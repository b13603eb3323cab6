import { defineTenant } from '#tenancy/define_tenant'

export default defineTenant({
  slug: 'praha-5',
  kind: 'district',
  name: 'Praha 5',
  legalName: 'Městská část Praha 5',
  country: 'CZ',
  region: 'Hlavní město Praha',
  defaultLocale: 'cs',
  locales: ['cs', 'en', 'uk', 'pl'],
  currency: 'CZK',
  status: 'active',
  contactEmail: 'podatelna@praha5.example.cz',
  hosts: ['praha5.localhost', 'praha5.activecity.test'],
  branding: {
    primaryColor: '#00558c',
    accentColor: '#f2a900',
    tagline: {
      cs: 'Příspěvky na kroužky a tábory pro děti z Prahy 5',
      en: 'Contributions to clubs and camps for children of Prague 5',
      uk: 'Внески на гуртки та табори для дітей Праги 5',
      pl: 'Dopłaty do zajęć i obozów dla dzieci z Pragi 5',
    },
  },
})
