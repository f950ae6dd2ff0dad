/**
 * What a reader could work out from published tables: the linear algebra behind the
 * confidentiality tests (test/stats.test.ts). Test support, not a test file.
 */
import type { QuarterData, StatsTable } from '../src/core/stats.ts'
import { occupationTable, parsePeriod, rollUp } from '../src/core/stats.ts'
import type { SuppressionRule } from '../src/core/suppress.ts'
import type { Taxonomy } from '../src/core/taxonomy.ts'

export type Rec = { employer: number; person: number; code: string; area: string; cents: number }

/** Records as a stored quarter: grouped by employer, dictionaries for codes and areas. */
export function quarter(q: number, records: readonly Rec[]): QuarterData {
  const sorted = [...records].sort((a, b) => a.employer - b.employer)
  const codes = [...new Set(sorted.map((r) => r.code))]
  const areas = [...new Set(sorted.map((r) => r.area))]
  return {
    quarter: q,
    codes,
    areas,
    code: Uint16Array.from(sorted.map((r) => codes.indexOf(r.code))),
    area: Uint16Array.from(sorted.map((r) => areas.indexOf(r.area))),
    employer: Int32Array.from(sorted.map((r) => r.employer)),
    person: Float64Array.from(sorted.map((r) => r.person)),
    cents: Float64Array.from(sorted.map((r) => r.cents)),
  }
}

/** Which unknowns a linear system fixes: those whose reduced row has no free unknown. */
export function determined(equations: readonly (readonly number[])[], n: number): boolean[] {
  const m = equations.map((e) => [...e])
  const pivots: number[] = []
  let row = 0
  for (let c = 0; c < n && row < m.length; c++) {
    let p = row
    while (p < m.length && Math.abs(m[p]?.[c] as number) < 1e-9) p++
    if (p === m.length) continue
    ;[m[row], m[p]] = [m[p] as number[], m[row] as number[]]
    const pr = m[row] as number[]
    const d = pr[c] as number
    for (let k = 0; k < n; k++) pr[k] = (pr[k] as number) / d
    for (let q = 0; q < m.length; q++) {
      const f = q === row ? 0 : (m[q]?.[c] as number)
      if (Math.abs(f) > 1e-12)
        for (let k = 0; k < n; k++)
          (m[q] as number[])[k] = (m[q]?.[k] as number) - f * (pr[k] as number)
    }
    pivots.push(c)
    row++
  }
  const out = new Array<boolean>(n).fill(false)
  const isPivot = new Set(pivots)
  pivots.forEach((c, i) => {
    const pr = m[i] as number[]
    let free = false
    for (let k = 0; k < n && !free; k++)
      if (!isPivot.has(k) && Math.abs(pr[k] as number) > 1e-9) free = true
    out[c] = !free
  })
  return out
}

/**
 * The unknowns of sums over named cells: an equation per sum, "the parts add up to the whole",
 * over the cells not published. Returns the hidden cells the sums fix.
 */
function fixedBy(
  sums: readonly [readonly string[], string][],
  hidden: ReadonlySet<string>,
): string[] {
  const vars = [...hidden]
  const at = new Map(vars.map((v, i) => [v, i]))
  const equations: number[][] = []
  for (const [parts, whole] of sums) {
    const e = new Array<number>(vars.length).fill(0)
    let any = false
    for (const k of [...parts, whole]) {
      const i = at.get(k)
      if (i === undefined) continue
      e[i] = (e[i] as number) + (k === whole ? -1 : 1)
      any = true
    }
    if (any) equations.push(e)
  }
  const fixed = determined(equations, vars.length)
  return vars.filter((_, i) => fixed[i])
}

/** Is each suppressed cell of a published grid (totals last) fixed by the other cells and the sums? */
export function derivable(grid: readonly (readonly (number | null)[])[]): boolean[][] {
  const R = grid.length
  const C = grid[0]?.length ?? 0
  const name = (i: number, j: number) => `${i},${j}`
  const hidden = new Set<string>()
  grid.forEach((row, i) => {
    row.forEach((v, j) => {
      if (v === null) hidden.add(name(i, j))
    })
  })
  const sums: [string[], string][] = []
  if (C > 1)
    for (let i = 0; i < R; i++)
      sums.push([Array.from({ length: C - 1 }, (_, j) => name(i, j)), name(i, C - 1)])
  for (let j = 0; j < C; j++)
    sums.push([Array.from({ length: R - 1 }, (_, i) => name(i, j)), name(R - 1, j)])
  const fixed = new Set(fixedBy(sums, hidden))
  return grid.map((row, i) => row.map((_, j) => fixed.has(name(i, j))))
}

