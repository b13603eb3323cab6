/*
 * Explanations in the citizen's language: one sentence per unmet condition (from a traced evaluation),
 * and a summary sentence of a whole rule (the builder's "sentence view").
 *
 * Recognised shapes (anything else gets a generic sentence with the condition written out):
 * - fact op constant, fact op param, fact op (param × fact), fact op fact (and mirrored: constant op fact);
 * - `age_on(birth date, reference)` compared with constants/params, including the 3-argument between;
 * - `in` membership with a constant list, and `!` of it;
 * - boolean facts (`var`, `!!`, `!`, `=== true/false`);
 * - `and`/`or`/`!or` groups ("At least one of the following must hold: …").
 */
import type { CompiledRule, RawTraceNode } from './compile.js'
import {
  type EvaluateOptions,
  type EvaluationResult,
  evaluate,
  toCompiled,
  withParams,
} from './engine.js'
import {
  type FactDefinition,
  type FactFormat,
  type FactType,
  type ParamTypes,
  type PluginFactTypes,
  type ProgramParam,
  choiceLabel,
  lookupFact,
} from './fact_catalog.js'
import {
  type EngineMessages,
  fillTemplate,
  formatEvaluationError,
  messagesFor,
} from './messages.js'
import { parseIsoDate, readPath, splitPath, truthy } from './operators.js'
import type { Facts, Locale } from './types.js'
import { escapePointer } from './validate.js'

/** What an explanation needs besides the rule. */
export interface ExplainContext {
  locale: Locale
  /** ISO 4217 currency of money facts (default CZK). */
  currency?: string
  /** The facts (to show parameter values and reference dates). */
  facts?: Facts
  /** The program's parameters (declarations, with values when known). */
  params?: Readonly<Record<string, ProgramParam>> | ParamTypes
  /** The plugin facts the rule may read (labels, types and choices of `<plugin>.<name>`). */
  pluginFacts?: PluginFactTypes
}

interface Ctx {
  locale: Locale
  currency: string
  m: EngineMessages['explain']
  params?: ParamTypes
  pluginFacts?: PluginFactTypes
  facts?: Facts
  trace?: Map<string, Pick<RawTraceNode, 'operands' | 'result'>>
}

type Shape = { type: FactType | 'number'; choices?: FactDefinition['choices']; format?: FactFormat }

/* ------------------------------------------------------------------------------------------------ */
/* Formatting                                                                                        */
/* ------------------------------------------------------------------------------------------------ */

const formatters = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>()

function numberFormat(locale: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `n|${locale}|${JSON.stringify(options)}`
  let format = formatters.get(key) as Intl.NumberFormat | undefined
  if (!format) {
    format = new Intl.NumberFormat(locale, options)
    formatters.set(key, format)
  }
  return format
}

/** The number of minor-unit digits of a currency (2 for CZK, EUR, PLN, UAH). */
export function currencyDigits(currency: string): number {
  return (
    numberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2
  )
}

/** Formats money given in minor units ("71 176 Kč" in cs, "CZK 71,176" in en). */
export function formatMoney(minorUnits: number, currency: string, locale: Locale): string {
  const digits = currencyDigits(currency)
  const major = Math.round(minorUnits) / 10 ** digits
  const fraction = Number.isInteger(major) ? 0 : digits
  return numberFormat(locale, {
    style: 'currency',
    currency,
    minimumFractionDigits: fraction,
    maximumFractionDigits: fraction,
  }).format(major)
}

/** Formats an ISO date as a long local date ("1. září 2025", "September 1, 2025"). */
export function formatDate(iso: string, locale: Locale): string {
  const packed = parseIsoDate(iso)
  if (packed === -1) return iso
  const date = new Date(0)
  date.setUTCFullYear(
    Math.floor(packed / 10000),
    (Math.floor(packed / 100) % 100) - 1,
    packed % 100
  )
  const key = `d|${locale}`
  let format = formatters.get(key) as Intl.DateTimeFormat | undefined
  if (!format) {
    format = new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' })
    formatters.set(key, format)
  }
  return format.format(date)
}

/** Formats a number with an optional unit ("3,4", "18 let", "2 years"). */
export function formatNumber(value: number, locale: Locale, format?: FactFormat): string {
  const maximumFractionDigits = format?.maximumFractionDigits ?? 2
  if (format?.unit) {
    return numberFormat(locale, {
      style: 'unit',
      unit: format.unit,
      unitDisplay: 'long',
      maximumFractionDigits,
    }).format(value)
  }
  return numberFormat(locale, { maximumFractionDigits }).format(value)
}

