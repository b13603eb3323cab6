/*
 * The no-code rule builder's own tree: the source of truth for the Vue builder. It converts to JSON Logic
 * (what is stored and evaluated) and back. `fromJsonLogic` accepts exactly the shapes `toJsonLogic`
 * produces (plus `{"var": ["x"]}` and `{"!": x}` spellings of the same thing) and throws a clear error on
 * anything else: it never drops or reinterprets a condition.
 */
import { randomUUID } from 'node:crypto'
import {
  type FactDefinition,
  type FactType,
  type ParamTypes,
  type PluginFactTypes,
  lookupFact,
} from './fact_catalog.js'
import { isIsoDate } from './operators.js'
import type { JsonLogicRule, JsonValue } from './types.js'
import { escapePointer } from './validate.js'

/** How a group combines its children. */
export type Combinator = 'all' | 'any' | 'none'

/** A value a condition compares with: a constant, a parameter, a parameter times a fact, or a fact. */
export type Operand =
  | number
  | string
  | boolean
  | { param: string }
  | { param: string; timesFact: string }
  | { fact: string }

/** Lower and upper bound (inclusive) of a between condition. */
export interface Range {
  min: Operand
  max: Operand
}

/** A group of conditions: all must hold, any must hold, or none may hold. */
export interface BuilderGroup {
  kind: 'group'
  id: string
  combinator: Combinator
  children: BuilderNode[]
}

interface ConditionBase {
  kind: 'condition'
  id: string
  /** The fact's path in the catalogue (or `params.<name>`, or a plugin's `<plugin>.<name>`). */
  fact: string
}

/** One condition on one fact; the operator set depends on the fact's type. */
export type BuilderCondition =
  | (ConditionBase & { operator: 'eq' | 'ne' | 'lt' | 'lte' | 'gt' | 'gte'; value: Operand })
  | (ConditionBase & { operator: 'between'; value: Range })
  /** `reference` is the date fact the age is computed on (e.g. `period.start`). */
  | (ConditionBase & { operator: 'age_between'; reference: string; value: Range })
  | (ConditionBase & {
      operator: 'age_at_least' | 'age_at_most'
      reference: string
      value: Operand
    })
  | (ConditionBase & { operator: 'before' | 'after'; value: Operand })
  | (ConditionBase & { operator: 'one_of' | 'none_of'; value: string[] })
  | (ConditionBase & { operator: 'is_true' | 'is_false' })
  | (ConditionBase & { operator: 'count_at_least' | 'count_at_most'; value: Operand })

/** A node of the builder's tree. */
export type BuilderNode = BuilderGroup | BuilderCondition

/** Every condition operator. */
export type ConditionOperator = BuilderCondition['operator']

/** The operators the builder offers for each fact type. */
export const OPERATORS_BY_TYPE: Readonly<Record<FactType, readonly ConditionOperator[]>> = {
  number: ['eq', 'ne', 'lt', 'lte', 'gt', 'gte', 'between'],
  money: ['eq', 'ne', 'lt', 'lte', 'gt', 'gte', 'between'],
  date: ['age_between', 'age_at_least', 'age_at_most', 'before', 'after'],
  enum: ['one_of', 'none_of'],
  string: ['eq', 'ne', 'one_of', 'none_of'],
  boolean: ['is_true', 'is_false'],
  list: ['count_at_least', 'count_at_most'],
}

/** What a tree's facts are looked up in besides the catalogue: parameters and plugin facts. */
export interface FactScope {
  params?: ParamTypes
  pluginFacts?: PluginFactTypes
}

/** The operators the builder offers for a fact (empty when the fact is unknown). */
export function operatorsForFact(
  path: string,
  params?: ParamTypes,
  pluginFacts?: PluginFactTypes
): readonly ConditionOperator[] {
  const def = lookupFact(path, params, pluginFacts)
  return def ? OPERATORS_BY_TYPE[def.type] : []
}

/** Why a tree cannot become JSON Logic, or JSON Logic cannot become a tree. */
export class BuilderConversionError extends Error {
  /** Creates the error; `where` is a node id (toJsonLogic) or a JSON pointer (fromJsonLogic). */
  constructor(
    readonly code: string,
    readonly where: string,
    detail: string
  ) {
    super(`Rule builder: ${detail} (${code} at "${where}")`)
    this.name = 'BuilderConversionError'
  }
}

