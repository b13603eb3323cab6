/*
 * Eligibility benchmark: 100 000 deterministic fact sets, the DK CZ, DK UA and synthetic 60+ operation
 * rules, evaluated by (a) our compiled engine, (b) json-logic-js `apply`, (c) a hand-written function.
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

const argument = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1]
const COUNT = Number(argument('count') ?? 100_000)
const WRITE = !process.argv.includes('--no-write')
const ROUNDS = Number(argument('rounds') ?? 7)

type Check = (facts: any) => boolean

interface Case {
  name: string
  program: DemoProgram
  hand: HandWritten
}

const CASES: Case[] = [
  { name: 'DK CZ', program: DEMO_PROGRAMS.dk_cz, hand: dkCzByHand },
  { name: 'DK UA', program: DEMO_PROGRAMS.dk_ua, hand: dkUaByHand },
  { name: 'Synthetic 60+ operations', program: DEMO_PROGRAMS.synthetic_60, hand: synthetic60ByHand },
]

/** Keeps results alive so that the optimiser cannot drop the evaluations. */
let sink = 0

/** Evaluations per second: the median of timed passes over every fact set, after warm-up passes. */
function measure(check: Check, facts: any[], rounds: number): number {
  const n = facts.length
  for (let warm = 0; warm < 2; warm++) for (let i = 0; i < n; i++) if (check(facts[i])) sink++
  const rates: number[] = []
  for (let round = 0; round < rounds; round++) {
    const started = process.hrtime.bigint()
    let eligible = 0
    for (let i = 0; i < n; i++) if (check(facts[i])) eligible++
    const seconds = Number(process.hrtime.bigint() - started) / 1e9
    sink += eligible
    rates.push(n / seconds)
  }
  rates.sort((a, b) => a - b)
  return rates[Math.floor(rates.length / 2)]
}

const format = (n: number) => Math.round(n).toLocaleString('en-US')
const ratio = (n: number) => n.toFixed(2)

console.log(`Generating ${format(COUNT)} fact sets (seed 20250901)…`)
const facts = generateFacts(COUNT)

interface Row {
  rule: string
  eligible: number
  ours: number
  api: number
  jsonLogic: number
  hand: number
}

const rows: Row[] = []
for (const { name, program, hand } of CASES) {
  const compiled = compile(program.rule, { params: program.params, key: program.key })
  const ours: Check = (f) => truthy(compiled.run(f))
  const api: Check = (f) => evaluate(compiled, f).eligible
  const reference: Check = (f) => jsonLogic.truthy(jsonLogic.apply(program.rule as any, f))

  // Identical verdicts on every fact set, for every implementation.
  let eligible = 0
  for (let i = 0; i < facts.length; i++) {
    const expected = reference(facts[i])
    const got = [ours(facts[i]), api(facts[i]), hand(facts[i])]
    if (got.some((verdict) => verdict !== expected)) {
      throw new Error(`${name}: verdicts differ on fact set ${i}: json-logic ${expected}, ours/api/hand ${got}\n${JSON.stringify(facts[i])}`)
    }
    if (expected) eligible++
  }
  console.log(`${name}: ${format(eligible)} of ${format(facts.length)} eligible; verdicts identical in all implementations`)

  const row: Row = {
    rule: name,
    eligible,
    hand: measure(hand, facts, ROUNDS),
    ours: measure(ours, facts, ROUNDS),
    api: measure(api, facts, ROUNDS),
    jsonLogic: measure(reference, facts, Math.max(3, Math.floor(ROUNDS / 2))),
  }
  rows.push(row)
  console.log(
    `  ours ${format(row.ours)}/s, evaluate() ${format(row.api)}/s, json-logic-js ${format(row.jsonLogic)}/s, hand-written ${format(row.hand)}/s` +
      ` → ours/hand ${ratio(row.ours / row.hand)}, ours/json-logic ${ratio(row.ours / row.jsonLogic)}`
  )
}

const cpus = os.cpus()
const machine = `${cpus[0]?.model ?? 'unknown CPU'}, ${cpus.length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB RAM, ${os.platform()} ${os.release()} ${os.arch()}`
const command = 'node_modules/.bin/node --import=@poppinss/ts-exec bench/eligibility/run.ts'
const targetsMet = rows.every((r) => r.ours / r.hand >= 0.5 && r.ours / r.jsonLogic >= 5)

const section = [
  '## Eligibility',
  '',
  `Run on ${new Date().toISOString().slice(0, 10)} with \`${command}\` (Node ${process.version}; ${machine}).`,
  '',
  `${format(COUNT)} fact sets from a seeded PRNG (bench/eligibility/facts.ts); every implementation gave the same verdict on every fact set.`,
  'Figures are evaluations per second, the median of timed passes over all fact sets after two warm-up passes.',
  '"Ours" is the compiled closure tree (`compile(rule).run`, json-logic-js semantics); "evaluate()" is the public API',
  '(adds the missing-fact guard and the result object); "hand-written" is bench/eligibility/hand_written.ts.',
  '',
  '| Rule | Eligible | Ours (compiled) | evaluate() | json-logic-js apply | Hand-written | Ours / hand-written (target ≥ 0.5) | Ours / json-logic-js (target ≥ 5) |',
  '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ...rows.map(
    (r) =>
      `| ${r.rule} | ${format(r.eligible)} | ${format(r.ours)} | ${format(r.api)} | ${format(r.jsonLogic)} | ${format(r.hand)} | ${ratio(r.ours / r.hand)} | ${ratio(r.ours / r.jsonLogic)} |`
  ),
  '',
  targetsMet ? 'Both targets are met for every rule.' : 'At least one target is missed (see the ratios above).',
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