function formatValue(value: unknown, shape: Shape | undefined, ctx: Ctx): string {
  if (value === null || value === undefined) return ctx.m.notProvided
  if (shape?.type === 'money' && typeof value === 'number')
    return formatMoney(value, ctx.currency, ctx.locale)
  if (shape?.type === 'date' && typeof value === 'string') return formatDate(value, ctx.locale)
  if (shape?.type === 'enum') return choiceLabel(shape, value, ctx.locale)
  if (typeof value === 'boolean') return value ? ctx.m.words.yes : ctx.m.words.no
  if (typeof value === 'number') return formatNumber(value, ctx.locale, shape?.format)
  if (Array.isArray(value)) return value.map((item) => formatValue(item, undefined, ctx)).join(', ')
  if (typeof value === 'string') return value
  return JSON.stringify(value)
}

const upperFirst = (text: string, locale: Locale) =>
  text.charAt(0).toLocaleUpperCase(locale) + text.slice(1)
const lowerFirst = (text: string, locale: Locale) =>
  text.charAt(0).toLocaleLowerCase(locale) + text.slice(1)
const sentence = (text: string, ctx: Ctx) => `${upperFirst(text, ctx.locale)}.`

/* ------------------------------------------------------------------------------------------------ */
/* Shapes                                                                                            */
/* ------------------------------------------------------------------------------------------------ */

interface Operation {
  operator: string
  args: unknown[]
  argPointer: (i: number) => string
}

function operation(node: unknown, pointer: string): Operation | undefined {
  if (node === null || typeof node !== 'object' || Array.isArray(node)) return undefined
  const keys = Object.keys(node)
  if (keys.length !== 1) return undefined
  const operator = keys[0]
  const raw = (node as Record<string, unknown>)[operator]
  const opPointer = `${pointer}/${escapePointer(operator)}`
  return {
    operator,
    args: Array.isArray(raw) ? raw : [raw],
    argPointer: (i) => (Array.isArray(raw) ? `${opPointer}/${i}` : opPointer),
  }
}

function varFact(node: unknown, ctx: Ctx): FactDefinition | undefined {
  const op = operation(node, '')
  if (op?.operator !== 'var' || typeof op.args[0] !== 'string') return undefined
  return lookupFact(op.args[0], ctx.params, ctx.pluginFacts)
}

function factValue(path: string, ctx: Ctx): unknown {
  return ctx.facts ? readPath(ctx.facts, splitPath(path), undefined) : undefined
}

function paramValue(def: FactDefinition, ctx: Ctx): unknown {
  const fromFacts = factValue(def.path, ctx)
  if (fromFacts !== undefined) return fromFacts
  const name = def.path.slice('params.'.length)
  const declared = ctx.params?.[name] as Partial<ProgramParam> | undefined
  return declared?.value
}

type Subject =
  | { kind: 'fact'; def: FactDefinition }
  | { kind: 'age'; birth: FactDefinition; reference: { def?: FactDefinition; value?: unknown } }

function asSubject(node: unknown, ctx: Ctx): Subject | undefined {
  const def = varFact(node, ctx)
  if (def) return def.source === 'param' ? undefined : { kind: 'fact', def }
  const op = operation(node, '')
  if (op?.operator !== 'age_on') return undefined
  const birth = varFact(op.args[0], ctx)
  if (birth?.type !== 'date') return undefined
  const refDef = varFact(op.args[1], ctx)
  if (refDef)
    return { kind: 'age', birth, reference: { def: refDef, value: factValue(refDef.path, ctx) } }
  if (typeof op.args[1] === 'string')
    return { kind: 'age', birth, reference: { value: op.args[1] } }
  return undefined
}

type Expected =
  | { kind: 'const'; value: unknown }
  | { kind: 'param'; def: FactDefinition }
  | { kind: 'fact'; def: FactDefinition }
  | { kind: 'product'; param: FactDefinition; fact: FactDefinition }

function asExpected(node: unknown, ctx: Ctx): Expected | undefined {
  if (node === null || typeof node !== 'object') return { kind: 'const', value: node }
  const def = varFact(node, ctx)
  if (def) return def.source === 'param' ? { kind: 'param', def } : { kind: 'fact', def }
  const op = operation(node, '')
  if (op?.operator !== '*' || op.args.length !== 2) return undefined
  const [a, b] = op.args.map((arg) => varFact(arg, ctx))
  if (a?.source === 'param' && b && b.source !== 'param')
    return { kind: 'product', param: a, fact: b }
  if (b?.source === 'param' && a && a.source !== 'param')
    return { kind: 'product', param: b, fact: a }
  return undefined
}

