import { readFileSync } from 'node:fs'
import { normalizeTitle } from '../src/core/coder/normalize.ts'
import { loadCoder } from '../src/core/load.ts'

const titles = readFileSync('/tmp/t20k.jsonl', 'utf8')
  .trim()
  .split('\n')
  .map((l) => JSON.parse(l).title as string)
let t0 = performance.now()
const coder = loadCoder('build/data')
console.log('load', (performance.now() - t0).toFixed(0), 'ms')
t0 = performance.now()
for (const t of titles) normalizeTitle(t, coder.lexicon)
console.log(
  'normalize only',
  (((performance.now() - t0) / titles.length) * 1000).toFixed(1),
  'us/title',
)
const times: number[] = []
t0 = performance.now()
for (const t of titles) {
  const a = performance.now()
  coder.code({ title: t })
  times.push(performance.now() - a)
}
const total = performance.now() - t0
times.sort((a, b) => a - b)
console.log(
  'code',
  ((total / titles.length) * 1000).toFixed(1),
  'us/title; p50',
  (times[times.length >> 1]! * 1000).toFixed(0),
  'us p99',
  (times[Math.floor(times.length * 0.99)]! * 1000).toFixed(0),
  'us max',
  (times.at(-1)! * 1000).toFixed(0),
)
