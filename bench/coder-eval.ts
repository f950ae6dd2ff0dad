/**
 * Accuracy and calibration of the coder on labelled titles (measurement only: `../shared/eval/dev.jsonl`
 * is never indexed, trained on or hard-coded). `node --import tsx bench/coder-eval.ts [FILE] [--misses]`
 */
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { expectedCalibrationError } from '../src/core/coder/calibrate.ts'
import type { CodeResult, Coder } from '../src/core/coder/coder.ts'
import { loadCoder } from '../src/core/coder/open.ts'
import { ensureBuiltSync } from '../src/data/ensure-sync.ts'
import { resolveBuildDir, resolveReferenceDir } from '../src/data/paths.ts'

export type Labelled = { title: string; naics: string | null; codes: string[]; rows: number }

/** shares right at top-1, in the top 5 and in the major group, title only and with the industry */
export type Accuracy = {
  top1: number
  top5: number
  major: number
  top1Industry: number
  top5Industry: number
  majorIndustry: number
}

export type EvalFigures = Accuracy & {
  n: number
  /** the same, each title weighted by how many rows (applications) carried it */
  weighted: Accuracy
  ece: number
  eceIndustry: number
  highConfShare: number
  highConfRight: number
  coded: number
  codedRight: number
  misses: string[]
  /** misses with the industry hint */
  missesIndustry: string[]
}

const six = (c: string) => c.slice(0, 7)

/** Right at top-1, in the top 5, in the right major group: per title and per row. */
class Tally {
  n = 0
  rows = 0
  hits = { top1: 0, top5: 0, major: 0 }
  rowHits = { top1: 0, top5: 0, major: 0 }

  /** counts one result; returns whether its top-1 is right */
  add(r: CodeResult, it: Labelled): boolean {
    const rows = Math.max(1, it.rows || 1)
    const got = r.candidates.map((c) => six(c.code))
    const top = got[0]
    const right = {
      top1: top !== undefined && it.codes.includes(top),
      top5: got.some((g) => it.codes.includes(g)),
      major: top !== undefined && it.codes.some((c) => c.slice(0, 2) === top.slice(0, 2)),
    }
    this.n++
    this.rows += rows
    for (const key of ['top1', 'top5', 'major'] as const) {
      if (!right[key]) continue
      this.hits[key]++
      this.rowHits[key] += rows
    }
    return right.top1
  }

  share(key: 'top1' | 'top5' | 'major', weighted = false): number {
    return weighted ? this.rowHits[key] / this.rows : this.hits[key] / this.n
  }
}

export function evaluate(coder: Coder, items: readonly Labelled[]): EvalFigures {
  const plain = new Tally()
  const hinted = new Tally()
  let coded = 0
  let codedRight = 0
  let hi = 0
  let hiRight = 0
  const cal: [number, boolean][] = []
  const calI: [number, boolean][] = []
  const misses: string[] = []
  const missesIndustry: string[] = []
  for (const it of items) {
    const describe = (res: CodeResult, naics?: string | null) =>
      `${it.title}${naics ? ` (${naics})` : ''} | want ${it.codes.join(' ')} | got ${res.candidates
        .slice(0, 3)
        .map((c) => `${c.code} ${c.title} [${c.matched?.title}] ${c.confidence}`)
        .join(' ; ')}`
    const r: CodeResult = coder.code({ title: it.title }, { k: 5 })
    const ok = plain.add(r, it)
    const conf = r.candidates[0]?.confidence ?? 0
    cal.push([conf, ok])
    if (conf >= 0.9) {
      hi++
      if (ok) hiRight++
    }
    if (r.status === 'coded') {
      coded++
      if (ok) codedRight++
    }
    if (!ok) misses.push(describe(r))
    const ri = coder.code({ title: it.title, industry: it.naics }, { k: 5 })
    const okI = hinted.add(ri, it)
    if (!okI) missesIndustry.push(describe(ri, it.naics))
    calI.push([ri.candidates[0]?.confidence ?? 0, okI])
  }
  const n = items.length
  return {
    n,
    top1: plain.share('top1'),
    top5: plain.share('top5'),
    major: plain.share('major'),
    top1Industry: hinted.share('top1'),
    top5Industry: hinted.share('top5'),
    majorIndustry: hinted.share('major'),
    weighted: {
      top1: plain.share('top1', true),
      top5: plain.share('top5', true),
      major: plain.share('major', true),
      top1Industry: hinted.share('top1', true),
      top5Industry: hinted.share('top5', true),
      majorIndustry: hinted.share('major', true),
    },
    ece: expectedCalibrationError(cal),
    eceIndustry: expectedCalibrationError(calI),
    highConfShare: hi / n,
    highConfRight: hi ? hiRight / hi : 1,
    coded: coded / n,
    codedRight: coded ? codedRight / coded : 1,
    misses,
    missesIndustry,
  }
}

/** the records of a JSON-lines file (blank lines skipped) */
export function readJsonLines<T>(path: string): T[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as T)
}

export function readLabelled(path: string): Labelled[] {
  return readJsonLines<Labelled>(path)
}

export function devPath(reference: string): string {
  return join(reference, 'eval', 'dev.jsonl')
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const reference = resolveReferenceDir()
  const buildDir = resolveBuildDir()
  ensureBuiltSync({ reference, buildDir })
  const file = process.argv.slice(2).find((a) => !a.startsWith('--')) ?? devPath(reference)
  if (!existsSync(file)) {
    console.error(`no labelled file at ${file}`)
    process.exit(2)
  }
  const coder = loadCoder(buildDir)
  const f = evaluate(coder, readLabelled(file))
  const pct = (x: number) => `${(100 * x).toFixed(1)}%`
  console.log(
    `n=${f.n} top1 ${pct(f.top1)} top5 ${pct(f.top5)} major ${pct(f.major)} | industry: top1 ${pct(f.top1Industry)} top5 ${pct(f.top5Industry)} | ECE ${f.ece.toFixed(3)} (industry ${f.eceIndustry.toFixed(3)}) | conf>=0.9: ${pct(f.highConfShare)} of titles, ${pct(f.highConfRight)} right | coded ${pct(f.coded)}, ${pct(f.codedRight)} right`,
  )
  if (process.argv.includes('--misses')) for (const m of f.misses) console.log(m)
  if (process.argv.includes('--misses-industry')) for (const m of f.missesIndustry) console.log(m)
}
