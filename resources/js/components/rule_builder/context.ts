import { inject, type ComputedRef, type InjectionKey } from 'vue'
import type { Locale } from '@eligibility/types'
import type {
  BuilderCondition,
  Combinator,
  ParamTypes,
  PluginFactTypes,
} from '~/components/rule_builder/tree'

/** What the builder's groups and conditions share: settings, problems and the tree's edits. */
export interface BuilderContext {
  params: ComputedRef<ParamTypes>
  /** The facts the program's plugin declares (`{ [pluginId]: declarations }`, `{}` for none). */
  pluginFacts: ComputedRef<PluginFactTypes>
  /** The plugin's name (the label of its facts' group). */
  pluginName: ComputedRef<string>
  currency: ComputedRef<string>
  locale: ComputedRef<Locale>
  /** Why a node cannot be saved (a BuilderConversionError code), by node id. */
  problems: ComputedRef<Map<string, string>>
  /** The node's number as people read it ("2", "2.1"), by node id. */
  numbers: ComputedRef<Map<string, string>>
  addCondition(groupId: string): void
  addGroup(groupId: string): void
  remove(id: string): void
  move(id: string, delta: -1 | 1): void
  setCombinator(groupId: string, combinator: Combinator): void
  replaceCondition(id: string, condition: BuilderCondition): void
}

export const BUILDER: InjectionKey<BuilderContext> = Symbol('rule-builder')

export function useBuilder(): BuilderContext {
  const context = inject(BUILDER)
  if (!context) throw new Error('Rule builder parts must be used inside RuleBuilder')
  return context
}