/* ------------------------------------------------------------------------------------------------ */
/* Type checks shared by both directions                                                             */
/* ------------------------------------------------------------------------------------------------ */

function fail(code: string, where: string, detail: string): never {
  throw new BuilderConversionError(code, where, detail)
}

function factOf(path: string, scope: FactScope, where: string): FactDefinition {
  const def = lookupFact(path, scope.params, scope.pluginFacts)
  if (!def)
    fail('unknown_fact', where, `"${path}" is not a known fact, declared parameter or plugin fact`)
  return def
}

function checkOperand(
  operand: Operand,
  type: FactType,
  scope: FactScope,
  where: string,
  options: { product?: boolean; fact?: boolean } = {}
): void {
  if (typeof operand === 'object' && operand !== null) {
    if ('timesFact' in operand) {
      if (!options.product) fail('operand', where, 'a parameter × fact product is not allowed here')
      const param = factOf(`params.${operand.param}`, scope, where)
      if (param.type !== 'number')
        fail('operand', where, `parameter "${operand.param}" must be a number to multiply`)
      const fact = factOf(operand.timesFact, scope, where)
      if (fact.type !== type || fact.source === 'param') {
        fail('operand', where, `"${operand.timesFact}" must be a ${type} fact`)
      }
      return
    }
    if ('param' in operand) {
      const param = factOf(`params.${operand.param}`, scope, where)
      if (param.type !== type)
        fail('operand', where, `parameter "${operand.param}" must be of type ${type}`)
      return
    }
    if ('fact' in operand) {
      if (!options.fact) fail('operand', where, 'comparing with another fact is not allowed here')
      const fact = factOf(operand.fact, scope, where)
      if (fact.type !== type || fact.source === 'param')
        fail('operand', where, `"${operand.fact}" must be a ${type} fact`)
      return
    }
    fail('operand', where, 'unknown operand shape')
  }
  switch (type) {
    case 'number':
      if (typeof operand !== 'number' || !Number.isFinite(operand))
        fail('operand', where, 'a finite number is required')
      return
    case 'money':
      if (!Number.isSafeInteger(operand))
        fail('operand', where, 'money is an integer in minor units')
      return
    case 'date':
      if (!isIsoDate(operand)) fail('operand', where, 'a date in the form yyyy-mm-dd is required')
      return
    case 'string':
      if (typeof operand !== 'string') fail('operand', where, 'a text is required')
      return
    default:
      fail('operand', where, `no constant operand for a ${type} fact`)
  }
}

function checkCondition(node: BuilderCondition, scope: FactScope, where: string): void {
  const def = factOf(node.fact, scope, where)
  if (!OPERATORS_BY_TYPE[def.type].includes(node.operator)) {
    fail(
      'operator',
      where,
      `operator "${node.operator}" does not apply to the ${def.type} fact "${node.fact}"`
    )
  }
  switch (node.operator) {
    case 'eq':
    case 'ne':
    case 'lt':
    case 'lte':
    case 'gt':
    case 'gte':
      return checkOperand(node.value, def.type, scope, where, {
        product: def.type !== 'string',
        fact: true,
      })
    case 'between':
      checkOperand(node.value?.min, def.type, scope, where, { product: true })
      return checkOperand(node.value?.max, def.type, scope, where, { product: true })
    case 'age_between':
    case 'age_at_least':
    case 'age_at_most': {
      const reference = lookupFact(node.reference, scope.params, scope.pluginFacts)
      if (reference?.type !== 'date' || reference.source === 'param') {
        fail('reference', where, `the age's reference "${node.reference}" must be a date fact`)
      }
      if (node.operator === 'age_between') {
        checkOperand(node.value?.min, 'number', scope, where)
        return checkOperand(node.value?.max, 'number', scope, where)
      }
      return checkOperand(node.value, 'number', scope, where)
    }
    case 'before':
    case 'after':
      return checkOperand(node.value, 'date', scope, where, { fact: true })
    case 'one_of':
    case 'none_of': {
      if (!Array.isArray(node.value) || node.value.length === 0)
        fail('operand', where, 'choose at least one value')
      for (const value of node.value) {
        if (typeof value !== 'string') fail('operand', where, 'choices are texts')
        if (def.type === 'enum' && !def.choices?.some((c) => c.value === value)) {
          fail('operand', where, `"${value}" is not a choice of "${node.fact}"`)
        }
      }
      return
    }
    case 'is_true':
    case 'is_false':
      return
    case 'count_at_least':
    case 'count_at_most':
      if (typeof node.value === 'number' && !Number.isSafeInteger(node.value)) {
        fail('operand', where, 'a count is a whole number')
      }
      return checkOperand(node.value, 'number', scope, where)
  }
}

