/*
 * Name comparison as a person at the town hall counter would do it: case does not matter, nor
 * extra spaces; the order "Nováková Jana" is the same person as "Jana Nováková"; a missing
 * second given name is fine; "Novakova" typed without diacritics is the same name, and so is
 * "Shevchenko" for "Шевченко" or "Ševčenko". Every leniency used is reported as a reason code,
 * and a refusal says which part differs, so the UI can explain it in the reader's language.
 */

/** Why two names were found equal despite a difference (notes on a match). */
export type NameMatchNote =
  | 'diacritics_only'
  | 'transliteration'
  | 'name_order_swapped'
  | 'middle_name_missing'
  | 'first_given_name_missing'
  | 'hyphen_or_space'

/** Why two names were found different. */
export type NameMismatchReason = 'family_name_differs' | 'given_name_differs' | 'name_empty'

/** Every reason code name comparison can return. */
export type NameReason = NameMatchNote | NameMismatchReason

/** A name as the register keeps it: given names and family name apart. */
export interface StructuredName {
  givenNames: string
  familyName: string
}

/** The outcome of comparing a typed full name with a register name. */
export interface NameComparison {
  match: boolean
  /** Notes on a match, or what differs on a mismatch; sorted, without duplicates. */
  reasons: NameReason[]
}

/** How close two name tokens are: equal, equal once diacritics are dropped, equal once transliterated. */
type TokenLevel = 'exact' | 'diacritics' | 'transliteration'

interface Token {
  /** Lower-cased, NFC. */
  text: string
  /** The separator before this token inside its part of the name: ' ' or '-' (first token: ''). */
  separator: '' | ' ' | '-'
}

