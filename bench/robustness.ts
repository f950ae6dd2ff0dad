/**
 * How often the coder's top code for an official title moves when the title is written as employers
 * write it: with what says nothing of the work added, with a typo, cut short by a field.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Coder } from '../src/core/coder/coder.ts'

/** what employers add to a title that says nothing of the work ("X" is the title) */
const DECORATIONS = [
  'X (Seasonal)',
  'Temporary X',
  'X - Anchorage',
  'X II',
  'X #2',
  'X - Night Shift',
  'X (Day/Night)',
  'X (Summer 2025)',
  'X - Req 1234',
  'X (Job Code 4711)',
  'X: Part-Time',
  'X $18/hr',
  'X (H-2B)',
  'X I/II',
  'X - Immediate Opening',
  '*NEW* X',
  'URGENT: X',
  'X (New)',
  'X - Full Time Benefits',
  'Job Title: X',
  '(X)',
  'X (Remote)',
  'X - Kodiak Plant',
  'X No. 2',
  'A123 X',
  'X in Training',
  'X B',
  'X at Denali Lodge',
  'X - ABC Company',
  'X for ABC Company',
  'Graveyard X',
  'X - 2nd Shift',
  'SEAS-X',
  'X2',
  'X - Housing Provided',
  'X w/ Room and Board',
  'X (No Experience Necessary)',
  'X - Will Train',
  'X (Spanish Speaking)',
  'X - Hourly',
  'X - Nights',
  'X (Days)',
  'X - Yr Round',
  'X (J-1)',
  'X (Summer Only)',
  'X - Rehire',
  'X (3 openings)',
  'X $1000 Sign On',
  'X - Various Locations',
  'X (H-2B Visa)',
  'X - Airfare Paid',
  'X + Tips',
  'X - Pay DOE',
  'X - Great Benefits',
  'X - Start Immediately',
  'X (Bilingual Preferred)',
  'X - Equal Opportunity Employer',
  'X (Non-Union)',
  'Casual X',
]

/** level words: the same occupation at another level (SOC codes a lead or a senior with the workers) */
const LEVELS = [
  'Senior X',
  'X (Senior)',
  'Lead X',
  'X Lead',
  'Junior X',
  'Experienced X',
  'X First Class',
  'Class A X',
]

export type Robustness = {
  titles: number
  /** how many additions that say nothing of the work were tried on each title */
  additions: number
  decorated: { queries: number; moved: number }
  levels: { queries: number; moved: number }
  dropped: { queries: number; moved: number }
  swapped: { queries: number; moved: number }
  cut30: { queries: number; moved: number }
}

/** Every step-th distinct official title (titles.json in the build), decorated, misspelt and cut. */
export function robustness(coder: Coder, buildDir: string, step = 25): Robustness {
  const file = JSON.parse(readFileSync(join(buildDir, 'titles.json'), 'utf8')) as {
    titles: [string, string, number][]
  }
  const titles = [...new Set(file.titles.map((t) => t[0]))].filter((_, i) => i % step === 0)
  const top = (t: string) => coder.code(t, { k: 1 }).candidates[0]?.code
  const out: Robustness = {
    titles: titles.length,
    additions: DECORATIONS.length,
    decorated: { queries: 0, moved: 0 },
    levels: { queries: 0, moved: 0 },
    dropped: { queries: 0, moved: 0 },
    swapped: { queries: 0, moved: 0 },
    cut30: { queries: 0, moved: 0 },
  }
  const count = (
    tally: { queries: number; moved: number },
    base: string | undefined,
    t: string,
  ) => {
    tally.queries++
    if (top(t) !== base) tally.moved++
  }
  for (const t of titles) {
    const base = top(t)
    for (const d of DECORATIONS) count(out.decorated, base, d.replace('X', t))
    for (const d of LEVELS) count(out.levels, base, d.replace('X', t))
    // one slip in the last word, in its middle: a letter left out, two letters swapped
    const words = t.split(' ')
    const w = words[words.length - 1] as string
    if (w.length >= 6 && /^[A-Za-z]+$/.test(w)) {
      const m = Math.floor(w.length / 2)
      const head = words.slice(0, -1)
      count(out.dropped, base, [...head, w.slice(0, m) + w.slice(m + 1)].join(' '))
      count(
        out.swapped,
        base,
        [...head, w.slice(0, m) + w[m + 1] + w[m] + w.slice(m + 2)].join(' '),
      )
    }
    if (t.length > 32) count(out.cut30, base, t.slice(0, 30))
  }
  return out
}
