import { definePlugin } from '../../app/plugin_engine/define_plugin.js'
import { creditSettings } from './settings.js'
import { creditPostingsOnApproval } from './hooks.js'

/**
 * amKREDIT: an approved application loads credit to the citizen's account, spent on activities
 * from the providers' catalogue like in an e-shop.
 */
export default definePlugin({
  id: 'credit',
  version: '1.0.0',
  name: {
    cs: 'amKREDIT',
    en: 'amKREDIT (credit)',
    uk: 'amKREDIT (кредит)',
    pl: 'amKREDIT (kredyt)',
  },
  description: {
    cs: 'Schválená žádost připíše kredit na účet občana; ten jím platí aktivity z katalogu poskytovatelů.',
    en: "An approved application loads credit to the citizen's account, spent on activities from the providers' catalogue.",
    uk: 'Схвалена заява зараховує кредит на рахунок громадянина, яким він оплачує заняття з каталогу надавачів.',
    pl: 'Zatwierdzony wniosek dopisuje kredyt do konta mieszkańca, którym płaci za zajęcia z katalogu usługodawców.',
  },
  benefitKind: 'credit',
  settings: creditSettings,
  translations: 'lang',
  hooks: {
    'application.approved': (payload, { settings }) => creditPostingsOnApproval(payload, settings),
  },
})