const AGE_SHAPE: Shape = { type: 'number', format: { unit: 'year', maximumFractionDigits: 0 } }

function subjectShape(subject: Subject): Shape {
  return subject.kind === 'age' ? AGE_SHAPE : subject.def
}

function subjectLabel(subject: Subject, ctx: Ctx): string {
  if (subject.kind === 'fact') return subject.def.label[ctx.locale]
  const age = subject.birth.ageLabel?.[ctx.locale] ?? subject.birth.label[ctx.locale]
  const { def, value } = subject.reference
  if (typeof value === 'string')
    return `${age} ${fillTemplate(ctx.m.onDate, { date: formatDate(value, ctx.locale) })}`
  const reference =
    def?.referencePhrase?.[ctx.locale] ?? (def ? lowerFirst(def.label[ctx.locale], ctx.locale) : '')
  return `${age} ${reference}`.trim()
}

function expectedText(
  expected: Expected,
  operand: unknown,
  hasOperand: boolean,
  shape: Shape,
  ctx: Ctx
): string {
  switch (expected.kind) {
    case 'const':
      return formatValue(expected.value, shape, ctx)
    case 'param': {
      const value = hasOperand ? operand : paramValue(expected.def, ctx)
      if (value === undefined) return lowerFirst(expected.def.label[ctx.locale], ctx.locale)
      return formatValue(
        value,
        shape.type === 'number' && shape.format?.unit ? shape : expected.def,
        ctx
      )
    }
    case 'fact': {
      const label = lowerFirst(expected.def.label[ctx.locale], ctx.locale)
      const value = hasOperand ? operand : factValue(expected.def.path, ctx)
      return value === undefined
        ? label
        : fillTemplate(ctx.m.factValue, { label, value: formatValue(value, expected.def, ctx) })
    }
    case 'product': {
      const factor = paramValue(expected.param, ctx)
      const values = {
        factor:
          typeof factor === 'number'
            ? formatNumber(factor, ctx.locale, { maximumFractionDigits: 4 })
            : lowerFirst(expected.param.label[ctx.locale], ctx.locale),
        label: lowerFirst(expected.fact.label[ctx.locale], ctx.locale),
      }
      if (!hasOperand) return fillTemplate(ctx.m.product, values)
      return fillTemplate(ctx.m.productValue, {
        ...values,
        value: formatValue(operand, expected.fact, ctx),
      })
    }
  }
}

/* ------------------------------------------------------------------------------------------------ */
/* Phrases (capitalised, no final period)                                                            */
/* ------------------------------------------------------------------------------------------------ */

const MIRROR: Record<string, string> = {
  lt: 'gt',
  lte: 'gte',
  gt: 'lt',
  gte: 'lte',
  eq: 'eq',
  ne: 'ne',
}
const RELATION: Record<string, string> = {
  '==': 'eq',
  '===': 'eq',
  '!=': 'ne',
  '!==': 'ne',
  '<': 'lt',
  '<=': 'lte',
  '>': 'gt',
  '>=': 'gte',
  'date_before': 'lt',
  'date_after': 'gt',
}

function booleanRequirement(def: FactDefinition, wantTrue: boolean, ctx: Ctx): string {
  const fixed = wantTrue ? def.requirement?.isTrue : def.requirement?.isFalse
  return (
    fixed?.[ctx.locale] ??
    fillTemplate(wantTrue ? ctx.m.isTrue : ctx.m.isFalse, { subject: def.label[ctx.locale] })
  )
}

function withActual(
  subject: Subject,
  operands: unknown[] | undefined,
  index: number,
  ctx: Ctx
): { text: string; suffix: string } {
  const label = subjectLabel(subject, ctx)
  if (!operands) return { text: label, suffix: '' }
  const actual = formatValue(operands[index], subjectShape(subject), ctx)
  if (subject.kind === 'age')
    return { text: label, suffix: ` ${fillTemplate(ctx.m.computedActual, { actual })}` }
  const type = subject.def.type
  const plain =
    (type === 'number' || type === 'money') &&
    operands[index] !== null &&
    operands[index] !== undefined
  return { text: plain ? `${label} ${actual}` : `${label} (${actual})`, suffix: '' }
}

