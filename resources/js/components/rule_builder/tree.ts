/*
 * Helpers of the no-code rule builder around the eligibility engine's own tree
 * (app/eligibility/builder_tree.ts): parsing a stored rule, building it back, default conditions,
 * the facts a rule reads, and where each node ends up in the JSON Logic (for the live test's trace).
 */
import {
  BuilderConversionError,
  OPERATORS_BY_TYPE,
  fromJsonLogic,
  operatorsForFact,
  toJsonLogic,
  type BuilderCondition,
  type BuilderGroup,
  type BuilderNode,
  type Combinator,
  type ConditionOperator,
  type Operand,
  type Range,
} from '@eligibility/builder_tree'
import {
  FACT_CATALOGUE,
  lookupFact,
  pluginFactDefinitions,
  type FactDefinition,
  type FactType,
  type ParamTypes,
  type PluginFactTypes,
} from '@eligibility/fact_catalog'
import type { Locale } from '@eligibility/types'

export type {
  BuilderCondition,
  BuilderGroup,
  BuilderNode,
  Combinator,
  ConditionOperator,
  FactDefinition,
  FactType,
  Operand,
  ParamTypes,
  PluginFactTypes,
  Range,
}
export { BuilderConversionError, OPERATORS_BY_TYPE, lookupFact, operatorsForFact }

export const COMBINATORS: readonly Combinator[] = ['all', 'any', 'none']

/** Ids of the builder's nodes: unique within the page, usable in element ids. */
let counter = 0
export function newId(): string {
  counter += 1
  return `rb${counter}`
}

export { engineLocale } from '~/components/rule_builder/locale'

/** Where a fact is listed in the fact select. */
export const FACT_GROUPS = [
  'applicant',
  'child',
  'household',
  'history',
  'period',
  'plugin',
  'params',
] as const
export type FactGroup = (typeof FACT_GROUPS)[number]

export function groupOf(path: string): FactGroup {
  if (path.startsWith('params.')) return 'params'
  if (path === 'reference_date' || path.startsWith('period.')) return 'period'
  const head = path.split('.')[0]
  return (FACT_GROUPS as readonly string[]).includes(head) ? (head as FactGroup) : 'applicant'
}

/** A parameter declaration as a program configuration stores it (with its value). */
export interface ConfigParam {
  type: string
  value?: unknown
  label?: Partial<Record<Locale, string>>
}

/** The parameter declarations of a configuration, as the engine wants them. */
export function paramTypesOf(params: Record<string, ConfigParam> | null | undefined): ParamTypes {
  const out: Record<string, ParamTypes[string]> = {}
  for (const [name, param] of Object.entries(params ?? {})) {
    const label = param.label
    out[name] = {
      ...(param as object),
      type: param.type as Exclude<FactType, 'list'>,
      label: label
        ? {
            cs: label.cs || name,
            en: label.en || label.cs || name,
            uk: label.uk || label.en || label.cs || name,
            pl: label.pl || label.en || label.cs || name,
          }
        : undefined,
    }
  }
  return out
}

/** The facts the program's plugin declares (`<plugin>.<name>`), as definitions. */
export function pluginFactsOf(pluginFacts: PluginFactTypes = {}): FactDefinition[] {
  return pluginFactDefinitions(pluginFacts)
}

/**
 * Every fact a condition may be about, by group (the program's plugin's facts in the group
 * `plugin`, parameters last).
 */
export function factsByGroup(
  params: ParamTypes,
  pluginFacts: PluginFactTypes = {}
): { group: FactGroup; facts: FactDefinition[] }[] {
  const all: FactDefinition[] = [...FACT_CATALOGUE]
  for (const name of Object.keys(params)) {
    const def = lookupFact(`params.${name}`, params)
    if (def) all.push(def)
  }
  const plugin = pluginFactsOf(pluginFacts)
  return FACT_GROUPS.map((group) => ({
    group,
    facts: group === 'plugin' ? plugin : all.filter((f) => groupOf(f.path) === group),
  })).filter((g) => g.facts.length > 0)
}

/** Date facts an age can be computed on ("at the start of the period"). */
export function referenceFacts(): FactDefinition[] {
  return FACT_CATALOGUE.filter((f) => f.type === 'date' && f.referencePhrase)
}

