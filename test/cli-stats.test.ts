/** soc stats and soc token, in-process, on a SQLite file. */
import assert from 'node:assert/strict'
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { generateWorkforce } from '../src/core/synthetic.ts'
import { runSoc } from './helpers.ts'

const dir = mkdtempSync(join(tmpdir(), 'soc-cli-stats-'))
const db = join(dir, 'soc.db')
const w = generateWorkforce({ workers: 400, employers: 25, quarters: [20241, 20242], seed: 9 })
for (const f of w.files) {
  mkdirSync(join(dir, `q${f.quarter}`), { recursive: true })
  writeFileSync(join(dir, `q${f.quarter}`, `${f.account}.csv`), f.text)
}
const soc = (argv: string[]) => runSoc([...argv, '--db', db])

describe('soc stats', () => {
  it('ingests folders of files named by account, and not twice', async () => {
    const a = await soc(['stats', 'ingest', join(dir, 'q20241'), '--quarter', '2024Q1'])
    assert.equal(a.code, 0, a.err)
    assert.match(a.out, /25 stored, 0 replaced, 0 duplicates, 0 refused/)
    const b = await soc(['stats', 'ingest', join(dir, 'q20242'), '--quarter', '2024Q2'])
    assert.equal(b.code, 0)
    const again = await soc(['stats', 'ingest', join(dir, 'q20241'), '--quarter', '2024Q1'])
    assert.match(again.out, /0 stored, 0 replaced, 25 duplicates/)
    const q = await soc(['stats', 'quarters'])
    assert.equal(q.out, '2024Q1\n2024Q2\n')
  })

  it('takes the quarter from folders named after it, and asks for --quarter otherwise', async () => {
    const other = join(dir, 'named.db')
    const w2 = generateWorkforce({ workers: 60, employers: 4, quarters: [20243, 20244], seed: 3 })
    for (const f of w2.files) {
      const folder = join(dir, 'named', f.quarter === 20243 ? '2024Q3' : '2024q4')
      mkdirSync(folder, { recursive: true })
      writeFileSync(join(folder, `${f.account}.csv`), f.text)
    }
    const both = await runSoc([
      'stats',
      'ingest',
      join(dir, 'named', '2024Q3'),
      join(dir, 'named', '2024q4'),
      '--db',
      other,
    ])
    assert.equal(both.code, 0, both.err)
    assert.match(both.out, /8 stored/)
    const q = await runSoc(['stats', 'quarters', '--db', other])
    assert.equal(q.out, '2024Q3\n2024Q4\n')
    // a folder that is no quarter: one line naming it, exit 2
    const none = await runSoc(['stats', 'ingest', join(dir, 'q20241'), '--db', other])
    assert.equal(none.code, 2)
    assert.match(none.err, /missing --quarter for ".*q20241", e\.g\. --quarter 2024Q1/)
  })

  it('refuses a file with errors (exit 1) unless forced, and names the problem without the SSN', async () => {
    const bad = join(dir, '7777777.csv')
    writeFileSync(
      bad,
      '773-01-0001,Doe,Jane,abc,51-3022.05,02\n773-01-0002,Roe,Ann,5000,51-3022.05,02\n',
    )
    const r = await soc(['stats', 'ingest', bad, '--quarter', '2024Q1'])
    assert.equal(r.code, 1)
    assert.match(r.err, /7777777\.csv: refused, 1 error \(first: wages "abc" at row 1/)
    assert.ok(!r.err.includes('773-01-0001'))
    const f = await soc(['stats', 'ingest', bad, '--quarter', '2024Q1', '--force'])
    assert.equal(f.code, 0, f.err)
    assert.match(
      f.out,
      /stored as #\d+, account 7777777 2024Q1: 1 of 2 rows \(1 rows without a valid SSN or wages left out\)/,
    )
  })

  it('prints occupations with (D) for suppressed cells, as a table, CSV and JSON', async () => {
    const t = await soc(['stats', 'occupations', '--period', '2024', '--level', 'major'])
    assert.equal(t.code, 0, t.err)
    assert.match(
      t.out,
      /^Occupations, 2024 \(2024Q1, 2024Q2, 2024Q3, 2024Q4\), major level; no records for 2024Q3, 2024Q4/,
    )
    assert.match(t.out, /All occupations\s+total/)
    assert.match(t.out, /\(D\): not disclosed/)
    const csv = await soc([
      'stats',
      'occupations',
      '--period',
      '2024Q1',
      '--level',
      'detailed',
      '--by',
      'area',
      '--format',
      'csv',
    ])
    assert.match(csv.out, /^period,level,code,title,area,workers,wages,median_wages,suppressed\n/)
    const json = await soc(['stats', 'occupations', '--period', '2024Q2', '--top', '3', '--json'])
    const body = JSON.parse(json.out) as { top: unknown[]; period: string }
    assert.equal(body.period, '2024Q2')
    assert.ok(body.top.length <= 3)
    const bad = await soc(['stats', 'occupations', '--period', '2024', '--level', 'tiny'])
    assert.equal(bad.code, 2)
    assert.match(
      bad.err,
      /invalid --level "tiny"; expected one of: major, minor, broad, detailed, extension/,
    )
    // a quarter with no records: zeros, and no median (not a suppressed one)
    const empty = await soc(['stats', 'occupations', '--period', '2024Q4'])
    assert.match(empty.out, /All occupations\s+total\s+0\s+\$0\s+-\n/)
    const none = await soc(['stats', 'occupations'])
    assert.equal(none.code, 2)
    assert.match(none.err, /missing --period, e.g. --period 2024Q1/)
  })

  it('reports residency and program outcomes from files of SSNs', async () => {
    const residents = join(dir, 'residents.txt')
    const list: string[] = ['ssn']
    for (let p = 1; p <= w.persons(); p++) if (p % 5) list.push(w.ssnOf(p))
    writeFileSync(residents, list.join('\n'))
    const r = await soc(['stats', 'residency', '--period', '2024Q1', '--residents', residents])
    assert.equal(r.code, 0, r.err)
    assert.match(r.out, /Nonresident workers, 2024Q1, major level \([\d,]+ residents listed\)/)
    const part = join(dir, 'participants.csv')
    writeFileSync(
      part,
      [
        'SSN,CIP Code,Exit Date',
        ...Array.from({ length: 12 }, (_, i) => `${w.ssnOf(i + 1)},51.3902,12/15/2023`),
        '123,51.3902,2023-12-01',
      ].join('\n'),
    )
    const p = await soc(['stats', 'programs', '--participants', part])
    assert.equal(p.code, 0, p.err)
    assert.match(
      p.out,
      /51\.3902 Nursing Assistant\/Aide and Patient Care Assistant\/Aide: 12 participants/,
    )
    assert.match(p.out, /quarter 1 after exit: 12 observed, 100% employed/)
    assert.match(p.err, /row 14: SSN \*\*\*: not 9 digits/)
  })

  it('generates a synthetic workforce to try it with, then ingests it', async () => {
    const demo = join(dir, 'demo')
    const g = await runSoc([
      'stats',
      'generate',
      demo,
      '--rows',
      '300',
      '--employers',
      '20',
      '--quarter',
      '2025Q1',
    ])
    assert.equal(g.code, 0, g.err)
    assert.match(g.out, /^20 files \(20 employers x 1 quarters, about 300 workers a quarter\)/)
    const other = join(dir, 'demo.db')
    const i = await runSoc([
      'stats',
      'ingest',
      join(demo, '2025Q1'),
      '--quarter',
      '2025Q1',
      '--db',
      other,
    ])
    assert.equal(i.code, 0, i.err)
    assert.match(i.out, /20 stored/)
    const p = await runSoc([
      'stats',
      'programs',
      '--participants',
      join(demo, 'participants.csv'),
      '--db',
      other,
    ])
    assert.match(p.out, /quarter 1 after exit: \d+ observed/)
    const bad = await runSoc(['stats', 'generate', demo, '--rows', '10', '--employers', '50'])
    assert.equal(bad.code, 2)
  })

  it('says in one line when the store cannot be opened', async () => {
    const r = await runSoc(['stats', 'quarters', '--db', join(dir, 'no', 'such', 'folder.db')])
    assert.equal(r.code, 1)
    assert.match(
      r.err,
      /^soc: cannot open the store \(SQLite .*folder\.db\): .*directory does not exist\n$/,
    )
  })

  it('creates, lists and revokes tokens; the audit log records reads', async () => {
    const c = await soc([
      'token',
      'create',
      '--role',
      'employer',
      '--account',
      '1000000',
      '--label',
      'payroll',
    ])
    assert.equal(c.code, 0, c.err)
    assert.match(c.out, /^soc_[A-Za-z0-9_-]{43}\n$/)
    assert.match(c.err, /token #\d+ \(employer, account 1000000, "payroll"\): shown once/)
    const noAccount = await soc(['token', 'create', '--role', 'employer'])
    assert.equal(noAccount.code, 2)
    const l = await soc(['token', 'list'])
    assert.match(l.out, /employer account 1000000 "payroll"/)
    const id = /#(\d+)/.exec(c.err)?.[1] as string
    assert.equal((await soc(['token', 'revoke', id])).code, 0)
    assert.equal((await soc(['token', 'revoke', id])).code, 1)
    const a = await soc(['stats', 'audit', '--rows', '20'])
    assert.match(a.out, /read stats\/occupations/)
    assert.match(a.out, /read stats\/residency period 2024Q1/)
  })
})
