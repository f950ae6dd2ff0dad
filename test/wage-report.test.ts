/** Wage-file checks on generated files with known faults, SSN masking, and malformed files. */
import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { describe, it } from 'node:test'
import { generateWageFile } from '../src/core/synthetic.ts'
import type { ReportIssue } from '../src/core/wage-report.ts'
import { checkSsn, createWageChecker, maskSsn, parseWages } from '../src/core/wage-report.ts'
import { readWageFile } from '../src/ingest/wage-file.ts'
import { coder, runSoc, taxonomy } from './helpers.ts'

async function check(text: string | Buffer | AsyncIterable<Buffer>, options = {}) {
  const checker = createWageChecker({ taxonomy: taxonomy(), coder: coder(), ...options })
  const issues: ReportIssue[] = []
  const src =
    typeof text === 'string' || Buffer.isBuffer(text) ? Readable.from([Buffer.from(text)]) : text
  for await (const item of readWageFile(src as AsyncIterable<Buffer>)) {
    if ('issue' in item) issues.push(item.issue)
    else issues.push(...checker.checkRow(item.row))
  }
  return issues
}

const soc = (argv: string[]) => runSoc(argv)

describe('wage-report rules', () => {
  it('checks SSNs: format, never-issued areas, group 00, serial 0000', () => {
    assert.equal(checkSsn('774-01-0001').ok, true)
    assert.equal(checkSsn('774010001').ok, true)
    for (const bad of [
      '',
      '12-345-6789',
      '77401000',
      '000-12-3456',
      '666-12-3456',
      '912-34-5678',
      '774-00-1234',
      '774-12-0000',
    ]) {
      assert.equal(checkSsn(bad).ok, false, bad)
    }
    assert.equal(maskSsn('774-01-2345'), '***-**-2345')
  })
  it('reads wages with at most two decimals, positive only', () => {
    assert.deepEqual(parseWages('$1,234.50'), { ok: true, cents: 123450 })
    assert.equal(parseWages('0').ok, false)
    assert.equal(parseWages('-5').ok, false)
    assert.equal(parseWages('1.234').ok, false)
  })
})

describe('wage-report on generated files', () => {
  it('reports every injected fault on its row, and no error on a clean row', async () => {
    const g = generateWageFile({ rows: 3000, seed: 7, faultRate: 0.2 })
    const text = `${[...g.lines].join('\n')}\n`
    const issues = await check(text)
    const byRow = new Map<number, ReportIssue[]>()
    for (const i of issues) byRow.set(i.row, [...(byRow.get(i.row) ?? []), i])
    const faultRows = new Set(g.faults.map((f) => f.row))
    assert.ok(g.faults.length > 400)
    for (const f of g.faults) {
      const kinds = (byRow.get(f.row) ?? []).map((i) => i.kind)
      assert.ok(
        kinds.includes(f.kind),
        `row ${f.row}: injected ${f.kind}, reported ${kinds.join(', ') || 'nothing'}`,
      )
    }
    for (const [row, list] of byRow) {
      if (faultRows.has(row)) continue
      const errors = list.filter((i) => i.severity === 'error')
      assert.deepEqual(errors, [], `clean row ${row} got errors`)
    }
  })

  it('never shows an SSN unmasked in the report, the issues CSV or the JSON', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'soc-wages-'))
    const g = generateWageFile({ rows: 500, seed: 3, faultRate: 0.3 })
    const lines = [...g.lines]
    const file = join(dir, 'wages.csv')
    writeFileSync(file, `${lines.join('\n')}\n`)
    const ssns = lines
      .slice(1)
      .map((l) => l.split(',')[0] as string)
      .filter((s) => s.replace(/\D/g, '').length >= 5)
    const text = await soc(['report', 'check', file, '--issues', join(dir, 'issues.csv')])
    const json = await soc(['report', 'check', file, '--json'])
    const outputs = [
      text.out,
      text.err,
      json.out,
      json.err,
      readFileSync(join(dir, 'issues.csv'), 'utf8'),
    ]
    for (const s of ssns) {
      const digits = s.replace(/\D/g, '')
      for (const o of outputs) {
        assert.ok(!o.includes(s), `SSN ${maskSsn(s)} appears unmasked`)
        assert.ok(
          !o.replace(/\D/g, ' ').split(' ').includes(digits),
          `SSN digits ${maskSsn(s)} appear`,
        )
      }
    }
    assert.equal(text.code, 1)
  })

  it('writes every row to the corrected file, in order, with the accepted fixes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'soc-wages-'))
    const file = join(dir, 'w.csv')
    writeFileSync(
      file,
      'SSN,Last Name,First Name,Job Title,Occupation Code,Wages,Area Code\r\n' +
        '774-01-0001,Smith,Ann,Registered Nurse,29-1141.01,1000.00,01\r\n' +
        '775-01-0001,"Olsen, Jr",Bo,Seafood Processor,,2000,02\r\n' +
        '776-01-0001,Kim,Lee,Cashier,41-2011,0,03\r\n',
    )
    const r = await soc([
      'report',
      'check',
      file,
      '--fix',
      'codes:0.5',
      '--out',
      join(dir, 'fixed.csv'),
      '--json',
    ])
    const body = JSON.parse(r.out) as { rows: number; issues: { row: number; kind: string }[] }
    assert.equal(body.rows, 3)
    assert.deepEqual(
      body.issues.map((i) => `${i.row}:${i.kind}`),
      ['2:occupation-onet', '3:occupation-missing', '4:wages-not-positive'],
    )
    const fixed = readFileSync(join(dir, 'fixed.csv'), 'utf8').trim().split('\n')
    assert.deepEqual(fixed, [
      '774010001,Smith,Ann,1000.00,29-1141,01',
      '775010001,Olsen Jr,Bo,2000.00,51-3022.05,02',
      '776010001,Kim,Lee,0,41-2011,03',
    ])
  })
})