function comparisonPhrase(op: Operation, pointer: string, ctx: Ctx): string | undefined {
  const operands = ctx.trace?.get(pointer)?.operands
  const t = ctx.m.compare
  if (op.args.length === 3) {
    const subject = asSubject(op.args[1], ctx)
    const min = asExpected(op.args[0], ctx)
    const max = asExpected(op.args[2], ctx)
    if (!subject || !min || !max || min.kind === 'product' || max.kind === 'product')
      return undefined
    const shape = subjectShape(subject)
    const { text, suffix } = withActual(subject, operands, 1, ctx)
    // "between 3 and 18 years": the unit only once, on the upper bound.
    const minShape =
      min.kind === 'const' && shape.format?.unit
        ? { ...shape, format: { ...shape.format, unit: undefined } }
        : shape
    const template = op.operator === '<' ? t.betweenExclusive : t.between
    return (
      fillTemplate(template, {
        subject: text,
        min: expectedText(min, operands?.[0], !!operands, minShape, ctx),
        max: expectedText(max, operands?.[2], !!operands, shape, ctx),
      }) + suffix
    )
  }
  let relation = RELATION[op.operator]
  let subjectIndex = 0
  let subject = asSubject(op.args[0], ctx)
  let expected = asExpected(op.args[1], ctx)
  if (!subject || !expected) {
    subject = asSubject(op.args[1], ctx)
    expected = asExpected(op.args[0], ctx)
    relation = MIRROR[relation]
    subjectIndex = 1
  }
  if (!subject || !expected) return undefined
  const shape = subjectShape(subject)
  if (
    subject.kind === 'fact' &&
    subject.def.type === 'boolean' &&
    (relation === 'eq' || relation === 'ne')
  ) {
    if (expected.kind !== 'const' || typeof expected.value !== 'boolean') return undefined
    return booleanRequirement(subject.def, (relation === 'eq') === expected.value, ctx)
  }
  const isDate = shape.type === 'date'
  const key = (
    isDate && relation !== 'eq' && relation !== 'ne'
      ? `date${relation.charAt(0).toUpperCase()}${relation.slice(1)}`
      : relation
  ) as keyof typeof t
  const { text, suffix } = withActual(subject, operands, subjectIndex, ctx)
  const expectedIndex = 1 - subjectIndex
  return (
    fillTemplate(t[key], {
      subject: text,
      expected: expectedText(expected, operands?.[expectedIndex], !!operands, shape, ctx),
    }) + suffix
  )
}

function membershipPhrase(
  op: Operation,
  pointer: string,
  negate: boolean,
  ctx: Ctx
): string | undefined {
  const subject = asSubject(op.args[0], ctx)
  const list = op.args[1]
  if (subject?.kind !== 'fact' || !Array.isArray(list)) return undefined
  const operands = ctx.trace?.get(pointer)?.operands
  const { text } = withActual(subject, operands, 0, ctx)
  const choices = list.map((value) => formatValue(value, subject.def, ctx)).join(', ')
  return fillTemplate(negate ? ctx.m.noneOf : ctx.m.oneOf, { subject: text, choices })
}

/** `!missing` and `!missing_some`: the facts that must be provided. */
function presencePhrase(op: Operation, ctx: Ctx): string | undefined {
  const keys =
    op.operator === 'missing' ? (Array.isArray(op.args[0]) ? op.args[0] : op.args) : op.args[1]
  if (!Array.isArray(keys) || !keys.every((key) => typeof key === 'string')) return undefined
  const facts = keys
    .map((key) => lookupFact(key, ctx.params, ctx.pluginFacts)?.label[ctx.locale] ?? key)
    .join(', ')
  if (op.operator === 'missing') return fillTemplate(ctx.m.provideAll, { facts })
  if (typeof op.args[0] !== 'number') return undefined
  return fillTemplate(ctx.m.provideSome, { facts, count: formatNumber(op.args[0], ctx.locale) })
}

function groupPhrase(
  kind: 'all' | 'any' | 'none',
  op: Operation,
  inline: boolean,
  ctx: Ctx
): string {
  const items = op.args
    .map((child, i) => lowerFirst(phrase(child, op.argPointer(i), ctx, true), ctx.locale))
    .join('; ')
  const m = ctx.m
  const template = inline
    ? { all: m.allOfInline, any: m.anyOfInline, none: m.noneOfInline }[kind]
    : { all: m.allOf, any: m.anyOf, none: m.noneOfGroup }[kind]
  return fillTemplate(template, { items })
}

