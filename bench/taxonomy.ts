/** Benchmarks of the classification: `soc data build` and a cold `soc show` process. */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fmt, median, timeProcess, verdict } from './util.ts'

export function benchTaxonomy(cli: string, reference: string): void {
  const buildDir = mkdtempSync(join(tmpdir(), 'soc-bench-build-'))
  try {
    const builds = [0, 1, 2].map(
      () =>
        timeProcess('node', [
          cli,
          'data',
          'build',
          '--force',
          '--reference',
          reference,
          '--build-dir',
          buildDir,
        ]).wallMs,
    )
    const b = median(builds)
    console.log(
      `soc data build (whole process, 3 runs): median ${fmt(b / 1000, 2)} s [${builds.map((x) => fmt(x / 1000, 2)).join(', ')}]  target < 15 s: ${verdict(b < 15000)}`,
    )

    const args = [cli, 'show', '11-1021', '--reference', reference, '--build-dir', buildDir]
    timeProcess('node', args) // warm the file cache: "cold" means a new process, not a cold disk
    const runs = Array.from({ length: 11 }, () => timeProcess('node', args))
    const wall = median(runs.map((r) => r.wallMs))
    const rss = runs.map((r) => r.rssMb).filter((x): x is number => x !== null)
    const rssMed = rss.length ? median(rss) : null
    console.log(
      `cold soc show 11-1021 (new process, 11 runs): median ${fmt(wall, 0)} ms (min ${fmt(Math.min(...runs.map((r) => r.wallMs)), 0)}, max ${fmt(Math.max(...runs.map((r) => r.wallMs)), 0)})  target <= 150 ms: ${verdict(wall <= 150)}`,
    )
    console.log(
      rssMed === null
        ? 'cold soc show RSS: not measured (no /usr/bin/time)'
        : `cold soc show peak RSS: median ${fmt(rssMed, 0)} MB (max ${fmt(Math.max(...rss), 0)})  target <= 120 MB: ${verdict(rssMed <= 120)}`,
    )
  } finally {
    rmSync(buildDir, { recursive: true, force: true })
  }
}
