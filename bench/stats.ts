/**
 * Benchmark of the state's side: a synthetic year (4 quarters x 350,000 workers, 20,000 employers)
 * checked and ingested file by file into SQLite through the same path as `soc stats ingest`, then
 * every report query timed. `node --import tsx bench/stats.ts [--workers N --employers N]
 * [--keep FILE | --keep postgres://...]` (a SQLite file is kept and reused; a PostgreSQL database is filled)
 */
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { loadCoder } from '../src/core/coder/open.ts'
import type { Level } from '../src/core/codes.ts'
import { createKeySet } from '../src/core/key-set.ts'
import { loadTaxonomy } from '../src/core/load.ts'
import { programOutcomes, residencyReport } from '../src/core/outcomes.ts'
import {
  occupationReport,
  occupationTable,
  parsePeriod,
  topOccupations,
} from '../src/core/stats.ts'
import { generateWorkforce } from '../src/core/synthetic.ts'
import { ensureBuiltSync } from '../src/data/ensure-sync.ts'
import { resolveBuildDir, resolveReferenceDir } from '../src/data/paths.ts'
import { personKey, prepareSubmission } from '../src/ingest/submission.ts'
import { isPostgresUrl, openStore } from '../src/store/open.ts'
import { openSqliteStore } from '../src/store/sqlite.ts'
import { ingestInput } from '../src/store/store.ts'
import { fmt, median, verdict } from './util.ts'