describe('the corrected file', () => {
  it('keeps every employee row once, in order; leaves out blank and total rows, each reported', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'soc-wages-'))
    const file = join(dir, 'state.csv')
    writeFileSync(
      file,
      '774-01-0001,Smith,Ann,100.00,29-1141,01\n\n775-01-0001,"Olsen",Bo,50,41-2011,02\n776-01-0001,Kim,Lee,75,41-2011\n,,TOTAL,225.00,,\n777-01-0001,Ng,"Al,25,41-2011,02\n',
    )
    const r = await soc(['report', 'check', file, '--out', join(dir, 'fixed.csv'), '--json'])
    const body = JSON.parse(r.out) as { issues: { row: number; kind: string }[] }
    assert.deepEqual(
      body.issues.map((i) => `${i.row}:${i.kind}`),
      [
        '2:file-blank-line',
        '3:file-quotes',
        '4:file-columns',
        '4:area-format',
        '5:file-total-row',
        '6:file-unreadable-row',
      ],
    )
    assert.deepEqual(readFileSync(join(dir, 'fixed.csv'), 'utf8').trim().split('\n'), [
      '774010001,Smith,Ann,100.00,29-1141,01',
      '775010001,Olsen,Bo,50.00,41-2011,02',
      '776010001,Kim,Lee,75.00,41-2011,',
      '777-01-0001,Ng,"Al,25,41-2011,02',
    ])
  })
})

describe('the state extension', () => {
  it('suggests 51-3022.05 for 51-3022 in seafood processing, as a warning', async () => {
    const file =
      'SSN,Last Name,First Name,Job Title,Occupation Code,Wages,Area Code\n' +
      '774-01-0001,Smith,Ann,Fish Processor,51-3022,1000.00,01\n' +
      '774-01-0002,Kim,Lee,Cashier,41-2011,1000.00,01\n'
    const issues = await check(file, { industry: '311712' })
    assert.deepEqual(
      issues.map((i) => `${i.row}:${i.kind}:${i.severity}:${i.suggestion}`),
      ['2:occupation-extension:warning:51-3022.05'],
    )
  })
})