/* ------------------------------------------------------------------------------------------------ */
/* Tree → JSON Logic                                                                                 */
/* ------------------------------------------------------------------------------------------------ */

const v = (path: string): JsonValue => ({ var: path })

function operandToJson(operand: Operand): JsonValue {
  if (typeof operand !== 'object') return operand
  if ('timesFact' in operand) return { '*': [v(`params.${operand.param}`), v(operand.timesFact)] }
  if ('param' in operand) return v(`params.${operand.param}`)
  return v(operand.fact)
}

const SYMBOL: Record<string, string> = {
  eq: '===',
  ne: '!==',
  lt: '<',
  lte: '<=',
  gt: '>',
  gte: '>=',
}

function conditionToJson(node: BuilderCondition): JsonValue {
  const fact = v(node.fact)
  switch (node.operator) {
    case 'eq':
    case 'ne':
    case 'lt':
    case 'lte':
    case 'gt':
    case 'gte':
      return { [SYMBOL[node.operator]]: [fact, operandToJson(node.value)] }
    case 'between':
      return { '<=': [operandToJson(node.value.min), fact, operandToJson(node.value.max)] }
    case 'age_between':
    case 'age_at_least':
    case 'age_at_most': {
      const age = { age_on: [fact, v(node.reference)] }
      if (node.operator === 'age_between') {
        return { '<=': [operandToJson(node.value.min), age, operandToJson(node.value.max)] }
      }
      return { [node.operator === 'age_at_least' ? '>=' : '<=']: [age, operandToJson(node.value)] }
    }
    case 'before':
      return { date_before: [fact, operandToJson(node.value)] }
    case 'after':
      return { date_after: [fact, operandToJson(node.value)] }
    case 'one_of':
      return { in: [fact, [...node.value]] }
    case 'none_of':
      return { '!': [{ in: [fact, [...node.value]] }] }
    case 'is_true':
      return { '===': [fact, true] }
    case 'is_false':
      return { '===': [fact, false] }
    case 'count_at_least':
      return { '>=': [v(`${node.fact}.length`), operandToJson(node.value)] }
    case 'count_at_most':
      return { '<=': [v(`${node.fact}.length`), operandToJson(node.value)] }
  }
}

/**
 * Converts a builder tree to JSON Logic; throws BuilderConversionError on an empty group, an unknown
 * fact, an operator that does not fit the fact's type or a mistyped value.
 */
export function toJsonLogic(tree: BuilderNode, options: FactScope = {}): JsonLogicRule {
  // The builder's tree is shallow (the validator allows 32 levels), so recursion is safe here.
  const convert = (node: BuilderNode, depth: number): JsonValue => {
    if (depth > 16) fail('too_deep', node.id, 'groups are nested too deeply')
    if (node.kind === 'group') {
      if (node.children.length === 0)
        fail('empty_group', node.id, 'a group needs at least one condition')
      const children = node.children.map((child) => convert(child, depth + 1))
      if (node.combinator === 'all') return { and: children }
      if (node.combinator === 'any') return { or: children }
      if (node.combinator === 'none') return { '!': [{ or: children }] }
      fail(
        'combinator',
        node.id,
        `unknown combinator "${String((node as BuilderGroup).combinator)}"`
      )
    }
    if (node.kind !== 'condition')
      fail('kind', (node as BuilderNode).id, 'a node is a group or a condition')
    checkCondition(node, options, node.id)
    return conditionToJson(node)
  }
  return convert(tree, 1)
}

/* ------------------------------------------------------------------------------------------------ */
/* JSON Logic → tree                                                                                 */
/* ------------------------------------------------------------------------------------------------ */

interface Parsed {
  operator: string
  args: unknown[]
  at: (i: number) => string
}

