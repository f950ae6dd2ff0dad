import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { checkCode } from '../src/core/check-code.ts'
import { taxonomy } from './helpers.ts'

describe('taxonomy', () => {
  it('has 23 major, 98 minor, 459 broad and 867 detailed groups plus the Alaska extensions', () => {
    const c = taxonomy().counts()
    assert.deepEqual([c.major, c.minor, c.broad, c.detailed], [23, 98, 459, 867])
    assert.ok(c.extension >= 12)
  })
  it('takes parents from the file, not from code prefixes', () => {
    const t = taxonomy()
    assert.equal(t.parent('29-1221')?.code, '29-1210')
    assert.equal(t.parent('15-1211')?.code, '15-1210')
    assert.equal(t.parent('15-1210')?.code, '15-1200')
    assert.equal(t.get('15-1200')?.level, 'minor')
  })
  it('puts Alaska extensions under their six-digit parent with the state description', () => {
    const t = taxonomy()
    const e = t.get('11-1021.51')
    assert.equal(e?.parent, '11-1021')
    assert.equal(e?.level, 'extension')
    assert.match(e?.stateDescription ?? '', /less than 30 workers/)
    assert.deepEqual(e?.examples, ['General Manager', 'Executive Officer'])
    assert.deepEqual(
      t.ancestors('11-1021.51').map((a) => a.code),
      ['11-0000', '11-1000', '11-1020', '11-1021', '11-1021.51'],
    )
  })
  it('keeps legacy extensions flagged with their SOC 2018 successors, the best match by title first', () => {
    const e = taxonomy().get('25-3099.01')
    assert.equal(e?.alaska?.status, 'legacy')
    assert.equal(e?.alaska?.successors[0], '25-3031')
    assert.deepEqual([...(e?.alaska?.successors ?? [])].sort(), ['25-3031', '25-3041', '25-3099'])
    const ta = taxonomy().get('25-9041.01')?.alaska?.successors ?? []
    assert.equal(ta[0], '25-9043') // Special Education Teacher Assistants -> Teaching Assistants, Special Education
    assert.deepEqual([...ta].sort(), ['25-9042', '25-9043', '25-9049'])
  })
  it('parses Excludes into cross-references usable both ways', () => {
    const t = taxonomy()
    const ex = t
      .crossRefs('11-3013')
      .outgoing.filter((r) => r.kind === 'excludes')
      .flatMap((r) => r.to)
    assert.deepEqual(ex, ['11-3012', '11-9141', '37-1010', '49-1011', '49-9071'])
    assert.ok(
      t.crossRefs('11-3012').incoming.some((r) => r.from === '11-3013' && r.kind === 'excludes'),
    )
    assert.ok(t.crossRefs('37-1011').incoming.some((r) => r.from === '11-3013'))
  })
  it('lists the state page entries in page order', () => {
    const codes = taxonomy()
      .groupEntries('11-3000')
      .map((e) => e.code)
    assert.ok(codes.indexOf('11-3013') < codes.indexOf('11-3012'))
    const top = taxonomy()
      .groupEntries('11-1000')
      .map((e) => e.code)
    assert.deepEqual(top, ['11-1011', '11-1021.51', '11-1021', '11-1031'])
  })
  it('spreads EP aggregates to their detailed codes', () => {
    const e = taxonomy().get('13-1021')
    assert.equal(e?.education?.aggregate, '13-1020')
    assert.equal(e?.employment?.aggregate, '13-1020')
    assert.ok((e?.employment?.employment2024 ?? 0) > 0)
  })
  it('imports every seed entry of the state page, the truncated last one too', () => {
    const t = taxonomy()
    const sections = t.snapshot.statePage?.sections ?? []
    const codes = sections.flatMap((s) => s.codes)
    assert.equal(codes.length, 41)
    assert.ok(codes.includes('11-9199.51'))
    for (const c of codes) assert.ok(t.get(c), c)
  })
})

describe('checkCode', () => {
  const cases: [string, string, RegExp][] = [
    ['11-1021', 'reportable', /reportable/],
    ['51-3022.05', 'reportable', /Alaska extension/],
    ['15-1132', 'soc2010', /15-1252/],
    ['11-1000', 'group', /minor group/],
    ['11-1021.77', 'unknown-extension', /not an Alaska extension code/],
    ['11-1011.03', 'onet', /O\*NET-SOC/],
    ['25-3099.01', 'legacy-extension', /25-3031/],
    ['311712', 'naics', /NAICS/],
    ['5413', 'naics', /NAICS/],
    ['11-1029', 'unknown', /nearest codes: 11-1021/],
    ['12-3456', 'unknown', /no major group 12/],
    ['', 'empty', /no occupation code/],
  ]
  for (const [input, kind, re] of cases) {
    it(`says ${JSON.stringify(input)} is ${kind}`, () => {
      const v = checkCode(input, taxonomy())
      assert.equal(v.kind, kind, v.message)
      assert.match(v.message, re)
      assert.equal(v.ok, kind === 'reportable')
    })
  }
})
