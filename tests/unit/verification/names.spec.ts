import { test } from '@japa/runner'
import fc from 'fast-check'
import {
  compareNames,
  nameKey,
  stripDiacritics,
  transliterateCyrillic,
  type NameReason,
} from '#verification/names'

type Case = [typed: string, given: string, family: string, match: boolean, reasons: NameReason[]]

const cases: Case[] = [
  // Same name, as a person would write it.
  ['Jana Nováková', 'Jana', 'Nováková', true, []],
  ['  JANA   nováková ', 'Jana', 'Nováková', true, []],
  ['jana nováková', 'JANA', 'NOVÁKOVÁ', true, []],
  // Diacritics left out or partly typed.
  ['Jana Novakova', 'Jana', 'Nováková', true, ['diacritics_only']],
  ['Jana Novákova', 'Jana', 'Nováková', true, ['diacritics_only']],
  ['Tomas Dvorak', 'Tomáš', 'Dvořák', true, ['diacritics_only']],
  // Family name first, as on Czech forms.
  ['Nováková Jana', 'Jana', 'Nováková', true, ['name_order_swapped']],
  ['NOVAKOVA Jana', 'Jana', 'Nováková', true, ['diacritics_only', 'name_order_swapped']],
  // Several given names in the register.
  ['Jana Nováková', 'Jana Marie', 'Nováková', true, ['middle_name_missing']],
  ['Nováková Jana', 'Jana Marie', 'Nováková', true, ['middle_name_missing', 'name_order_swapped']],
  ['Jana Marie Nováková', 'Jana Marie', 'Nováková', true, []],
  ['Marie Nováková', 'Jana Marie', 'Nováková', true, ['first_given_name_missing']],
  ['Jana Marie Nováková', 'Jana', 'Nováková', false, ['given_name_differs']],
  // Hyphens and spaces.
  ['Anna Marie Pokorná', 'Anna-Marie', 'Pokorná', true, ['hyphen_or_space']],
  ['Anna-Marie Pokorná', 'Anna-Marie', 'Pokorná', true, []],
  ['Anna–Marie Pokorná', 'Anna-Marie', 'Pokorná', true, []],
  ['Eva Nováková Svobodová', 'Eva', 'Nováková-Svobodová', true, ['hyphen_or_space']],
  ['Eva Nováková-Svobodová', 'Eva', 'Nováková-Svobodová', true, []],
  ['Eva Nováková', 'Eva', 'Nováková-Svobodová', false, ['family_name_differs']],
  // Ukrainian names: Cyrillic, English (passport) and Czech transliterations.
  ['Олена Шевченко', 'Olena', 'Shevchenko', true, ['transliteration']],
  ['Olena Ševčenko', 'Olena', 'Shevchenko', true, ['transliteration']],
  ['Olena Shevchenko', 'Olena', 'Ševčenko', true, ['transliteration']],
  ['Olena Sevcenko', 'Olena', 'Ševčenko', true, ['diacritics_only']],
  ['Шевченко Олена', 'Olena', 'Shevchenko', true, ['name_order_swapped', 'transliteration']],
  ['ОЛЕНА шевченко', 'Олена', 'Шевченко', true, []],
  ['Andrij Kovalenko', 'Andrii', 'Kovalenko', true, ['transliteration']],
  ['Андрій Коваленко', 'Andrii', 'Kovalenko', true, ['transliteration']],
  ['Julija Kovalenko', 'Yuliia', 'Kovalenko', true, ['transliteration']],
  ['Юлія Коваленко', 'Yuliia', 'Kovalenko', true, ['transliteration']],
  ['Софія Бондаренко', 'Sofiia', 'Bondarenko', true, ['transliteration']],
  ['Iryna Tkačenko', 'Iryna', 'Tkachenko', true, ['transliteration']],
  ['Oleksandr Charčenko', 'Oleksandr', 'Kharchenko', true, ['transliteration']],
  ['Jevhen Ščerbak', 'Yevhen', 'Shcherbak', true, ['transliteration']],
  ['Микола Цибуля', 'Mykola', 'Tsybulia', true, ['transliteration']],
  // Clear mismatches.
  ['Lucie Novotná', 'Lucie', 'Nováková', false, ['family_name_differs']],
  ['Lenka Nováková', 'Lucie', 'Nováková', false, ['given_name_differs']],
  ['Petr Svoboda', 'Lucie', 'Nováková', false, ['family_name_differs', 'given_name_differs']],
  ['Nováková', 'Lucie', 'Nováková', false, ['given_name_differs']],
  ['Олена Коваленко', 'Olena', 'Shevchenko', false, ['family_name_differs']],
  ['', 'Lucie', 'Nováková', false, ['name_empty']],
  ['   ', 'Lucie', 'Nováková', false, ['name_empty']],
]