function parseOperation(node: unknown, pointer: string): Parsed {
  if (node === null || typeof node !== 'object' || Array.isArray(node)) {
    fail(
      'not_a_condition',
      pointer,
      `expected a condition or a group, found ${JSON.stringify(node)?.slice(0, 40)}`
    )
  }
  const keys = Object.keys(node)
  if (keys.length !== 1) fail('not_a_condition', pointer, 'an operation has exactly one operator')
  const operator = keys[0]
  const raw = (node as Record<string, unknown>)[operator]
  const base = `${pointer}/${escapePointer(operator)}`
  return {
    operator,
    args: Array.isArray(raw) ? raw : [raw],
    at: (i) => (Array.isArray(raw) ? `${base}/${i}` : base),
  }
}

function varPath(node: unknown): string | undefined {
  if (node === null || typeof node !== 'object' || Array.isArray(node)) return undefined
  const keys = Object.keys(node)
  if (keys.length !== 1 || keys[0] !== 'var') return undefined
  const raw = (node as Record<string, unknown>).var
  if (Array.isArray(raw)) return raw.length === 1 && typeof raw[0] === 'string' ? raw[0] : undefined
  return typeof raw === 'string' ? raw : undefined
}

function parseOperand(node: unknown, pointer: string): Operand {
  if (typeof node === 'number' || typeof node === 'string' || typeof node === 'boolean') return node
  const path = varPath(node)
  if (path !== undefined)
    return path.startsWith('params.') ? { param: path.slice('params.'.length) } : { fact: path }
  if (node !== null && typeof node === 'object' && !Array.isArray(node)) {
    const op = parseOperation(node, pointer)
    if (op.operator === '*' && op.args.length === 2) {
      const param = varPath(op.args[0])
      const fact = varPath(op.args[1])
      if (param?.startsWith('params.') && fact !== undefined && !fact.startsWith('params.')) {
        return { param: param.slice('params.'.length), timesFact: fact }
      }
    }
  }
  return fail(
    'operand',
    pointer,
    `cannot represent the value ${JSON.stringify(node)?.slice(0, 60)}`
  )
}

/** The birth-date fact and reference of `{"age_on": [{"var": F}, {"var": R}]}`, if the node is one. */
function parseAge(node: unknown, pointer: string): { fact: string; reference: string } | undefined {
  if (
    node === null ||
    typeof node !== 'object' ||
    Array.isArray(node) ||
    Object.keys(node).length !== 1
  )
    return undefined
  if (Object.keys(node)[0] !== 'age_on') return undefined
  const op = parseOperation(node, pointer)
  const fact = op.args.length === 2 ? varPath(op.args[0]) : undefined
  const reference = op.args.length === 2 ? varPath(op.args[1]) : undefined
  if (fact === undefined || reference === undefined)
    fail('age', pointer, 'age_on needs a date fact and a reference date fact')
  return { fact, reference }
}

const FROM_SYMBOL: Record<string, 'eq' | 'ne' | 'lt' | 'lte' | 'gt' | 'gte'> = {
  '===': 'eq',
  '!==': 'ne',
  '<': 'lt',
  '<=': 'lte',
  '>': 'gt',
  '>=': 'gte',
}

