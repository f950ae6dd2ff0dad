import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { formatCode, parseCode } from '../src/core/codes.ts'
import { taxonomy } from './helpers.ts'

describe('parseCode', () => {
  const ok: [string, string, string][] = [
    ['111021', '11-1021', 'detailed'],
    ['11-1021', '11-1021', 'detailed'],
    ['11 1021', '11-1021', 'detailed'],
    ['11-1021.00', '11-1021', 'detailed'],
    ['11-1021.51', '11-1021.51', 'extension'],
    ['111021.51', '11-1021.51', 'extension'],
    ['  51-3022.05 ', '51-3022.05', 'extension'],
    ['11-0000', '11-0000', 'major'],
    ['11-1000', '11-1000', 'minor'],
    ['11-1020', '11-1020', 'broad'],
    ['11\u20101021', '11-1021', 'detailed'],
  ]
  for (const [input, code, level] of ok) {
    it(`parses ${JSON.stringify(input)} as ${level} ${code}`, () => {
      const r = parseCode(input)
      assert.ok(r.ok)
      assert.equal(r.value.code, code)
      assert.equal(r.value.level, level)
    })
  }
  const bad: [string, RegExp][] = [
    ['', /empty/],
    ['51-30922', /expected 4 digits|7 digits/],
    ['11-102', /5 digits/],
    ['11-1021.5', /suffix/],
    ['abc', /characters other than digits/],
    ['11-1000.51', /only follow a detailed code/],
  ]
  for (const [input, re] of bad) {
    it(`rejects ${JSON.stringify(input)} with a sentence naming the value`, () => {
      const r = parseCode(input)
      assert.equal(r.ok, false)
      if (!r.ok) {
        assert.match(r.issue.message, re)
        if (input) assert.ok(r.issue.message.includes(JSON.stringify(input)), r.issue.message)
      }
    })
  }
  it('never throws on any string', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (s) => {
        parseCode(s)
      }),
      { numRuns: 2000 },
    )
    fc.assert(
      fc.property(fc.anything(), (s) => {
        parseCode(s)
      }),
      { numRuns: 500 },
    )
  })
  it('round-trips every code of the taxonomy in every written form', () => {
    for (const e of taxonomy().entries) {
      const six = e.code.replace('-', '')
      const forms = [e.code, six, e.code.replace('-', ' '), ` ${e.code} `]
      if (e.level === 'detailed') forms.push(`${e.code}.00`)
      for (const f of forms) {
        const r = parseCode(f)
        assert.ok(r.ok, `${f}: ${r.ok ? '' : r.issue.message}`)
        assert.equal(formatCode(r.value), e.code)
      }
    }
  })
  it('round-trips generated canonical codes', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{2}-\d{4}$/), (c) => {
        const r = parseCode(c)
        assert.ok(r.ok)
        assert.equal(formatCode(r.value), c)
      }),
    )
  })
})