test.group('Name comparison', () => {
  test('{0} vs {1} {2}')
    .with(cases)
    .run(({ assert }, [typed, given, family, match, reasons]) => {
      assert.deepEqual(compareNames(typed, { givenNames: given, familyName: family }), {
        match,
        reasons,
      })
    })

  test('diacritics are stripped explicitly (NFD, combining marks removed)', ({ assert }) => {
    assert.equal(
      stripDiacritics('Příliš žluťoučký kůň úpěl ďábelské ódy'),
      'Prilis zlutoucky kun upel dabelske ody'
    )
    // Already decomposed input (as some keyboards and macOS file names produce) gives the same.
    assert.equal(stripDiacritics('Nováková'.normalize('NFD')), 'Novakova')
    assert.isTrue(
      compareNames('Nováková'.normalize('NFD') + ' Jana', {
        givenNames: 'Jana',
        familyName: 'Nováková',
      }).match
    )
    assert.deepEqual(
      compareNames('Jana ' + 'Nováková'.normalize('NFD'), {
        givenNames: 'Jana',
        familyName: 'Nováková',
      }).reasons,
      []
    )
  })

  test('Cyrillic is transliterated by the Czech convention', ({ assert }) => {
    assert.equal(transliterateCyrillic('Шевченко'), 'ševčenko')
    assert.equal(transliterateCyrillic('Юлія Щербак'), 'julija ščerbak')
    assert.equal(transliterateCyrillic('Nováková'), 'nováková')
  })

  test('a name always matches itself, its other order and its undiacritised form', ({ assert }) => {
    const letters = [...'abcdeilmnorstuváéíóúůýčďěňřšťž']
    const word = fc
      .array(fc.constantFrom(...letters), { minLength: 2, maxLength: 10 })
      .map((chars) => chars.join(''))
    fc.assert(
      fc.property(fc.array(word, { minLength: 1, maxLength: 3 }), word, (given, family) => {
        const register = { givenNames: given.join(' '), familyName: family }
        const same = compareNames(`${given.join(' ')} ${family}`, register)
        assert.deepEqual(same, { match: true, reasons: [] })
        const swapped = compareNames(`${family} ${given.join(' ')}`, register)
        assert.isTrue(swapped.match)
        assert.includeMembers(
          ['name_order_swapped'],
          swapped.reasons.filter((r) => r !== 'diacritics_only')
        )
        const plain = compareNames(stripDiacritics(`${given.join(' ')} ${family}`), register)
        assert.isTrue(plain.match)
        assert.includeMembers(['diacritics_only'], plain.reasons)
      })
    )
  })

  test('nameKey ignores order, case, diacritics, hyphens and transliteration', ({ assert }) => {
    const key = nameKey('Olena Shevchenko')
    assert.equal(nameKey('SHEVCHENKO olena'), key)
    assert.equal(nameKey('Олена Шевченко'), key)
    assert.equal(nameKey('Olena Ševčenko'), key)
    assert.equal(nameKey('Anna-Marie Pokorná'), nameKey('Pokorna Anna Marie'))
    assert.notEqual(nameKey('Lucie Nováková'), nameKey('Lucie Novotná'))
  })
})
