/** Benchmarks of the job-title coder: accuracy on dev, calibration, throughput against MiniSearch, latency, load, memory. */
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import MiniSearch from 'minisearch'
import { createCoder, keyOf } from '../src/core/coder/coder.ts'
import { buildCoderIndexData } from '../src/core/coder/index-data.ts'
import { createLexicon, normalizeTitle } from '../src/core/coder/normalize.ts'
import { loadCoder } from '../src/core/coder/open.ts'
import { loadCoderIndex } from '../src/core/load.ts'
import type { Snapshot } from '../src/core/snapshot.ts'
import { buildCoderIndex, coderInput } from '../src/data/build-coder.ts'
import type { TitlesFile } from '../src/data/titles.ts'
import { devPath, evaluate, readJsonLines, readLabelled } from './coder-eval.ts'
import { robustness } from './robustness.ts'
import { syntheticTitles } from './titles.ts'
import { fmt, median, quantile, timeProcess, verdict } from './util.ts'

const pct = (x: number) => `${(100 * x).toFixed(1)}%`

export function benchCoder(cli: string, reference: string, buildDir: string): void {
  // accuracy and calibration (measurement only; dev titles are never indexed or used to fit)
  const dev = devPath(reference)
  const coder = loadCoder(buildDir)
  if (existsSync(dev)) {
    const f = evaluate(coder, readLabelled(dev))
    console.log(
      `dev.jsonl (${f.n} employer titles), title only: top-1 ${pct(f.top1)} (target 75%: ${verdict(f.top1 >= 0.75)}), top-5 ${pct(f.top5)} (92%: ${verdict(f.top5 >= 0.92)}), major group ${pct(f.major)} (90%: ${verdict(f.major >= 0.9)})`,
    )
    console.log(
      `  with the industry hint: top-1 ${pct(f.top1Industry)} (target 80%: ${verdict(f.top1Industry >= 0.8)}), top-5 ${pct(f.top5Industry)}, major group ${pct(f.majorIndustry)}`,
    )
    const wt = f.weighted
    console.log(
      `  weighted by rows (applications): title only top-1 ${pct(wt.top1)}, top-5 ${pct(wt.top5)}, major group ${pct(wt.major)}; with the industry hint top-1 ${pct(wt.top1Industry)}, top-5 ${pct(wt.top5Industry)}, major group ${pct(wt.majorIndustry)}`,
    )
    console.log(
      `  calibration: ECE ${f.ece.toFixed(3)} (target <= 0.05: ${verdict(f.ece <= 0.05)}); confidence >= 0.9 on ${pct(f.highConfShare)} of titles, ${pct(f.highConfRight)} right (target 90%: ${verdict(f.highConfRight >= 0.9)}); status coded on ${pct(f.coded)}, ${pct(f.codedRight)} right`,
    )
  } else console.log(`no ${dev}: accuracy not measured`)
  // our own sets of generic titles ("Foreman", "Technician") with an industry, or with duties
  for (const [file, what] of [
    ['generic-industry.jsonl', 'an industry'],
    ['generic-duties.jsonl', 'duties'],
  ] as const) {
    const set = readJsonLines<{
      title: string
      industry?: string
      duties?: string
      codes: string[]
    }>(join(import.meta.dirname, '..', 'test', 'fixtures', file))
    let top1 = 0
    let top5 = 0
    for (const c of set) {
      const got = coder.code(c, { k: 5 }).candidates.map((x) => x.code)
      if (c.codes.includes(got[0] ?? '')) top1++
      if (got.some((g) => c.codes.includes(g))) top5++
    }
    console.log(
      `our own generic titles with ${what} (test/fixtures/${file}, ${set.length}): top-1 ${pct(top1 / set.length)}, top-5 ${pct(top5 / set.length)}`,
    )
  }

  // robustness: official titles as employers write them
  const rob = robustness(coder, buildDir)
  const share = (x: { queries: number; moved: number }) =>
    `${pct(x.moved / Math.max(1, x.queries))} (${x.moved} of ${x.queries.toLocaleString('en-US')})`
  console.log(
    `robustness, every 25th official title (${rob.titles.toLocaleString('en-US')}), how often the top code moves: with one of ${rob.additions} additions that say nothing of the work ("(Seasonal)", "*NEW*", "- Req 1234", "(Remote)", "No. 2", "at Denali Lodge", "Laborer B" ...) ${share(rob.decorated)}; with a level word ("Senior X", "X (Senior)", "X Lead" ...) ${share(rob.levels)}; a letter left out of the last word ${share(rob.dropped)}, two swapped ${share(rob.swapped)}; cut at 30 characters ${share(rob.cut30)}`,
  )

  // in-process: the index built from the compiled inputs (taxonomy.json, titles.json), alone and
  // with the calibration (which ranks held-out titles with a second index)
  const snapshot = JSON.parse(readFileSync(join(buildDir, 'taxonomy.json'), 'utf8')) as Snapshot
  const titlesFile = JSON.parse(readFileSync(join(buildDir, 'titles.json'), 'utf8')) as TitlesFile
  const input = coderInput(snapshot, titlesFile)
  let t0 = performance.now()
  const built = buildCoderIndexData(input, createLexicon(input.lexicon))
  const indexMs = performance.now() - t0
  t0 = performance.now()
  const calibrated = buildCoderIndex(snapshot, titlesFile)
  const calibratedMs = performance.now() - t0
  const kb = (f: string) => statSync(join(buildDir, f)).size / 1024
  const held = calibrated.calibration?.heldOut
  if (held)
    console.log(
      `held-out official titles (${held.titles.toLocaleString('en-US')}: every 7th O*NET and direct-match title, ranked by an index without them): top-1 ${pct(held.top1Listed)} a code that lists the title (${pct(held.top1)} its own code), top-5 ${pct(held.top5)}, major group ${pct(held.major)}`,
    )
  console.log(
    `index build (in process): ${fmt(indexMs / 1000, 2)} s for ${built.titleText.length.toLocaleString('en-US')} titles and ${built.vocab.length.toLocaleString('en-US')} words; ${fmt(calibratedMs / 1000, 2)} s with the calibration and the known rankings; coder.json ${fmt(kb('coder.json'), 0)} kB + coder.bin ${fmt(kb('coder.bin'), 0)} kB`,
  )

  // in-process: index load and single-query latency
  const loads: number[] = []
  for (let i = 0; i < 5; i++) {
    const start = performance.now()
    loadCoder(buildDir)
    loads.push(performance.now() - start)
  }
  const titles = syntheticTitles(buildDir, 20000)
  // a fresh coder for the latencies; its index tells how many titles the build's known rankings
  // answer (their normalised form is an official title's)
  const freshIndex = loadCoderIndex(buildDir)
  const fresh = createCoder(freshIndex)
  const known = new Set(freshIndex.knownKeys.split('\n'))
  const knownShare = (ts: readonly string[]) =>
    ts.filter((t) => known.has(keyOf(normalizeTitle(t, fresh.lexicon)))).length / ts.length
  const devTitles = existsSync(dev) ? readLabelled(dev).map((x) => x.title) : []
  const lat: number[] = []
  for (const t of titles) {
    const start = performance.now()
    fresh.code({ title: t })
    lat.push(performance.now() - start)
  }
  const p99 = quantile(lat, 0.99)
  console.log(
    `index load (in process, 5 runs): median ${fmt(median(loads), 0)} ms (target <= 300 ms: ${verdict(median(loads) <= 300)})`,
  )
  console.log(
    `answered from the known rankings: ${pct(knownShare(titles))} of the 20,000 synthetic titles${devTitles.length ? `, ${pct(knownShare(devTitles))} of dev's` : ''}`,
  )
  console.log(
    `single query (in process, 20,000 synthetic titles): p50 ${fmt(quantile(lat, 0.5) * 1000, 0)} us, p99 ${fmt(p99 * 1000, 0)} us (target <= 2 ms: ${verdict(p99 <= 2)}), mean ${fmt((lat.reduce((a, b) => a + b, 0) / lat.length) * 1000, 0)} us`,
  )

  // whole process: soc code on 20,000 distinct titles
  const dir = mkdtempSync(join(tmpdir(), 'soc-bench-coder-'))
  try {
    const file = join(dir, 'titles.jsonl')
    writeFileSync(file, `${titles.map((t) => JSON.stringify({ title: t })).join('\n')}\n`)
    const input = readFileSync(file)
    const runs = [0, 1, 2].map(() =>
      timeProcess(
        'node',
        [cli, 'code', '--format', 'jsonl', '--build-dir', buildDir, '--reference', reference],
        { input },
      ),
    )
    const wall = median(runs.map((r) => r.wallMs))
    const rate = titles.length / (wall / 1000)
    const rss = runs.map((r) => r.rssMb).filter((x): x is number => x !== null)
    const outLines = runs[0]?.stdout.toString().split('\n').filter(Boolean).length
    console.log(
      `soc code, whole process, 20,000 distinct titles (3 runs): median ${fmt(wall / 1000, 2)} s = ${fmt(rate, 0)} titles/s (target >= 20,000: ${verdict(rate >= 20000)}); ${outLines} output lines`,
    )
    if (rss.length)
      console.log(
        `  peak RSS ${fmt(median(rss), 0)} MB (target <= 200 MB: ${verdict(median(rss) <= 200)})`,
      )

    // MiniSearch (BM25+, fuzzy 0.2, prefix) over the same official titles, in the same run
    const file2 = JSON.parse(readFileSync(join(buildDir, 'titles.json'), 'utf8')) as {
      titles: [string, string, number][]
    }
    const t0 = performance.now()
    const ms = new MiniSearch<{ id: number; title: string; code: string }>({
      fields: ['title'],
      storeFields: ['code'],
    })
    ms.addAll(file2.titles.map(([title, code], id) => ({ id, title, code })))
    const msLoad = performance.now() - t0
    const sample = titles.slice(0, 400)
    const t1 = performance.now()
    for (const t of sample) ms.search(t, { fuzzy: 0.2, prefix: true })
    const msRate = sample.length / ((performance.now() - t1) / 1000)
    console.log(
      `MiniSearch fuzzy 0.2 + prefix, same titles: ${fmt(msRate, 0)} titles/s in process (400 titles; index build ${fmt(msLoad / 1000, 1)} s); soc code is ${fmt(rate / msRate, 0)}x faster whole-process (target >= 100x: ${verdict(rate / msRate >= 100)})`,
    )
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