const LEVELS = ['major', 'minor', 'broad', 'detailed', 'extension'] as const

export type Audit = {
  /** cells (their codes and area) suppressed in one table and published in another */
  readonly inconsistent: string[]
  /** cells one table alone gives away */
  readonly alone: string[]
  /** cells all the tables together give away, with the classification's sums */
  readonly together: string[]
}

/**
 * Every table of one quarter's records that a reader can ask for (each level, by area and
 * statewide, all areas or one, all occupations or one group), read as a reader would. A cell is
 * known by what it adds up: its set of reported codes and its area (or the total).
 */
export function auditTables(
  records: readonly Rec[],
  t: Taxonomy,
  rule: SuppressionRule,
  groups: readonly string[],
  area: string,
): Audit {
  const data = quarter(20241, records)
  const reported = [...new Set(records.map((x) => x.code))].sort()
  const areas = [...new Set(records.map((x) => x.area))].sort()
  const setOf = (level: (typeof LEVELS)[number], code: string) =>
    reported.filter((c) => rollUp(c, level, t) === code).join(' ')
  const within = (g: string) =>
    reported.filter((c) => c === g || t.ancestors(c).some((e) => e.code === g)).join(' ')
  const all = reported.join(' ')
  const period = parsePeriod('2024Q1')
  const known = new Map<string, number>()
  const hidden = new Set<string>()
  const alone: string[] = []
  const read = (tab: StatsTable, totalSet: string, onlyArea?: string) => {
    const lines = [...tab.rows, tab.total]
    const grid = lines.map((row) => row.cells.map((c) => c.workers))
    if (grid.flat().some((v) => v === null))
      derivable(grid).forEach((row, i) => {
        row.forEach((d, j) => {
          if (d) alone.push(`${tab.level} ${lines[i]?.code} ${tab.columns[j]}`)
        })
      })
    for (const row of lines) {
      const set =
        row === tab.total
          ? totalSet
          : tab.level === 'extension'
            ? row.code
            : setOf(tab.level, row.code) || within(row.code)
      row.cells.forEach((c, i) => {
        const col = tab.columns[i] as string
        const key = `${set}|${col === 'total' ? (onlyArea ?? 'total') : col}`
        if (c.workers === null) hidden.add(key)
        else known.set(key, c.workers)
      })
    }
  }
  for (const level of LEVELS)
    for (const byArea of [true, false]) {
      read(occupationTable([data], period, t, { level, byArea, rule }), all)
      read(occupationTable([data], period, t, { level, byArea, rule, area }), all, area)
      for (const g of groups)
        if (within(g))
          read(occupationTable([data], period, t, { level, byArea, rule, within: g }), within(g))
    }
  const inconsistent = [...hidden].filter((k) => known.has(k))
  // the sums that hold whatever is published: each line across the areas, and each group (and the
  // grand total) over its members at the next level down
  const sums: [string[], string][] = []
  const sets = new Set<string>([all])
  for (let i = -1; i < LEVELS.length - 1; i++) {
    const level = LEVELS[i]
    const next = LEVELS[i + 1] as (typeof LEVELS)[number]
    const wholes = level
      ? [...new Set(reported.map((c) => setOf(level, rollUp(c, level, t))))]
      : [all]
    for (const whole of wholes) {
      const parts = [
        ...new Set(
          whole.split(' ').map((c) => (next === 'extension' ? c : setOf(next, rollUp(c, next, t)))),
        ),
      ]
      for (const p of parts) sets.add(p)
      if (parts.length > 1)
        for (const a of [...areas, 'total'])
          sums.push([parts.map((p) => `${p}|${a}`), `${whole}|${a}`])
    }
  }
  for (const set of sets) sums.push([areas.map((a) => `${set}|${a}`), `${set}|total`])
  const together = hidden.size
    ? fixedBy(sums, new Set([...hidden].filter((k) => !known.has(k))))
    : []
  return { inconsistent, alone, together }
}
