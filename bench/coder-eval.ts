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

export type EvalFigures = {
  n: number
  top1: number
  top5: number
  major: number
  top1Industry: number
  top5Industry: number
  majorIndustry: number
  /** the same, each title weighted by how many rows (applications) carried it */
  weighted: {
    top1: number
    top5: number
    major: number
    top1Industry: number
    top5Industry: number
    majorIndustry: number
  }
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

export function evaluate(coder: Coder, items: readonly Labelled[]): EvalFigures {
  let top1 = 0
  let top5 = 0
  let major = 0
  let top1I = 0
  let top5I = 0
  let majorI = 0
  const w = { n: 0, top1: 0, top5: 0, major: 0, top1Industry: 0, top5Industry: 0, majorIndustry: 0 }
  let coded = 0
  let codedRight = 0
  let hi = 0
  let hiRight = 0
  const cal: [number, boolean][] = []
  const calI: [number, boolean][] = []
  const misses: string[] = []
  const missesIndustry: string[] = []
  for (const it of items) {
    const want = new Set(it.codes)
    const r: CodeResult = coder.code({ title: it.title }, { k: 5 })
    const rows = Math.max(1, it.rows || 1)
    w.n += rows
    const got = r.candidates.map((c) => six(c.code))
    const ok = got[0] !== undefined && want.has(got[0])
    const sameMajor = (g: string | undefined) =>
      g !== undefined && it.codes.some((c) => c.slice(0, 2) === g.slice(0, 2))
    if (ok) {
      top1++
      w.top1 += rows
    }
    if (got.some((g) => want.has(g))) {
      top5++
      w.top5 += rows
    }
    if (sameMajor(got[0])) {
      major++
      w.major += rows
    }
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
    const describe = (res: CodeResult, naics?: string | null) =>
      `${it.title}${naics ? ` (${naics})` : ''} | want ${it.codes.join(' ')} | got ${res.candidates
        .slice(0, 3)
        .map((c) => `${c.code} ${c.title} [${c.matched?.title}] ${c.confidence}`)
        .join(' ; ')}`
    if (!ok) misses.push(describe(r))
    const ri = coder.code({ title: it.title, industry: it.naics }, { k: 5 })
    const gi = ri.candidates.map((c) => six(c.code))
    const okI = gi[0] !== undefined && want.has(gi[0])
    if (okI) {
      top1I++
      w.top1Industry += rows
    } else missesIndustry.push(describe(ri, it.naics))
    if (gi.some((g) => want.has(g))) {
      top5I++
      w.top5Industry += rows
    }
    if (sameMajor(gi[0])) {
      majorI++
      w.majorIndustry += rows
    }
    calI.push([ri.candidates[0]?.confidence ?? 0, okI])
  }
  const n = items.length
  return {
    n,
    top1: top1 / n,
    top5: top5 / n,
    major: major / n,
    top1Industry: top1I / n,
    top5Industry: top5I / n,
    majorIndustry: majorI / n,
    weighted: {
      top1: w.top1 / w.n,
      top5: w.top5 / w.n,
      major: w.major / w.n,
      top1Industry: w.top1Industry / w.n,
      top5Industry: w.top5Industry / w.n,
      majorIndustry: w.majorIndustry / w.n,
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

export function readLabelled(path: string): Labelled[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Labelled)
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