/** A requirement phrase for any node (a recognised shape, else the generic form). */
function phrase(node: unknown, pointer: string, ctx: Ctx, inline: boolean): string {
  return (
    shapePhrase(node, pointer, ctx, inline) ??
    fillTemplate(ctx.m.genericRequirement, { expression: expression(node, ctx) })
  )
}

function shapePhrase(
  node: unknown,
  pointer: string,
  ctx: Ctx,
  inline: boolean
): string | undefined {
  const op = operation(node, pointer)
  if (!op) return undefined
  switch (op.operator) {
    case 'and':
      return groupPhrase('all', op, inline, ctx)
    case 'or':
      return groupPhrase('any', op, inline, ctx)
    case 'var':
    case '!!': {
      const def = op.operator === 'var' ? varFact(node, ctx) : varFact(op.args[0], ctx)
      return def?.type === 'boolean' ? booleanRequirement(def, true, ctx) : undefined
    }
    case '!': {
      const inner = operation(op.args[0], op.argPointer(0))
      if (inner?.operator === 'in') return membershipPhrase(inner, op.argPointer(0), true, ctx)
      if (inner?.operator === 'missing' || inner?.operator === 'missing_some')
        return presencePhrase(inner, ctx)
      if (inner?.operator === 'or') return groupPhrase('none', inner, inline, ctx)
      const def = varFact(op.args[0], ctx)
      if (def?.type === 'boolean') return booleanRequirement(def, false, ctx)
      return fillTemplate(ctx.m.not, {
        item: lowerFirst(phrase(op.args[0], op.argPointer(0), ctx, true), ctx.locale),
      })
    }
    case 'in':
      return membershipPhrase(op, pointer, false, ctx)
    case '!=':
    case '!==':
      if (op.args.length === 2 && op.args[1] === null) {
        const def = varFact(op.args[0], ctx)
        if (def) return fillTemplate(ctx.m.provided, { subject: def.label[ctx.locale] })
      }
      return comparisonPhrase(op, pointer, ctx)
    default:
      return RELATION[op.operator] ? comparisonPhrase(op, pointer, ctx) : undefined
  }
}

/* ------------------------------------------------------------------------------------------------ */
/* Generic expression (fallback)                                                                     */
/* ------------------------------------------------------------------------------------------------ */

const INFIX: Record<string, string> = {
  '==': '=',
  '===': '=',
  '!=': '≠',
  '!==': '≠',
  '<': '<',
  '<=': '≤',
  '>': '>',
  '>=': '≥',
  '+': '+',
  '-': '−',
  '*': '×',
  '/': '÷',
  '%': 'mod',
  'in': '∈',
}

/** Writes a rule out as a compact expression with fact labels (for shapes without a sentence). */
function expression(node: unknown, ctx: Ctx): string {
  if (node === null) return 'null'
  if (typeof node === 'boolean') return node ? ctx.m.words.yes : ctx.m.words.no
  if (typeof node === 'number') return formatNumber(node, ctx.locale, { maximumFractionDigits: 4 })
  if (typeof node === 'string') return `"${node}"`
  if (Array.isArray(node)) return `[${node.map((item) => expression(item, ctx)).join(', ')}]`
  const op = operation(node, '')
  if (!op) return JSON.stringify(node)
  const nested = (arg: unknown) => {
    const inner = operation(arg, '')
    const text = expression(arg, ctx)
    return inner && (INFIX[inner.operator] || inner.operator === 'and' || inner.operator === 'or')
      ? `(${text})`
      : text
  }
  if (op.operator === 'var') {
    const path = String(op.args[0])
    if (path === '') return ctx.m.element
    return lookupFact(path, ctx.params, ctx.pluginFacts)?.label[ctx.locale] ?? path
  }
  if (op.operator === 'and' || op.operator === 'or') {
    return op.args.map(nested).join(` ${ctx.m.words[op.operator]} `)
  }
  if (op.operator === '!') return `${ctx.m.words.not} (${expression(op.args[0], ctx)})`
  if (op.operator === '!!') return expression(op.args[0], ctx)
  if (op.operator === '-' && op.args.length === 1) return `−${nested(op.args[0])}`
  if (INFIX[op.operator] && op.args.length >= 2)
    return op.args.map(nested).join(` ${INFIX[op.operator]} `)
  return `${op.operator}(${op.args.map((arg) => expression(arg, ctx)).join(', ')})`
}

