/**
 * What a reader could work out from published tables: the linear algebra behind the
 * confidentiality tests (test/stats.test.ts). Test support, not a test file.
 */
import type { Period, QuarterData, StatsTable, TableOptions } from '../src/core/stats.ts'
import { occupationTable, occupationTables, parsePeriod, rollUp } from '../src/core/stats.ts'
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
 * A sum over named cells: "the parts add up to `weight` x the whole" (a year's workers are the mean
 * of its quarters': weight 4).
 */
type Sum = readonly [parts: readonly string[], whole: string, weight?: number]

/**
 * The unknowns of sums over named cells: an equation per sum over the cells not published. Returns
 * the hidden cells the sums fix.
 */
function fixedBy(sums: readonly Sum[], hidden: ReadonlySet<string>): string[] {
  const vars = [...hidden]
  const at = new Map(vars.map((v, i) => [v, i]))
  const equations: number[][] = []
  for (const [parts, whole, weight = 1] of sums) {
    const e = new Array<number>(vars.length).fill(0)
    let any = false
    for (const k of [...parts, whole]) {
      const i = at.get(k)
      if (i === undefined) continue
      e[i] = (e[i] as number) + (k === whole ? -weight : 1)
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
  const sums: Sum[] = []
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
  /** the year's cells whose family (the year's cell and its quarters') has one hidden member only */
  readonly lone?: string[]
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
  const reader = new Reader(t, rule)
  reader.period([quarter(20241, records)], '2024Q1', records, groups, area)
  return reader.audit()
}

/**
 * The tables of a year and of each of its quarters (`quarters[i]` holds quarter i + 1's records),
 * read together: besides each period's own sums, a year's cell is its quarters' (its workers their
 * mean). With `linked` false each table is asked for with its own quarters only (no year to
 * suppress it with), as a measure of what the linking protects.
 */
export function auditYear(
  records: readonly (readonly Rec[])[],
  t: Taxonomy,
  rule: SuppressionRule,
  linked = true,
  /** read the tables of these workers' records (the nonresidents' beside the table of all) */
  part?: (person: number) => boolean,
): Audit {
  const data = records.map((rs, i) => quarter(20241 + i, rs))
  const reader = new Reader(t, rule, part)
  // the records the tables read count
  const quarters = part ? records.map((rs) => rs.filter((x) => part(x.person))) : records
  const all = quarters.flat()
  reader.period(data, '2024', all, [], null)
  data.forEach((d, i) =>
    reader.period(linked ? data : [d], `2024Q${i + 1}`, quarters[i] as Rec[], [], null),
  )
  // the year's cell of a node is the sum of its quarters' cells of the node
  const reported = [...new Set(all.map((x) => x.code))].sort()
  const areas = [...new Set(all.map((x) => x.area))].sort()
  const nq = quarters.filter((rs) => rs.length > 0).length
  const nodes: [string, (c: string) => boolean][] = [['all', () => true]]
  for (const level of LEVELS)
    for (const code of new Set(reported.map((c) => rollUp(c, level, t))))
      nodes.push([`${level} ${code}`, (c) => rollUp(c, level, t) === code])
  for (const [, under] of nodes) {
    const setIn = (rs: readonly Rec[]) =>
      [...new Set(rs.map((x) => x.code))].filter(under).sort().join(' ')
    const whole = setIn(all)
    for (const a of [...areas, 'total'])
      reader.sums.push([
        quarters.flatMap((rs, i) => {
          const set = setIn(rs)
          const has = rs.some((x) => under(x.code) && (a === 'total' || x.area === a))
          return set && has ? [`2024Q${i + 1}|${set}|${a}`] : []
        }),
        `2024|${whole}|${a}`,
        nq,
      ])
  }
  const unknown = (k: string) => reader.hidden.has(k) && !reader.known.has(k)
  const lone = reader.sums
    .filter(([, whole, weight]) => weight !== undefined && whole.startsWith('2024|'))
    .filter(([parts, whole]) => [...parts, whole].filter(unknown).length === 1)
    .map(([, whole]) => whole)
  return { ...reader.audit(), lone }
}

/** Reads published tables as a reader would, and collects the sums that hold between their cells. */
class Reader {
  readonly known = new Map<string, number>()
  readonly hidden = new Set<string>()
  readonly alone: string[] = []
  readonly sums: Sum[] = []
  readonly t: Taxonomy
  readonly rule: SuppressionRule
  readonly part: ((person: number) => boolean) | undefined
  constructor(t: Taxonomy, rule: SuppressionRule, part?: (person: number) => boolean) {
    this.t = t
    this.rule = rule
    this.part = part
  }

  /** the table a reader gets: of all records, or the part's beside it */
  table(data: readonly QuarterData[], period: Period, options: TableOptions): StatsTable {
    return this.part
      ? (occupationTables(data, period, this.t, options, this.part)[1] as StatsTable)
      : occupationTable(data, period, this.t, options)
  }

  /**
   * Every table of a period: `data` as given to the tables, `records` the period's own. Cells are
   * named by the period, their set of reported codes and their area (or the total).
   */
  period(
    data: readonly QuarterData[],
    label: string,
    records: readonly Rec[],
    groups: readonly string[],
    area: string | null,
  ): void {
    const { t, rule } = this
    const reported = [...new Set(records.map((x) => x.code))].sort()
    const areas = [...new Set(records.map((x) => x.area))].sort()
    const setOf = (level: (typeof LEVELS)[number], code: string) =>
      reported.filter((c) => rollUp(c, level, t) === code).join(' ')
    const within = (g: string) =>
      reported.filter((c) => c === g || t.ancestors(c).some((e) => e.code === g)).join(' ')
    const all = reported.join(' ')
    const period = parsePeriod(label)
    const read = (tab: StatsTable, totalSet: string, onlyArea?: string) => {
      const lines = [...tab.rows, tab.total]
      const grid = lines.map((row) => row.cells.map((c) => c.workers))
      if (grid.flat().some((v) => v === null))
        derivable(grid).forEach((row, i) => {
          row.forEach((d, j) => {
            if (d) this.alone.push(`${label} ${tab.level} ${lines[i]?.code} ${tab.columns[j]}`)
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
          const key = `${label}|${set}|${col === 'total' ? (onlyArea ?? 'total') : col}`
          if (c.workers === null) this.hidden.add(key)
          else this.known.set(key, c.workers)
        })
      }
    }
    for (const level of LEVELS)
      for (const byArea of [true, false]) {
        read(this.table(data, period, { level, byArea, rule }), all)
        if (area !== null) read(this.table(data, period, { level, byArea, rule, area }), all, area)
        for (const g of groups)
          if (within(g))
            read(this.table(data, period, { level, byArea, rule, within: g }), within(g))
      }
    // the sums that hold whatever is published: each line across the areas, and each group (and
    // the grand total) over its members at the next level down
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
            whole
              .split(' ')
              .map((c) => (next === 'extension' ? c : setOf(next, rollUp(c, next, t)))),
          ),
        ]
        for (const p of parts) sets.add(p)
        if (parts.length > 1)
          for (const a of [...areas, 'total'])
            this.sums.push([parts.map((p) => `${label}|${p}|${a}`), `${label}|${whole}|${a}`])
      }
    }
    for (const set of sets)
      this.sums.push([areas.map((a) => `${label}|${set}|${a}`), `${label}|${set}|total`])
  }

  audit(): Audit {
    const inconsistent = [...this.hidden].filter((k) => this.known.has(k))
    const together = this.hidden.size
      ? fixedBy(this.sums, new Set([...this.hidden].filter((k) => !this.known.has(k))))
      : []
    return { inconsistent, alone: this.alone, together }
  }
}