/** The value type of a condition's operand(s), given the fact and operator. */
export function operandType(
  fact: FactDefinition,
  operator: ConditionOperator
): 'number' | 'money' | 'date' | 'string' | null {
  switch (operator) {
    case 'age_between':
    case 'age_at_least':
    case 'age_at_most':
    case 'count_at_least':
    case 'count_at_most':
      return 'number'
    case 'before':
    case 'after':
      return 'date'
    case 'is_true':
    case 'is_false':
    case 'one_of':
    case 'none_of':
      return null
    default:
      return fact.type === 'money' ||
        fact.type === 'number' ||
        fact.type === 'date' ||
        fact.type === 'string'
        ? fact.type
        : null
  }
}

function defaultConstant(type: 'number' | 'money' | 'date' | 'string' | null): Operand {
  if (type === 'number' || type === 'money') return 0
  if (type === 'date') return new Date().toISOString().slice(0, 10)
  return ''
}

/** A condition on a fact with an operator, keeping the old values where they still fit. */
export function conditionFor(
  id: string,
  fact: string,
  operator: ConditionOperator | undefined,
  params: ParamTypes,
  previous?: BuilderCondition,
  pluginFacts?: PluginFactTypes
): BuilderCondition {
  const def = lookupFact(fact, params, pluginFacts)
  const allowed = def ? OPERATORS_BY_TYPE[def.type] : []
  const op = operator && allowed.includes(operator) ? operator : (allowed[0] ?? 'is_true')
  const type = def ? operandType(def, op) : null
  const prevDef = previous ? lookupFact(previous.fact, params, pluginFacts) : undefined
  const prevType = previous && prevDef ? operandType(prevDef, previous.operator) : null
  const prev = previous as (BuilderCondition & { value?: unknown; reference?: string }) | undefined
  /** The previous value, when it has the same shape (one value, a range, a list) and type. */
  const kept = (shape: 'single' | 'range' | 'list'): any => {
    if (!prev || !('value' in prev) || prevType !== type) return undefined
    const value = prev.value
    if (shape === 'list')
      return Array.isArray(value) && prevDef?.type === def?.type ? [...value] : undefined
    if (shape === 'range') return isRange(value) ? { ...value } : undefined
    return value !== undefined && !Array.isArray(value) && !isRange(value) ? value : undefined
  }
  const reference = prev?.reference ?? 'period.start'
  const base = { kind: 'condition' as const, id, fact }
  switch (op) {
    case 'age_between':
      return { ...base, operator: op, reference, value: kept('range') ?? { min: 0, max: 18 } }
    case 'age_at_least':
    case 'age_at_most':
      return {
        ...base,
        operator: op,
        reference,
        value: kept('single') ?? (op === 'age_at_least' ? 18 : 65),
      }
    case 'between':
      return {
        ...base,
        operator: op,
        value: kept('range') ?? { min: defaultConstant(type), max: defaultConstant(type) },
      }
    case 'one_of':
    case 'none_of':
      return { ...base, operator: op, value: kept('list') ?? [] }
    case 'is_true':
    case 'is_false':
      return { ...base, operator: op }
    case 'count_at_least':
    case 'count_at_most':
      return { ...base, operator: op, value: kept('single') ?? 1 }
    default:
      return { ...base, operator: op, value: kept('single') ?? defaultConstant(type) }
  }
}

function isRange(value: unknown): value is Range {
  return typeof value === 'object' && value !== null && 'min' in value && 'max' in value
}

/** A new condition (the first fact of the catalogue unless told otherwise). */
export function newCondition(params: ParamTypes, fact = 'child.birth_date'): BuilderCondition {
  return conditionFor(newId(), fact, undefined, params)
}

export function newGroup(params: ParamTypes, combinator: Combinator = 'any'): BuilderGroup {
  return { kind: 'group', id: newId(), combinator, children: [newCondition(params)] }
}

/** The tree of a stored rule, or why the builder cannot show it. `true` is the empty rule. */
export function parseRule(
  rule: unknown,
  params: ParamTypes,
  pluginFacts?: PluginFactTypes
):
  | { tree: BuilderGroup; error?: undefined }
  | { tree?: undefined; error: BuilderConversionError | Error } {
  if (rule === true || rule === undefined || rule === null) {
    return { tree: { kind: 'group', id: newId(), combinator: 'all', children: [] } }
  }
  try {
    const node = fromJsonLogic(rule, { params, pluginFacts, newId })
    if (node.kind === 'group') return { tree: node }
    return { tree: { kind: 'group', id: newId(), combinator: 'all', children: [node] } }
  } catch (error) {
    return { error: error instanceof Error ? error : new Error(String(error)) }
  }
}

