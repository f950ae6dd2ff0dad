import assert from 'node:assert/strict'
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { REFERENCE, runSoc, taxonomy } from './helpers.ts'

const soc = (...argv: string[]) => runSoc(argv)

describe('soc CLI', () => {
  taxonomy()
  it('show --json gives the state entry of 11-1021.51', async () => {
    const r = await soc('show', '11-1021.51', '--json')
    assert.equal(r.code, 0)
    const d = JSON.parse(r.out)
    assert.equal(d.parent, '11-1021')
    assert.equal(d.broadGroup, '11-1020')
    assert.match(d.description, /small business/)
    assert.deepEqual(d.examples, ['General Manager', 'Executive Officer'])
  })
  it('show puts 29-1221 under 29-1210', async () => {
    const r = await soc('show', '29-1221')
    assert.equal(r.code, 0)
    assert.match(r.out, /29-1210 .*> 29-1221/)
  })
  it('list --all --json counts every level', async () => {
    const r = await soc('list', '--all', '--json')
    const d = JSON.parse(r.out)
    const count = (l: string) => d.nodes.filter((n: { level: string }) => n.level === l).length
    assert.deepEqual(
      [count('major'), count('minor'), count('broad'), count('detailed')],
      [23, 98, 459, 867],
    )
    assert.ok(count('extension') >= 12)
    for (const n of d.nodes) assert.ok(n.code && n.level && n.title)
  })
  it('check-code fails on 15-1132 and names 15-1252', async () => {
    const r = await soc('check-code', '15-1132')
    assert.equal(r.code, 1)
    assert.match(r.out, /15-1252/)
    assert.equal((await soc('check-code', '11-1021', '51-3022.05')).code, 0)
  })
  it('exits 2 on usage errors and 1 on an unknown code', async () => {
    assert.equal((await soc('frobnicate')).code, 2)
    assert.equal((await soc('show')).code, 2)
    assert.equal((await soc('show', '--bogus')).code, 2)
    const r = await soc('show', '99-9999')
    assert.equal(r.code, 1)
    assert.match(r.err, /unknown occupation code "99-9999"/)
  })
  it('rules prints the coding rules', async () => {
    const r = await soc('rules', '--json')
    assert.ok(JSON.parse(r.out).length >= 5)
  })
})

describe('broken reference data', () => {
  function brokenReference(edit: (dir: string) => void): string {
    const dir = mkdtempSync(join(tmpdir(), 'soc-ref-'))
    cpSync(join(REFERENCE, 'data'), join(dir, 'data'), { recursive: true })
    edit(dir)
    return dir
  }
  const build = (ref: string, ...extra: string[]) =>
    runSoc(['data', 'build', '--reference', ref, '--build-dir', join(ref, 'build'), ...extra], {
      testBuild: false,
    })

  const defs = 'data/bls_soc2018/soc_2018_definitions.csv'
  const crosswalk = 'data/bls_soc2018/soc_2010_to_2018_crosswalk.csv'
  // [name, how to break the copy, what the one line must say, extra build flags]
  const cases: [string, (dir: string) => void, RegExp, string[]][] = [
    [
      'a missing file',
      (d) => rmSync(join(d, defs)),
      /soc_2018_definitions\.csv: file is missing/,
      [],
    ],
    [
      'wrong columns',
      (d) => writeFileSync(join(d, crosswalk), 'a,b\n1,2\n'),
      /soc_2010_to_2018_crosswalk\.csv: missing columns "soc_2010_code"/,
      ['--allow-changed'],
    ],
    [
      'a truncated CSV',
      (d) => {
        const text = readFileSync(join(d, defs), 'utf8')
        writeFileSync(join(d, defs), text.slice(0, text.indexOf('"', 5000) + 20))
      },
      /soc_2018_definitions\.csv: .*truncated/,
      ['--allow-changed'],
    ],
    [
      'a checksum mismatch',
      (d) => writeFileSync(join(d, 'data/onet/onet_soc_2019_occupations.csv'), 'x'),
      /onet_soc_2019_occupations\.csv: checksum mismatch/,
      [],
    ],
  ]
  for (const [name, edit, re, extra] of cases) {
    it(`reports ${name} in one line naming the file`, async () => {
      const r = await build(brokenReference(edit), ...extra)
      assert.equal(r.code, 1)
      assert.match(r.err, re)
      assert.equal(r.err.trim().split('\n').length, 1, r.err)
      assert.doesNotMatch(r.err, /\n\s+at /)
    })
  }
})
