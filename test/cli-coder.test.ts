/** soc find and soc code: one result per input record, in order, whatever the input holds. */
import assert from 'node:assert/strict'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { coder, runSoc } from './helpers.ts'

const soc = (argv: string[], stdin?: Buffer | string) =>
  runSoc(argv, stdin === undefined ? {} : { stdin })

const lines = (s: string) => s.split('\n').filter((l) => l !== '')

describe('soc find', () => {
  coder()
  it('ranks codes for a title, with the matched title', async () => {
    const r = await soc(['find', 'slime line worker'])
    assert.equal(r.code, 0, r.err)
    assert.match(r.out, /51-3022\.05/)
    assert.match(r.out, /Slime Line Worker/)
  })
  it('says how it read the industry', async () => {
    const r = await soc(['find', 'crew member', '--industry', '721101', '-k', '2'])
    assert.equal(r.code, 0, r.err)
    assert.match(r.out, /industry: 721101 read as 7211 Traveler Accommodation/)
  })
  it('takes an industry and prints JSON', async () => {
    const r = await soc(['find', 'processor', '--industry', '311712', '-k', '3', '--json'])
    const j = JSON.parse(r.out) as { candidates: { code: string }[]; status: string }
    assert.equal(j.candidates.length, 3)
    assert.equal(j.candidates[0]?.code, '51-3022.05')
  })
  it('rejects a bad industry or k as a usage error naming the value', async () => {
    const a = await soc(['find', 'cook', '--industry', 'fish'])
    assert.equal(a.code, 2)
    assert.match(a.err, /"fish"/)
    const b = await soc(['find', 'cook', '-k', '0'])
    assert.equal(b.code, 2)
    assert.match(b.err, /-k "0"/)
  })
})

describe('soc code', () => {
  it('writes one JSONL result per record, in order, whatever the record holds', async () => {
    const input = Buffer.concat([
      Buffer.from('{"title":"Line Cook"}\n'),
      Buffer.from('\n'),
      Buffer.from('{"title": broken\n'),
      Buffer.from(`{"title":"${'Cook '.repeat(2000)}"}\n`),
      Buffer.from([
        0x7b, 0x22, 0x74, 0x69, 0x74, 0x6c, 0x65, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x43, 0x6f, 0x6f,
        0x6b, 0x22, 0x7d, 0x0a,
      ]),
      Buffer.from('{"title":"311712","industry":"311712"}\n'),
      Buffer.from('{"name":"no title"}\n'),
      Buffer.from('{"title":["Cook"]}\n'),
      Buffer.from('{"title":"Seafood Processor","industry":311712}'),
    ])
    const r = await soc(['code', '--format', 'jsonl'], input)
    const out = lines(r.out).map(
      (l) => JSON.parse(l) as { status: string; candidates: { code: string }[]; error?: string },
    )
    assert.equal(out.length, 9)
    assert.equal(out[0]?.candidates[0]?.code, '35-2014')
    assert.equal(out[1]?.status, 'uncodable')
    assert.equal(out[2]?.status, 'error')
    assert.match(out[2]?.error ?? '', /line 3: invalid JSON/)
    assert.equal(out[3]?.status === 'error', false)
    assert.notEqual(out[4]?.status, 'error') // invalid UTF-8 became U+FFFD, the title still codes
    assert.equal(out[5]?.status, 'uncodable')
    assert.match(out[6]?.error ?? '', /line 7: field "title" is missing/)
    assert.match(out[7]?.error ?? '', /line 8: field "title" is a list; expected text/)
    assert.equal(out[8]?.candidates[0]?.code, '51-3022.05')
    assert.equal(r.code, 1) // unreadable records exit 1
  })
  it('reads CSV with a header, finds the columns by name, and adds the code columns', async () => {
    const csv =
      'Employee,Job Title,NAICS\r\n1,Line Cook,722511\r\n2,"Fish Processor, seasonal",311712\r\n3,,\r\n4,"unterminated\r\n'
    const r = await soc(['code', '--format', 'csv'], csv)
    const out = lines(r.out)
    assert.equal(out[0], 'Employee,Job Title,NAICS,soc_code,soc_title,confidence,status')
    assert.equal(out.length, 5)
    assert.match(out[1] ?? '', /^1,Line Cook,722511,35-2014,/)
    assert.match(out[2] ?? '', /^2,"Fish Processor, seasonal",311712,51-3022\.05,/)
    assert.match(out[3] ?? '', /,uncodable$/)
    assert.match(out[4] ?? '', /error: line 5: unterminated quoted field/)
  })
  it('refuses a CSV without a title column, naming the header line', async () => {
    const r = await soc(['code', '--format', 'csv'], 'name,wages\nA,100\n')
    assert.equal(r.code, 1)
    assert.match(r.err, /no title column in the CSV header at line 1 \("name", "wages"\)/)
    assert.equal(r.out, '')
  })
  it('detects JSONL and CSV from the first line and reads a named file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'soc-code-'))
    const file = join(dir, 'titles.jsonl')
    writeFileSync(file, '{"title":"Night Janitor"}\n{"title":"Bartender"}\n')
    const r = await soc(['code', file])
    assert.deepEqual(
      lines(r.out).map(
        (l) => (JSON.parse(l) as { candidates: { code: string }[] }).candidates[0]?.code,
      ),
      ['37-2011', '35-3011'],
    )
    const missing = await soc(['code', join(dir, 'nope.csv')])
    assert.equal(missing.code, 1)
    assert.match(missing.err, /nope\.csv.*no such file/)
  })
  it('codes plain text lines', async () => {
    const r = await soc(['code', '--format', 'text'], 'Cashier\nWelder\n')
    assert.equal(lines(r.out).length, 2)
  })
})