function parseCondition(
  op: Parsed,
  pointer: string,
  id: string,
  scope: FactScope
): BuilderCondition {
  const base = { kind: 'condition' as const, id }
  const factAt = (i: number) => {
    const path = varPath(op.args[i])
    if (path === undefined) fail('subject', op.at(i), 'expected a fact ({"var": "…"})')
    return path
  }
  switch (op.operator) {
    case '===':
    case '!==':
    case '<':
    case '<=':
    case '>':
    case '>=': {
      if (op.args.length === 3) {
        if (op.operator !== '<=')
          fail(
            'between',
            pointer,
            'only the inclusive between ("<=" with 3 arguments) is supported'
          )
        const age = parseAge(op.args[1], op.at(1))
        const value = {
          min: parseOperand(op.args[0], op.at(0)),
          max: parseOperand(op.args[2], op.at(2)),
        }
        if (age)
          return {
            ...base,
            fact: age.fact,
            operator: 'age_between',
            reference: age.reference,
            value,
          }
        return { ...base, fact: factAt(1), operator: 'between', value }
      }
      if (op.args.length !== 2) fail('arity', pointer, `"${op.operator}" needs 2 arguments here`)
      const age = parseAge(op.args[0], op.at(0))
      if (age) {
        if (op.operator !== '>=' && op.operator !== '<=')
          fail('age', pointer, 'an age is compared with ">=" or "<="')
        const operator = op.operator === '>=' ? 'age_at_least' : 'age_at_most'
        return {
          ...base,
          fact: age.fact,
          operator,
          reference: age.reference,
          value: parseOperand(op.args[1], op.at(1)),
        }
      }
      const path = factAt(0)
      const def = factOf(path, scope, op.at(0))
      if (def.source === 'count') {
        if (op.operator !== '>=' && op.operator !== '<=')
          fail('count', pointer, 'a count is compared with ">=" or "<="')
        const operator = op.operator === '>=' ? 'count_at_least' : 'count_at_most'
        return {
          ...base,
          fact: path.slice(0, -'.length'.length),
          operator,
          value: parseOperand(op.args[1], op.at(1)),
        }
      }
      if (def.type === 'boolean') {
        if (op.operator !== '===' || typeof op.args[1] !== 'boolean') {
          fail('boolean', pointer, 'a yes/no fact is compared with "===" true or false')
        }
        return { ...base, fact: path, operator: op.args[1] ? 'is_true' : 'is_false' }
      }
      return {
        ...base,
        fact: path,
        operator: FROM_SYMBOL[op.operator],
        value: parseOperand(op.args[1], op.at(1)),
      }
    }
    case 'date_before':
    case 'date_after':
      if (op.args.length !== 2) fail('arity', pointer, `"${op.operator}" needs 2 arguments`)
      return {
        ...base,
        fact: factAt(0),
        operator: op.operator === 'date_before' ? 'before' : 'after',
        value: parseOperand(op.args[1], op.at(1)),
      }
    case 'in': {
      const list = op.args[1]
      if (op.args.length !== 2 || !Array.isArray(list))
        fail('in', pointer, '"in" needs a fact and a list of values')
      if (!list.every((item) => typeof item === 'string'))
        fail('in', op.at(1), 'the list must contain texts only')
      return { ...base, fact: factAt(0), operator: 'one_of', value: [...(list as string[])] }
    }
  }
  return fail('unsupported', pointer, `the builder has no condition for "${op.operator}"`)
}

/**
 * Converts JSON Logic produced by `toJsonLogic` back to a builder tree with fresh ids; throws
 * BuilderConversionError (with the JSON pointer) on anything the builder cannot represent.
 */
export function fromJsonLogic(
  rule: unknown,
  options: FactScope & { newId?: () => string } = {}
): BuilderNode {
  const newId = options.newId ?? (() => randomUUID())
  const parse = (node: unknown, pointer: string, depth: number): BuilderNode => {
    if (depth > 16) fail('too_deep', pointer, 'groups are nested too deeply')
    const op = parseOperation(node, pointer)
    const group = (
      combinator: Combinator,
      children: unknown[],
      at: (i: number) => string
    ): BuilderGroup => {
      const id = newId()
      if (children.length === 0)
        fail('empty_group', pointer, 'a group needs at least one condition')
      return {
        kind: 'group',
        id,
        combinator,
        children: children.map((child, i) => parse(child, at(i), depth + 1)),
      }
    }
    if (op.operator === 'and') return group('all', op.args, op.at)
    if (op.operator === 'or') return group('any', op.args, op.at)
    if (op.operator === '!') {
      if (op.args.length !== 1) fail('arity', pointer, '"!" takes one argument')
      const inner = parseOperation(op.args[0], op.at(0))
      if (inner.operator === 'or') return group('none', inner.args, inner.at)
      if (inner.operator === 'in') {
        const condition = parseCondition(inner, op.at(0), newId(), options)
        const negated = { ...condition, operator: 'none_of' } as BuilderCondition
        checkCondition(negated, options, op.at(0))
        return negated
      }
      fail(
        'unsupported',
        pointer,
        '"!" is supported only around "or" (none of) and "in" (none of the values)'
      )
    }
    const condition = parseCondition(op, pointer, newId(), options)
    checkCondition(condition, options, pointer)
    return condition
  }
  return parse(rule, '', 1)
}
