/*
 * Eligibility benchmark: 100 000 deterministic fact sets, the DK CZ, DK UA and synthetic 60+ operation
 * rules, evaluated by (a) our compiled engine with both backends (generated code, which `run` and hence
 * `evaluate()` use, and the closure tree), (b) json-logic-js `apply`, (c) a hand-written function.
 * Verifies identical verdicts on every fact set, reports evaluations per second and writes the
 * "## Eligibility" section of bench/RESULTS.md (see bench/eligibility/README.md).
 *
 *   node_modules/.bin/node --import=@poppinss/ts-exec bench/eligibility/run.ts [--count=100000] [--no-write]
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import jsonLogic from 'json-logic-js'
import { compile } from '../../app/eligibility/compile.js'
import { DEMO_PROGRAMS, type DemoProgram } from '../../app/eligibility/demo_rules.js'
import { evaluate } from '../../app/eligibility/engine.js'
import { installCustomOperators, truthy } from '../../app/eligibility/operators.js'
import { generateFacts } from './facts.js'
import { type HandWritten, dkCzByHand, dkUaByHand, synthetic60ByHand } from './hand_written.js'

installCustomOperators(jsonLogic as any)

const argument = (name: string) =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1]
const COUNT = Number(argument('count') ?? 100_000)
const WRITE = !process.argv.includes('--no-write')
const ROUNDS = Number(argument('rounds') ?? 7)
if (!Number.isInteger(COUNT) || COUNT < 1 || !Number.isInteger(ROUNDS) || ROUNDS < 1) {
  throw new Error('--count and --rounds must be positive integers')
}

type Check = (facts: any) => boolean

interface Case {
  name: string
  program: DemoProgram
  hand: HandWritten
}

const CASES: Case[] = [
  { name: 'DK CZ', program: DEMO_PROGRAMS.dk_cz, hand: dkCzByHand },
  { name: 'DK UA', program: DEMO_PROGRAMS.dk_ua, hand: dkUaByHand },
  {
    name: 'Synthetic 60+ operations',
    program: DEMO_PROGRAMS.synthetic_60,
    hand: synthetic60ByHand,
  },
]

/** Keeps results alive so that the optimiser cannot drop the evaluations. */
let sink = 0

/** One timed pass over every fact set; returns evaluations per second. */
function pass(check: Check, facts: any[]): number {
  const n = facts.length
  const started = process.hrtime.bigint()
  let eligible = 0
  for (let i = 0; i < n; i++) if (check(facts[i])) eligible++
  const seconds = Number(process.hrtime.bigint() - started) / 1e9
  sink += eligible
  return n / seconds
}

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]

/**
 * Interleaved measurement: two warm-up passes each, then rounds in which every implementation makes one
 * timed pass, so that background load hits all of them alike. Rates are medians over the rounds; ratios
 * are medians of the per-round ratios.
 */
function measureAll(checks: Record<string, Check>, facts: any[], rounds: number) {
  const names = Object.keys(checks)
  for (let warm = 0; warm < 2; warm++) for (const name of names) pass(checks[name], facts)
  const rates: Record<string, number[]> = Object.fromEntries(names.map((name) => [name, []]))
  for (let round = 0; round < rounds; round++) {
    for (const name of names) rates[name].push(pass(checks[name], facts))
  }
  const ratio = (a: string, b: string) => median(rates[a].map((rate, i) => rate / rates[b][i]))
  return {
    rate: Object.fromEntries(names.map((name) => [name, median(rates[name])])) as Record<
      string,
      number
    >,
    ratio,
  }
}

const format = (n: number) => Math.round(n).toLocaleString('en-US')
const ratio = (n: number) => n.toFixed(2)

console.log(`Generating ${format(COUNT)} fact sets (seed 20250901)…`)
const facts = generateFacts(COUNT)

interface Row {
  rule: string
  eligible: number
  ours: number
  closures: number
  api: number
  jsonLogic: number
  hand: number
  oursToHand: number
  oursToJsonLogic: number
  closuresToHand: number
  closuresToJsonLogic: number
}

const loadAtStart = os.loadavg()[0]

