/*
 * The browser's message formatter (resources/js/format_message.ts) and the `ui` messages it
 * formats: plain {name} placeholders, and ICU plurals with each language's plural rules (Czech,
 * Ukrainian and Polish have more forms than English). Every ui message of every language must
 * format with sample values into text with no ICU syntax left.
 */
import { test } from '@japa/runner'
import { readFileSync } from 'node:fs'
import { format } from '../../resources/js/format_message.js'

const LOCALES = ['cs', 'en', 'uk', 'pl'] as const

function flatten(tree: Record<string, unknown>, prefix = '', out = new Map<string, string>()) {
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key
    if (typeof value === 'string') out.set(path, value)
    else if (value && typeof value === 'object')
      flatten(value as Record<string, unknown>, path, out)
  }
  return out
}

function messages(locale: string) {
  const file = new URL(`../../resources/lang/${locale}/ui.json`, import.meta.url)
  return flatten(JSON.parse(readFileSync(file, 'utf8')))
}

test.group('ui messages in the browser', () => {
  test('plain placeholders are replaced, and a missing value stays visible', ({ assert }) => {
    assert.equal(format('Group {n}', { n: 2 }, 'en'), 'Group 2')
    assert.equal(format('Hello {name}, {missing}', { name: 'Eva' }, 'cs'), 'Hello Eva, {missing}')
  })

  test('plurals follow each language’s rules', ({ assert }) => {
    const cs = messages('cs').get('programs_ui.test.impact')!
    const values = (total: number) => ({ total, now: 1, before: 1, changed: 0 })
    assert.match(format(cs, values(1), 'cs'), /^Dopad na 1 existující žádost:/)
    assert.match(format(cs, values(3), 'cs'), /^Dopad na 3 existující žádosti:/)
    assert.match(format(cs, values(7), 'cs'), /^Dopad na 7 existujících žádostí:/)
    const en = messages('en').get('programs_ui.test.impact')!
    assert.match(format(en, values(1), 'en'), /^Impact on 1 existing application:/)
    assert.match(format(en, values(12), 'en'), /^Impact on 12 existing applications:/)
    const uk = messages('uk').get('programs_ui.test.impact')!
    assert.match(format(uk, values(22), 'uk'), /^Вплив на 22 наявні заяви:/)
    const pl = messages('pl').get('programs_ui.test.impact')!
    assert.match(format(pl, values(5), 'pl'), /^Wpływ na 5 istniejących wniosków:/)
  })

  test('every ui message of every language formats with no ICU syntax left', ({ assert }) => {
    for (const locale of LOCALES) {
      for (const [key, template] of messages(locale)) {
        const names = new Set([...template.matchAll(/\{\s*(\w+)\s*[,}]/g)].map((m) => m[1]))
        const values = Object.fromEntries([...names].map((name) => [name, 2]))
        const text = format(template, values, locale)
        assert.notMatch(text, /\{|\}/, `${locale}: ${key} → ${text}`)
      }
    }
  })
})