/**
 * The rule of a tree: `true` when it has no condition; a lone condition in an "all of" root is
 * stored as the condition itself (the same meaning, as the engine's own demo rules write it).
 */
export function buildRule(
  tree: BuilderGroup,
  params: ParamTypes,
  pluginFacts?: PluginFactTypes
): unknown {
  if (tree.children.length === 0) return true
  if (
    tree.combinator === 'all' &&
    tree.children.length === 1 &&
    tree.children[0].kind === 'condition'
  ) {
    return toJsonLogic(tree.children[0], { params, pluginFacts })
  }
  return toJsonLogic(tree, { params, pluginFacts })
}

/** The JSON pointer of every node in the rule `buildRule` makes (for the evaluation trace). */
export function pointersOf(tree: BuilderGroup): Map<string, string> {
  const out = new Map<string, string>()
  if (tree.children.length === 0) return out
  if (
    tree.combinator === 'all' &&
    tree.children.length === 1 &&
    tree.children[0].kind === 'condition'
  ) {
    out.set(tree.children[0].id, '')
    return out
  }
  const walk = (node: BuilderNode, pointer: string) => {
    out.set(node.id, pointer)
    if (node.kind !== 'group') return
    const base =
      node.combinator === 'all'
        ? `${pointer}/and`
        : node.combinator === 'any'
          ? `${pointer}/or`
          : `${pointer}/!/0/or`
    node.children.forEach((child, i) => walk(child, `${base}/${i}`))
  }
  walk(tree, '')
  return out
}

/** Why each node cannot become JSON Logic (a code of BuilderConversionError), by node id. */
export function problemsOf(
  tree: BuilderGroup,
  params: ParamTypes,
  pluginFacts?: PluginFactTypes
): Map<string, string> {
  const out = new Map<string, string>()
  const walk = (node: BuilderNode, root: boolean) => {
    if (node.kind === 'group') {
      if (node.children.length === 0 && !root) out.set(node.id, 'empty_group')
      node.children.forEach((child) => walk(child, false))
      return
    }
    try {
      toJsonLogic(node, { params, pluginFacts })
    } catch (error) {
      out.set(node.id, error instanceof BuilderConversionError ? error.code : 'invalid')
    }
  }
  walk(tree, true)
  return out
}

/** Finds a node and its parent group. */
export function locate(
  tree: BuilderGroup,
  id: string
): { node: BuilderNode; parent: BuilderGroup | null; index: number } | undefined {
  if (tree.id === id) return { node: tree, parent: null, index: -1 }
  const stack: BuilderGroup[] = [tree]
  while (stack.length > 0) {
    const group = stack.pop()!
    for (let i = 0; i < group.children.length; i++) {
      const child = group.children[i]
      if (child.id === id) return { node: child, parent: group, index: i }
      if (child.kind === 'group') stack.push(child)
    }
  }
  return undefined
}

/** The depth of a group (the root is 1). */
export function depthOf(tree: BuilderGroup, id: string): number {
  let depth = 1
  let current = locate(tree, id)
  while (current?.parent) {
    depth += 1
    current = locate(tree, current.parent.id)
  }
  return depth
}

/** Every `var` path a rule reads at the top level (list lengths as the list's path). */
export function factsOfRule(rule: unknown): string[] {
  const found: string[] = []
  const stack: unknown[] = [rule]
  while (stack.length > 0) {
    const node = stack.pop()
    if (Array.isArray(node)) {
      for (let i = node.length - 1; i >= 0; i--) stack.push(node[i])
      continue
    }
    if (node === null || typeof node !== 'object') continue
    for (const [key, value] of Object.entries(node)) {
      if (key === 'var') {
        const path = Array.isArray(value) ? value[0] : value
        if (typeof path === 'string' && path !== '') {
          const clean = path.endsWith('.length') ? path.slice(0, -'.length'.length) : path
          if (!found.includes(clean)) found.push(clean)
        }
      } else {
        stack.push(value)
      }
    }
  }
  return found
}

/** Facts as a nested object from dot paths (what the engine reads with `var`). */
export function nestFacts(flat: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, any> = {}
  for (const [path, value] of Object.entries(flat)) {
    if (value === undefined || value === '' || path.startsWith('params.')) continue
    const parts = path.split('.')
    let target = out
    for (const part of parts.slice(0, -1)) {
      if (typeof target[part] !== 'object' || target[part] === null) target[part] = {}
      target = target[part]
    }
    target[parts[parts.length - 1]] = value
  }
  return out
}

export { currencyDigits, toMajor, toMinor } from '~/components/programs/money'