const HYPHENS = /[\u002D\u2010\u2011\u2012\u2013\u2014\u2212]/g
const APOSTROPHES = /['\u2019\u02BC\u02B9`\u00B4]/g
const CYRILLIC = /[\u0400-\u04FF]/

/** Removes combining marks after canonical decomposition: "Nováková" → "Novakova". */
export function stripDiacritics(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').normalize('NFC')
}

/*
 * Ukrainian (and common Russian) Cyrillic to Latin, following the Czech convention (š, č, ž, ch
 * for х, j for й). The English (Ukrainian national, KMU 2010) spellings are brought to the same
 * key by latinKey() below, so one table serves both conventions.
 */
const CYRILLIC_TO_CZECH: Record<string, string> = {
  а: 'a',
  б: 'b',
  в: 'v',
  г: 'h',
  ґ: 'g',
  д: 'd',
  е: 'e',
  є: 'je',
  ж: 'ž',
  з: 'z',
  и: 'y',
  і: 'i',
  ї: 'ji',
  й: 'j',
  к: 'k',
  л: 'l',
  м: 'm',
  н: 'n',
  о: 'o',
  п: 'p',
  р: 'r',
  с: 's',
  т: 't',
  у: 'u',
  ф: 'f',
  х: 'ch',
  ц: 'c',
  ч: 'č',
  ш: 'š',
  щ: 'šč',
  ь: '',
  ю: 'ju',
  я: 'ja',
  // Russian letters also met in Ukrainian residents' documents.
  ё: 'jo',
  ы: 'y',
  э: 'e',
  ъ: '',
}

/** Transliterates Cyrillic letters to Latin by the Czech convention ("Шевченко" → "ševčenko"); other characters are kept. */
export function transliterateCyrillic(text: string): string {
  let out = ''
  for (const char of text.toLowerCase()) out += CYRILLIC_TO_CZECH[char] ?? char
  return out
}

/*
 * A spelling-independent key of one Latin (or transliterated) token, so that the Czech
 * ("Ševčenko", "Julija", "Andrij", "Charkiv") and English ("Shevchenko", "Yuliia", "Andrii",
 * "Kharkiv") transliterations of the same Cyrillic name meet. Only used after stricter
 * comparisons failed, and then reported as `transliteration`.
 */
function latinKey(token: string): string {
  let key = token.toLowerCase().replace(APOSTROPHES, '')
  if (CYRILLIC.test(key)) key = transliterateCyrillic(key)
  key = key.replaceAll('š', 'sh').replaceAll('č', 'ch').replaceAll('ž', 'zh')
  key = stripDiacritics(key)
  key = key
    .replaceAll('kh', 'ch') // х: English kh, Czech ch
    .replaceAll('ts', 'c') // ц: English ts, Czech c
    .replaceAll('j', 'y') // й, я, ю, є, ї: Czech j, English y
    .replaceAll('ia', 'ya') // я inside a word: English ia
    .replaceAll('iu', 'yu') // ю inside a word: English iu
    .replaceAll('ie', 'ye') // є inside a word: English ie
    .replace(/ii$/, 'iy') // -ій at the end: English -ii or -iy, Czech -ij
  return key
}

/** Splits one part of a name into lower-cased tokens, remembering whether a space or a hyphen separated them. */
function tokenize(part: string): Token[] {
  const tokens: Token[] = []
  const text = part.normalize('NFC').toLowerCase().replace(HYPHENS, '-').trim()
  const pattern = /([\s-]*)([^\s-]+)/g
  for (const [, separators, word] of text.matchAll(pattern)) {
    const separator: Token['separator'] =
      tokens.length === 0 ? '' : separators.includes('-') ? '-' : ' '
    tokens.push({ text: word.replace(/[.,]+$/, ''), separator })
  }
  return tokens.filter((token) => token.text !== '')
}

function tokenLevel(a: string, b: string): TokenLevel | null {
  if (a === b) return 'exact'
  if (stripDiacritics(a) === stripDiacritics(b)) return 'diacritics'
  if (latinKey(a) === latinKey(b)) return 'transliteration'
  return null
}

interface PartResult {
  ok: boolean
  levels: TokenLevel[]
  separatorsDiffer: boolean
}

/** Compares the family-name tokens one by one, in order. */
function compareFamily(given: Token[], register: Token[]): PartResult {
  if (given.length !== register.length) return { ok: false, levels: [], separatorsDiffer: false }
  const levels: TokenLevel[] = []
  let separatorsDiffer = false
  for (const [index, token] of given.entries()) {
    const level = tokenLevel(token.text, register[index].text)
    if (!level) return { ok: false, levels: [], separatorsDiffer: false }
    levels.push(level)
    if (index > 0 && token.separator !== register[index].separator) separatorsDiffer = true
  }
  return { ok: true, levels, separatorsDiffer }
}

/**
 * Given names typed must be, in order, a non-empty subset of the register's given names (a
 * second given name may be left out, never one added).
 */
function compareGiven(
  given: Token[],
  register: Token[]
): PartResult & { missingMiddle: boolean; missingFirst: boolean } {
  const failed = {
    ok: false,
    levels: [],
    separatorsDiffer: false,
    missingMiddle: false,
    missingFirst: false,
  }
  if (given.length === 0 || given.length > register.length) return failed
  const levels: TokenLevel[] = []
  const used: number[] = []
  let from = 0
  for (const token of given) {
    let found = -1
    for (let index = from; index < register.length; index++) {
      const level = tokenLevel(token.text, register[index].text)
      if (level) {
        found = index
        levels.push(level)
        break
      }
    }
    if (found < 0) return failed
    used.push(found)
    from = found + 1
  }
  let separatorsDiffer = false
  for (let i = 1; i < used.length; i++) {
    if (used[i] === used[i - 1] + 1 && given[i].separator !== register[used[i]].separator) {
      separatorsDiffer = true
    }
  }
  return {
    ok: true,
    levels,
    separatorsDiffer,
    missingMiddle: used.length < register.length && used[0] === 0,
    missingFirst: used[0] !== 0,
  }
}

interface OrderAttempt {
  order: 'given_first' | 'family_first'
  family: PartResult
  given: ReturnType<typeof compareGiven>
}

/**
 * Compares a full name as typed ("Jana Nováková", "NOVÁKOVÁ Jana", "Olena Ševčenko") with the
 * register's given names and family name, and says why it matches or not.
 */
export function compareNames(fullName: string, register: StructuredName): NameComparison {
  const typed = tokenize(fullName)
  const familyTokens = tokenize(register.familyName)
  const givenTokens = tokenize(register.givenNames)
  if (typed.length === 0 || familyTokens.length === 0 || givenTokens.length === 0) {
    return { match: false, reasons: ['name_empty'] }
  }

  // Every split of the typed tokens into a given part and a family part, both ways round. Only
  // the splits whose family part has as many tokens as the register's can match; the others
  // still tell which part differs ("Eva Nováková" for "Eva Nováková-Svobodová").
  const attempts: OrderAttempt[] = []
  const n = typed.length
  for (let k = 1; k < n; k++) {
    // "Jana Marie Nováková": family name last.
    attempts.push({
      order: 'given_first',
      family: compareFamily(reseparate(typed.slice(k)), familyTokens),
      given: compareGiven(reseparate(typed.slice(0, k)), givenTokens),
    })
  }
  for (let k = 1; k < n; k++) {
    // "Nováková Jana Marie": family name first, as on Czech forms and lists.
    attempts.push({
      order: 'family_first',
      family: compareFamily(reseparate(typed.slice(0, k)), familyTokens),
      given: compareGiven(reseparate(typed.slice(k)), givenTokens),
    })
  }
  if (n === 1) {
    // Only one name typed ("Nováková"): say which part is missing.
    attempts.push({
      order: 'given_first',
      family: compareFamily(typed, familyTokens),
      given: compareGiven([], givenTokens),
    })
  }

  const full = attempts.find((attempt) => attempt.family.ok && attempt.given.ok)
  if (full) {
    const notes = new Set<NameReason>()
    const levels = [...full.family.levels, ...full.given.levels]
    if (levels.includes('diacritics')) notes.add('diacritics_only')
    if (levels.includes('transliteration')) notes.add('transliteration')
    if (full.order === 'family_first') notes.add('name_order_swapped')
    if (full.given.missingFirst) notes.add('first_given_name_missing')
    else if (full.given.missingMiddle) notes.add('middle_name_missing')
    if (full.family.separatorsDiffer || full.given.separatorsDiffer) notes.add('hyphen_or_space')
    return { match: true, reasons: [...notes].sort() }
  }

  // Explain with the reading that got furthest: the family name matters more than the given name.
  const partial = attempts.find((attempt) => attempt.family.ok) ?? attempts.find((a) => a.given.ok)
  const reasons: NameReason[] = []
  if (!partial?.family.ok) reasons.push('family_name_differs')
  if (!partial?.given.ok) reasons.push('given_name_differs')
  return { match: false, reasons: reasons.sort() }
}

/** The first token of a slice starts its part: it has no separator before it. */
function reseparate(tokens: Token[]): Token[] {
  return tokens.map((token, index) => (index === 0 ? { ...token, separator: '' } : token))
}

/**
 * A normalised key of a full name for exact look-ups where no comparison can run (hashed census
 * data): lower case, diacritics and spelling variants folded as for `transliteration`, hyphens as
 * spaces, tokens sorted so the order of names does not matter.
 */
export function nameKey(fullName: string): string {
  return tokenize(fullName)
    .map((token) => latinKey(token.text))
    .sort()
    .join(' ')
}

/** The register's name as one string, given names first, for display to staff. */
export function formatStructuredName(name: StructuredName): string {
  return `${name.givenNames.trim()} ${name.familyName.trim()}`.replace(/\s+/g, ' ')
}
