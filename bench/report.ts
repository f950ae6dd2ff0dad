/** Benchmark of soc report check: a synthetic 1,000,000-row wage file, whole process, streaming. */
import { appendFileSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { generateWageFile } from '../src/core/synthetic.ts'
import { fmt, timeProcess, verdict } from './util.ts'

export function benchReport(
  cli: string,
  reference: string,
  buildDir: string,
  rows = 1_000_000,
): void {
  const dir = mkdtempSync(join(tmpdir(), 'soc-bench-report-'))
  try {
    const file = join(dir, 'wages.csv')
    writeFileSync(file, '')
    const g = generateWageFile({ rows, seed: 5, faultRate: 0.1 })
    let buf = ''
    for (const line of g.lines) {
      buf += `${line}\n`
      if (buf.length > 1 << 20) {
        appendFileSync(file, buf)
        buf = ''
      }
    }
    appendFileSync(file, buf)
    const mb = statSync(file).size / 1024 / 1024
    const args = [
      cli,
      'report',
      'check',
      file,
      '--fix',
      'codes:0.9',
      '--out',
      join(dir, 'fixed.csv'),
      '--issues',
      join(dir, 'issues.csv'),
      '--build-dir',
      buildDir,
      '--reference',
      reference,
    ]
    const r = timeProcess('node', args, { allowStatus: [0, 1] })
    console.log(
      `soc report check, ${rows.toLocaleString('en-US')} rows (${fmt(mb, 0)} MB, ${g.faults.length.toLocaleString('en-US')} faults), corrected file and issues CSV written: ${fmt(r.wallMs / 1000, 1)} s (target <= 20 s: ${verdict(r.wallMs <= 20000)}), peak RSS ${r.rssMb === null ? 'not measured' : `${fmt(r.rssMb, 0)} MB (target <= 300 MB: ${verdict(r.rssMb <= 300)})`}`,
    )
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