describe('malformed wage files', () => {
  it('refuses an empty file, a binary file and a header without the needed columns with one clear error', async () => {
    await assert.rejects(check(''), /empty/)
    await assert.rejects(
      check(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d])),
      /binary/,
    )
    await assert.rejects(check('Name,Amount\nA,1\n'), /no ssn, occupation column/)
  })
  it('flags a header-only file, a blank line, an unterminated quote and a total row', async () => {
    const header = 'SSN,Last Name,First Name,Occupation Code,Wages,Area Code\n'
    assert.deepEqual(
      (await check(header)).map((i) => i.kind),
      ['file-unreadable-row'],
    )
    const issues = await check(
      `${header}774-01-0001,Smith,Ann,29-1141,100.00,01\n\n775-01-0001,"Olsen,Bo,29-1141,100.00,01\n,,TOTAL,,200.00,\n`,
    )
    assert.deepEqual(
      issues.map((i) => `${i.row}:${i.kind}`),
      ['3:file-blank-line', '4:file-unreadable-row', '5:file-total-row'],
    )
  })
  it('reads Windows-1252 names and CRLF lines', async () => {
    const bytes = Buffer.from(
      'SSN,Last Name,First Name,Occupation Code,Wages,Area Code\r\n774-01-0001,Pe\xf1a,Jos\xe9,29-1141,100.00,01\r\n',
      'latin1',
    )
    const rows: string[] = []
    for await (const item of readWageFile(Readable.from([bytes]) as AsyncIterable<Buffer>))
      if ('row' in item) rows.push(`${item.row.lastName} ${item.row.firstName}`)
    assert.deepEqual(rows, ['Peña José'])
  })
  it('survives a 100 MB single line with one issue and bounded memory', async () => {
    const chunk = Buffer.alloc(1024 * 1024, 0x61)
    const before = process.memoryUsage().heapUsed
    let peak = 0
    async function* huge() {
      yield Buffer.from('SSN,Last Name,First Name,Occupation Code,Wages,Area Code\n')
      for (let i = 0; i < 100; i++) {
        peak = Math.max(peak, process.memoryUsage().heapUsed - before)
        yield chunk
      }
      yield Buffer.from('\n774-01-0001,Smith,Ann,29-1141,100.00,01\n')
    }
    const issues = await check(huge())
    assert.deepEqual(
      issues.map((i) => `${i.row}:${i.kind}`),
      ['2:file-unreadable-row'],
    )
    // holding the line would take at least 100 MB of heap
    assert.ok(
      peak < 64 * 1024 * 1024,
      `heap grew by ${Math.round(peak / 1048576)} MB while reading the line`,
    )
  })
  it('reads an XLSX workbook, restoring leading zeros Excel dropped, and refuses a broken one', async () => {
    const ExcelJS = (await import('exceljs')).default
    const wb = new ExcelJS.Workbook()
    const ws = wb.addWorksheet('Q3')
    ws.addRow(['SSN', 'Employee Name', 'Job Title', 'SOC', 'Gross Wages', 'Area Code'])
    ws.addRow([774010001, 'Smith, Ann', 'Registered Nurse', '29-1141', 1000.5, 1])
    ws.addRow(['775-01-0001', 'Bo Olsen', 'Seafood Processor', '', 2000, '02'])
    const bytes = Buffer.from(await wb.xlsx.writeBuffer())
    const rows: string[] = []
    const issues: string[] = []
    for await (const item of readWageFile(Readable.from([bytes]) as AsyncIterable<Buffer>)) {
      if ('row' in item) rows.push(`${item.row.row}:${item.row.lastName}:${item.row.area}`)
      else issues.push(item.issue.kind)
    }
    assert.deepEqual(rows, ['2:Smith:01', '3:Olsen:02'])
    assert.deepEqual(issues, [])
    const broken = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(100, 7)])
    await assert.rejects(check(broken), /XLSX workbook cannot be read/)
  })
  it('reads the state upload format without a header, and a fixed-width layout', async () => {
    const state = await check(
      '774-01-0001,Smith,Ann,100.00,29-1141,01\n775-01-0001,Kim,Lee,50,15-1132,02\n',
    )
    assert.deepEqual(
      state.map((i) => `${i.row}:${i.kind}`),
      ['2:occupation-soc2010'],
    )
    const { parseLayout } = await import('../src/ingest/wage-file.ts')
    const layout = parseLayout(
      'fixed:ssn@1+9,last@10+10,first@20+10,wages@30+10,soc@40+10,area@50+2',
    )
    const line = `${'774010001'}${'Smith'.padEnd(10)}${'Ann'.padEnd(10)}${'100.00'.padEnd(10)}${'29-1141'.padEnd(10)}01\n`
    const items = []
    for await (const item of readWageFile(
      Readable.from([Buffer.from(line)]) as AsyncIterable<Buffer>,
      { layout },
    ))
      items.push(item)
    assert.equal(items.length, 1)
    const row = (
      items[0] as { row: { ssn: string; lastName: string; occupation: string; area: string } }
    ).row
    assert.deepEqual(
      [row.ssn, row.lastName, row.occupation, row.area],
      ['774010001', 'Smith', '29-1141', '01'],
    )
  })
})