/* ------------------------------------------------------------------------------------------------ */
/* Unmet conditions                                                                                  */
/* ------------------------------------------------------------------------------------------------ */

function unmet(node: unknown, pointer: string, ctx: Ctx): string[] {
  const op = operation(node, pointer)
  if (op?.operator === 'and') {
    const record = ctx.trace?.get(pointer)
    if (record) {
      const out: string[] = []
      op.args.forEach((child, i) => {
        if (!truthy(record.operands[i])) out.push(...unmet(child, op.argPointer(i), ctx))
      })
      return out
    }
  }
  if (op?.operator === '!') {
    const inner = operation(op.args[0], op.argPointer(0))
    const record = ctx.trace?.get(op.argPointer(0))
    if (inner?.operator === 'or' && record) {
      // Name only the alternatives that hold (those are the ones that must not).
      const items = inner.args
        .map((child, i) =>
          truthy(record.operands[i])
            ? lowerFirst(phrase(child, inner.argPointer(i), ctx, true), ctx.locale)
            : undefined
        )
        .filter((item): item is string => item !== undefined)
        .join('; ')
      return [sentence(fillTemplate(ctx.m.noneOfGroup, { items }), ctx)]
    }
  }
  const text =
    shapePhrase(node, pointer, ctx, false) ??
    fillTemplate(ctx.m.generic, { expression: expression(node, ctx) })
  return [sentence(text, ctx)]
}

function context(
  options: ExplainContext,
  params: ParamTypes | undefined,
  pluginFacts: PluginFactTypes | undefined
): Ctx {
  return {
    locale: options.locale,
    currency: options.currency ?? 'CZK',
    m: messagesFor(options.locale).explain,
    params: params ?? (options.params as ParamTypes | undefined),
    pluginFacts: pluginFacts ?? options.pluginFacts,
    facts: options.facts,
  }
}

/**
 * Sentences for the unmet conditions of an evaluation result (empty when eligible): missing facts,
 * an evaluation error, or one sentence per failed condition found in the trace.
 */
export function explainResult(
  compiled: CompiledRule,
  result: EvaluationResult,
  options: ExplainContext
): string[] {
  if (result.eligible) return []
  const ctx = context(options, compiled.params, compiled.pluginFacts)
  const out: string[] = []
  if (result.missing?.length) {
    const facts = result.missing
      .map((path) => lookupFact(path, ctx.params, ctx.pluginFacts)?.label[ctx.locale] ?? path)
      .join(', ')
    out.push(sentence(fillTemplate(ctx.m.missingFacts, { facts }), ctx))
  }
  if (result.error) {
    const reason = formatEvaluationError(result.error, ctx.locale)
    out.push(sentence(fillTemplate(ctx.m.evaluationFailed, { reason }), ctx))
    return out
  }
  if (truthy(result.value)) return out
  ctx.trace = new Map((result.trace ?? []).map((node) => [node.pointer, node]))
  out.push(...unmet(compiled.rule, '', ctx))
  return out
}

/** Options of `explain`: evaluation options plus the explanation's language and currency. */
export interface ExplainOptions extends Omit<EvaluateOptions, 'trace' | 'locale'> {
  locale: Locale
  currency?: string
}

/** The verdict of a rule over facts with one sentence per unmet condition, in the requested locale. */
export function explain(
  rule: unknown,
  facts: Facts,
  options: ExplainOptions
): { eligible: boolean; sentences: string[]; result: EvaluationResult } {
  const compiled = toCompiled(rule, options)
  const result = evaluate(compiled, facts, { ...options, trace: true })
  const sentences = explainResult(compiled, result, {
    locale: options.locale,
    currency: options.currency,
    facts: withParams(facts, options.params),
    params: options.params,
    pluginFacts: options.pluginFacts,
  })
  return { eligible: result.eligible, sentences, result }
}

/** A summary sentence of a whole rule (the builder's sentence view), without any applicant's values. */
export function describeRule(rule: unknown, options: ExplainContext): string {
  const params = options.params as ParamTypes | undefined
  const ctx = context(options, params, options.pluginFacts)
  const op = operation(rule, '')
  const body =
    op?.operator === 'and'
      ? op.args
          .map((child, i) => lowerFirst(phrase(child, op.argPointer(i), ctx, true), ctx.locale))
          .join('; ')
      : lowerFirst(phrase(rule, '', ctx, true), ctx.locale)
  return sentence(fillTemplate(ctx.m.summary, { body }), ctx)
}
