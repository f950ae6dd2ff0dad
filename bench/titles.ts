/** Deterministic synthetic job titles for benchmarks: official titles, rewritten as employers write them. */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { prng } from '../src/core/synthetic.ts'

const PREFIXES = ['Seasonal ', 'Sr. ', 'Lead ', 'Temporary ', 'Part-time ', 'Jr ', '', '', '', '']
const SUFFIXES = [' II', ' I', ' - Night Shift', ' (Temp)', ' 3', '', '', '', '', '']

function typo(word: string, rnd: () => number): string {
  if (word.length < 5) return word
  const i = 1 + Math.floor(rnd() * (word.length - 2))
  return rnd() < 0.5
    ? word.slice(0, i) + word.slice(i + 1)
    : word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2)
}

/** n distinct titles made from the compiled official title list (build/data/titles.json). */
export function syntheticTitles(buildDir: string, n: number, seed = 7): string[] {
  const file = JSON.parse(readFileSync(join(buildDir, 'titles.json'), 'utf8')) as {
    titles: [string, string, number][]
  }
  const base = file.titles.map((t) => t[0])
  const rnd = prng(seed)
  const out = new Set<string>()
  while (out.size < n) {
    let t = base[Math.floor(rnd() * base.length)] as string
    const r = rnd()
    if (r < 0.3) t = t.toUpperCase()
    else if (r < 0.5) t = t.toLowerCase()
    if (rnd() < 0.2)
      t = t
        .split(' ')
        .map((w) => (rnd() < 0.3 ? typo(w, rnd) : w))
        .join(' ')
    t = `${PREFIXES[Math.floor(rnd() * PREFIXES.length)]}${t}${SUFFIXES[Math.floor(rnd() * SUFFIXES.length)]}`
    out.add(t)
  }
  return [...out]
}