export async function benchStats(
  buildDir: string,
  workers = 350_000,
  employers = 20_000,
  /** keep the database here; when it exists, reuse it and skip the ingest (for trying query changes) */
  keep?: string,
): Promise<void> {
  const taxonomy = loadTaxonomy(buildDir)
  const coder = loadCoder(buildDir)
  const dir = mkdtempSync(join(tmpdir(), 'soc-bench-stats-'))
  const pgUrl = keep && isPostgresUrl(keep) ? keep : null
  const path = pgUrl ? '' : (keep ?? join(dir, 'soc.db'))
  // a postgres:// URL: an empty database to fill (never reused)
  const reuse = !pgUrl && keep !== undefined && existsSync(keep)
  const store = pgUrl ? await openStore(pgUrl) : openSqliteStore(path)
  try {
    const secret = await store.secret('person-key')
    const quarters = [20241, 20242, 20243, 20244]
    const w = generateWorkforce({
      workers,
      employers,
      quarters,
      seed: 11,
      codes: taxonomy.reportableCodes(),
    })
    let files = 0
    let rows = 0
    let prepMs = 0
    let storeMs = 0
    let peak = 0
    // checked like soc report check, then stored one transaction a file, as soc stats ingest does
    const ingestAll = async (all: Iterable<{ account: string; quarter: number; text: string }>) => {
      for (const f of all) {
        if (reuse) continue
        const a = performance.now()
        const p = await prepareSubmission(Buffer.from(f.text), { taxonomy, coder, secret })
        const b = performance.now()
        await store.ingest(
          ingestInput(p, {
            account: f.account,
            quarter: f.quarter,
            fileName: `${f.account}.csv`,
            forced: false,
            actor: 'bench',
          }),
        )
        storeMs += performance.now() - b
        prepMs += b - a
        files++
        rows += p.rows
        if (files % 5000 === 0) peak = Math.max(peak, process.memoryUsage().rss)
      }
    }
    const t0 = performance.now()
    await ingestAll(w.files)
    const ingestMs = performance.now() - t0
    const r0 = performance.now()
    await store.quarterData(quarters)
    const refreshMs = performance.now() - r0
    peak = Math.max(peak, process.memoryUsage().rss)
    if (!reuse)
      console.log(
        `ingest: ${fmt(files, 0)} files, ${fmt(rows, 0)} rows in ${fmt(ingestMs / 1000)} s (check ${fmt(prepMs / 1000)} s, store ${fmt(storeMs / 1000)} s), ${fmt(rows / (ingestMs / 1000), 0)} rows/s; quarter snapshots ${fmt(refreshMs)} ms; database ${pgUrl ? 'PostgreSQL' : `${fmt(statSync(path).size / 1048576)} MB`}; peak RSS ${fmt(peak / 1048576, 0)} MB   ${verdict(ingestMs + refreshMs <= 60_000)} (target <= 60 s)`,
      )
    // the previous year, for the change on the year: the same firms a year earlier
    const prev = generateWorkforce({
      workers,
      employers,
      quarters: [20234],
      seed: 11,
      codes: taxonomy.reportableCodes(),
    })
    await ingestAll(prev.files)
    await store.quarterData([20234])
    // the residents as the API holds them (readIdentifiers): 77% of the people
    const keys: number[] = []
    for (let p = 1; p <= w.persons(); p++)
      if (p % 100 < 77) keys.push(personKey(secret, w.ssnOf(p).replace(/-/g, '')))
    const residents = createKeySet(keys)
    const participants = Array.from({ length: 5000 }, (_, i) => ({
      person: personKey(secret, w.ssnOf(1 + i * 61).replace(/-/g, '')),
      cip: ['51.3902', '52.0201', '46.0302', '03.0301', '11.0101'][i % 5] as string,
      exitQuarter: 20234,
    }))
    // a table (or residency report) of the stored year, one period and view of it
    const table = (period: string, level: Level, byArea: boolean) => async () =>
      occupationTable(await store.quarterData(quarters), parsePeriod(period), taxonomy, {
        level,
        byArea,
      })
    const residency = (period: string, level: Level) => async () =>
      residencyReport(await store.quarterData(quarters), parsePeriod(period), taxonomy, residents, {
        level,
        byArea: true,
      })
    const queries: [string, () => Promise<unknown>][] = [
      [
        'a year of snapshots, kept by this process (checked against the versions)',
        () => store.quarterData(quarters),
      ],
      [
        'a year of snapshots, read by a new process from the database',
        async () => {
          const other = pgUrl ? await openStore(pgUrl) : openSqliteStore(path)
          try {
            return await other.quarterData(quarters)
          } finally {
            await other.close()
          }
        },
      ],
      [
        'occupations 2024Q3, major x area (first: the year and its four quarters)',
        table('2024Q3', 'major', true),
      ],
      ['occupations 2024, detailed x area', table('2024', 'detailed', true)],
      ['occupations 2024Q4, extension, statewide', table('2024Q4', 'extension', false)],
      [
        'top 10 + change on 2023Q4, detailed',
        async () => {
          const r = await occupationReport(
            (q) => store.quarterData(q),
            parsePeriod('2024Q4'),
            taxonomy,
            { level: 'detailed', byArea: false },
            true,
          )
          return topOccupations(r.table, 10)
        },
      ],
      ['residency 2024, detailed x area', residency('2024', 'detailed')],
      [
        'residency 2024Q2, major x area (the year and its quarters linked)',
        residency('2024Q2', 'major'),
      ],
      [
        'programs, 5,000 participants',
        async () => programOutcomes(participants, await store.quarterData(quarters), taxonomy),
      ],
    ]
    for (const [name, q] of queries) {
      const times: number[] = []
      for (let i = 0; i < 5; i++) {
        const a = performance.now()
        await q()
        times.push(performance.now() - a)
      }
      const worst = Math.max(...times)
      console.log(
        `  ${name}: median ${fmt(median(times))} ms, max ${fmt(worst)} ms   ${verdict(worst <= 500)} (<= 500 ms)`,
      )
    }
  } finally {
    await store.close()
    if (!keep) rmSync(dir, { recursive: true, force: true })
  }
}

const isMain = process.argv[1]?.endsWith('bench/stats.ts')
if (isMain) {
  const { values } = parseArgs({
    options: {
      workers: { type: 'string' },
      employers: { type: 'string' },
      keep: { type: 'string' },
    },
  })
  const buildDir = resolveBuildDir()
  ensureBuiltSync({ reference: resolveReferenceDir(), buildDir })
  await benchStats(
    buildDir,
    Number(values.workers ?? 350_000),
    Number(values.employers ?? 20_000),
    values.keep,
  )
}