const rows: Row[] = []
for (const { name, program, hand } of CASES) {
  const compiled = compile(program.rule, { params: program.params, key: program.key })
  if (compiled.backend !== 'generated') throw new Error(`${name}: the rule was not generated`)
  const ours: Check = (f) => truthy(compiled.run(f))
  const closures: Check = (f) => truthy(compiled.runClosure(f))
  const api: Check = (f) => evaluate(compiled, f).eligible
  const reference: Check = (f) => jsonLogic.truthy(jsonLogic.apply(program.rule as any, f))

  // Identical verdicts on every fact set, for every implementation.
  let eligible = 0
  for (const [i, factSet] of facts.entries()) {
    const expected = reference(factSet)
    const got = [ours(factSet), closures(factSet), api(factSet), hand(factSet)]
    if (got.some((verdict) => verdict !== expected)) {
      throw new Error(
        `${name}: verdicts differ on fact set ${i}: json-logic ${expected}, generated/closures/api/hand ${got}\n${JSON.stringify(factSet)}`
      )
    }
    if (expected) eligible++
  }
  console.log(
    `${name}: ${format(eligible)} of ${format(facts.length)} eligible; verdicts identical in all implementations`
  )

  const { rate, ratio: ratioOf } = measureAll(
    { hand, ours, closures, api, jsonLogic: reference },
    facts,
    ROUNDS
  )
  const row: Row = {
    rule: name,
    eligible,
    hand: rate.hand,
    ours: rate.ours,
    closures: rate.closures,
    api: rate.api,
    jsonLogic: rate.jsonLogic,
    oursToHand: ratioOf('ours', 'hand'),
    oursToJsonLogic: ratioOf('ours', 'jsonLogic'),
    closuresToHand: ratioOf('closures', 'hand'),
    closuresToJsonLogic: ratioOf('closures', 'jsonLogic'),
  }
  rows.push(row)
  console.log(
    `  generated ${format(row.ours)}/s, closures ${format(row.closures)}/s, evaluate() ${format(row.api)}/s, json-logic-js ${format(row.jsonLogic)}/s, hand-written ${format(row.hand)}/s` +
      ` → generated/hand ${ratio(row.oursToHand)}, generated/json-logic ${ratio(row.oursToJsonLogic)}, closures/hand ${ratio(row.closuresToHand)}`
  )
}

const cpus = os.cpus()
const machine =
  `${cpus[0]?.model ?? 'unknown CPU'}, ${cpus.length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB RAM, ` +
  `${os.platform()} ${os.release()} ${os.arch()}; 1-minute load average ${loadAtStart.toFixed(1)} at the start and ` +
  `${os.loadavg()[0].toFixed(1)} at the end of the run (a shared machine: other people's tests and builds run alongside)`
const command = 'node_modules/.bin/node --import=@poppinss/ts-exec bench/eligibility/run.ts'
const misses = rows.flatMap((r) => [
  ...(r.oursToHand < 0.5
    ? [`generated / hand-written for ${r.rule} (${ratio(r.oursToHand)} < 0.5)`]
    : []),
  ...(r.oursToJsonLogic < 5
    ? [`generated / json-logic-js for ${r.rule} (${ratio(r.oursToJsonLogic)} < 5)`]
    : []),
])
const targetsMet = misses.length === 0

const section = [
  '## Eligibility',
  '',
  `Run on ${new Date().toISOString().slice(0, 10)} with \`${command}\` (Node ${process.version}; ${machine}).`,
  '',
  `${format(COUNT)} fact sets from a seeded PRNG (bench/eligibility/facts.ts); every implementation gave the same verdict on every fact set.`,
  `Figures are evaluations per second: the median of ${ROUNDS} interleaved timed passes over all fact sets (after two warm-up`,
  'passes each); the ratios are medians of the per-pass ratios.',
  '"Generated" is `compile(rule).run`: the rule compiled to one JavaScript function (app/eligibility/codegen.ts), the',
  'backend of untraced evaluation; "closures" is `compile(rule).runClosure`: the closure tree (compile.ts), which traced',
  'evaluation uses and which `run` falls back to; both with json-logic-js semantics. "evaluate()" is the public API on the',
  'generated backend (adds the missing-fact guard and the result object); "hand-written" is bench/eligibility/hand_written.ts.',
  '',
  '| Rule | Eligible | Generated | Closures | evaluate() | json-logic-js apply | Hand-written | Generated / hand-written (target ≥ 0.5) | Generated / json-logic-js (target ≥ 5) | Closures / hand-written | Closures / json-logic-js |',
  '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ...rows.map(
    (r) =>
      `| ${r.rule} | ${format(r.eligible)} | ${format(r.ours)} | ${format(r.closures)} | ${format(r.api)} | ${format(r.jsonLogic)} | ${format(r.hand)} | ${ratio(r.oursToHand)} | ${ratio(r.oursToJsonLogic)} | ${ratio(r.closuresToHand)} | ${ratio(r.closuresToJsonLogic)} |`
  ),
  '',
  targetsMet
    ? 'Both targets are met for every rule by the generated backend (the one `run` and `evaluate()` use).'
    : `Missed: ${misses.join('; ')}.`,
  '',
].join('\n')

console.log(`\n${section}`)
if (WRITE) {
  const file = new URL('../RESULTS.md', import.meta.url)
  const current = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmark results\n\n'
  // Replace our section (up to the next "## " heading) or append it; other sections stay as they are.
  const start = current.indexOf('## Eligibility\n')
  let next = start === -1 ? -1 : current.indexOf('\n## ', start + 1)
  if (next !== -1) next += 1
  const updated =
    start === -1
      ? `${current.trimEnd()}\n\n${section}`
      : `${current.slice(0, start)}${section}${next === -1 ? '' : `\n${current.slice(next)}`}`
  writeFileSync(file, updated.endsWith('\n') ? updated : `${updated}\n`)
  console.log('Written to bench/RESULTS.md')
}
if (sink === -1) console.log(sink)
