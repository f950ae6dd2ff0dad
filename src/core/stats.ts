/**
 * Occupational statistics from stored wage records: workers, total and median wages by occupation
 * (any level) x geographic area x quarter or year, with confidentiality suppression. Pure: columns
 * of one quarter's records in, tables out.
 *
 * A year is the four quarters pooled: workers are the average of the quarterly counts (as QCEW and
 * OEWS publish employment; over the quarters that hold records, the others being listed as
 * missing), wages the year's total, the median that of the quarterly wage records.
 * Every published number then adds up across rows and columns, which the suppression relies on.
 */
import type { Level } from './codes.ts'
import { InputError } from './errors.ts'
import type { CellFacts, SuppressionReason, SuppressionRule } from './suppress.ts'
import { DEFAULT_SUPPRESSION_RULE, suppressTable } from './suppress.ts'
import type { Taxonomy } from './taxonomy.ts'

/** One quarter's current records as columns, grouped by employer (ascending employer ids). */
export type QuarterData = {
  /** year * 10 + quarter, e.g. 20241 */
  readonly quarter: number
  /** code dictionary; '' = the row had no valid occupation code */
  readonly codes: readonly string[]
  /** area dictionary; '' = the row had no valid area code */
  readonly areas: readonly string[]
  readonly code: Uint16Array
  readonly area: Uint16Array
  readonly employer: Int32Array
  readonly person: Float64Array
  readonly cents: Float64Array
}

export type Period = { readonly label: string; readonly quarters: readonly number[] }

/** "2024Q1" (also "2024-Q1", "2024q1") or "2024" (the four quarters). */
export function parsePeriod(text: string): Period {
  const t = text.trim()
  const q = /^(\d{4})[-\s]?[Qq]([1-4])$/.exec(t)
  if (q) return { label: `${q[1]}Q${q[2]}`, quarters: [Number(q[1]) * 10 + Number(q[2])] }
  if (/^\d{4}$/.test(t)) {
    const y = Number(t)
    return { label: t, quarters: [1, 2, 3, 4].map((k) => y * 10 + k) }
  }
  throw new InputError(
    'BAD_REQUEST',
    `invalid period ${JSON.stringify(text)}: expected YYYY or YYYYQn`,
  )
}

/** 20241 -> "2024Q1" */
export function formatQuarter(q: number): string {
  return `${Math.floor(q / 10)}Q${q % 10}`
}

/** "2024Q1" -> 20241; throws InputError naming the value */
export function parseQuarter(text: string): number {
  const q = /^(\d{4})[-\s]?[Qq]([1-4])$/.exec(text.trim())
  if (!q)
    throw new InputError(
      'BAD_REQUEST',
      `invalid quarter ${JSON.stringify(text)}: expected YYYYQn, e.g. 2024Q1`,
    )
  return Number(q[1]) * 10 + Number(q[2])
}

/** The quarter k quarters after q (k may be negative). */
export function addQuarters(q: number, k: number): number {
  const n = Math.floor(q / 10) * 4 + ((q % 10) - 1) + k
  return Math.floor(n / 4) * 10 + (n % 4) + 1
}

/** The same period one year earlier. */
export function previousYear(p: Period): Period {
  const quarters = p.quarters.map((q) => q - 10)
  const label = p.label.length === 4 ? String(Number(p.label) - 1) : formatQuarter(quarters[0] ?? 0)
  return { label, quarters }
}

export type TableOptions = {
  /** the level rows are rolled up to; 'extension' keeps codes as reported */
  readonly level: Level
  /** one column per geographic area (plus the total) instead of statewide only */
  readonly byArea: boolean
  /** only occupations under this group or code */
  readonly within?: string | undefined
  /** only this area */
  readonly area?: string | undefined
  /** only records whose person this accepts (nonresidents, for the residency tables) */
  readonly person?: ((person: number) => boolean) | undefined
  readonly rule?: SuppressionRule | undefined
}

export type StatsCell = {
  /** workers (a year: the average of the quarters), null when suppressed */
  readonly workers: number | null
  /** total wages in dollars, null when suppressed */
  readonly wages: number | null
  /** median wages of one worker in one quarter, in dollars, null when suppressed */
  readonly medianWages: number | null
  readonly suppressed: SuppressionReason | null
}

export type StatsRow = {
  readonly code: string
  readonly title: string
  /** one per column: the areas, then the total */
  readonly cells: readonly StatsCell[]
}

export type StatsTable = {
  readonly period: string
  readonly quarters: readonly string[]
  /** quarters of the period with no records stored */
  readonly missingQuarters: readonly string[]
  readonly level: Level
  /** the columns' area codes; 'total' last */
  readonly columns: readonly string[]
  readonly rows: readonly StatsRow[]
  readonly total: StatsRow
  readonly suppression: {
    readonly rule: SuppressionRule
    readonly primary: number
    readonly complementary: number
    readonly note: string
  }
}

export const UNCODED = ''
const UNCODED_TITLE = 'Not coded (no valid occupation code)'

/** The code a reported code rolls up to at a level ('' stays ''; a code without that level: itself). */
export function rollUp(code: string, level: Level, t: Taxonomy): string {
  if (code === UNCODED) return UNCODED
  if (level === 'extension') return code
  const hit = t.ancestors(code).find((e) => e.level === level)
  return hit ? hit.code : code
}

/** Numbers for values in order of first sight. */
function interner(): { index(value: string): number; readonly values: string[] } {
  const at = new Map<string, number>()
  const values: string[] = []
  return {
    values,
    index(value) {
      let i = at.get(value)
      if (i === undefined) {
        i = values.length
        at.set(value, i)
        values.push(value)
      }
      return i
    },
  }
}

function inGroup(code: string, within: string | undefined, t: Taxonomy): boolean {
  if (!within) return true
  if (code === UNCODED) return false
  return code === within || t.ancestors(code).some((e) => e.code === within)
}

type Accumulator = {
  readonly nCells: number
  readonly count: Float64Array
  readonly cents: Float64Array
  readonly employers: Float64Array
  readonly top: Float64Array
  readonly medians: Float64Array
}

/**
 * The table for a period. `data` are the period's quarters that have records; quarters of the
 * period without data are listed as missing (their workers count as zero in a year's average).
 */
export function occupationTable(
  data: readonly QuarterData[],
  period: Period,
  t: Taxonomy,
  options: TableOptions,
): StatsTable {
  return occupationTables(data, period, t, options)[0]
}

/**
 * The table, and with `part` a second table of the same shape over only the records whose person
 * `part` accepts (the nonresidents), from one pass over the records. Each is suppressed on its own.
 */
export function occupationTables(
  data: readonly QuarterData[],
  period: Period,
  t: Taxonomy,
  options: TableOptions,
  part?: (person: number) => boolean,
): [StatsTable, StatsTable | null] {
  const rule = options.rule ?? DEFAULT_SUPPRESSION_RULE
  const within = options.within ? (t.get(options.within)?.code ?? options.within) : undefined
  // rows: every code of the dictionaries that passes the filter, rolled up to the level
  const rowKeys = interner()
  const codeRow: Int32Array[] = data.map((d) => {
    const m = new Int32Array(d.codes.length).fill(-1)
    d.codes.forEach((c, i) => {
      if (inGroup(c, within, t)) m[i] = rowKeys.index(rollUp(c, options.level, t))
    })
    return m
  })
  const colKeys = interner()
  const areaCol: Int32Array[] = data.map((d) => {
    const m = new Int32Array(d.areas.length).fill(-1)
    d.areas.forEach((a, i) => {
      if (options.area !== undefined && a !== options.area) return
      m[i] = options.byArea ? colKeys.index(a) : 0
    })
    return m
  })
  const rowCodes = rowKeys.values
  const colAreas = colKeys.values
  const R = rowCodes.length
  const C = options.byArea ? colAreas.length : 0
  const W = C + 1 // the last column is the total
  const flat = flatten(data, codeRow, areaCol, W, options.person, part)
  const have = new Set(data.map((d) => d.quarter))
  const build = (acc: Accumulator): StatsTable => {
    // a year's workers: the average over the quarters that hold records (the missing ones are listed)
    const nq = Math.max(1, data.length)
    // the grid with totals, its suppression, then rows in SOC order
    const facts: CellFacts[][] = []
    for (let r = 0; r <= R; r++) {
      const line: CellFacts[] = []
      for (let c = 0; c < W; c++) {
        const i = r * W + c
        const v = acc.count[i] ?? 0
        line.push({
          value: v,
          employers: acc.employers[i] ?? 0,
          topShare: v > 0 ? (acc.top[i] ?? 0) / v : 0,
        })
      }
      facts.push(line)
    }
    const hidden = suppressTable(facts, rule)
    let primary = 0
    let complementary = 0
    const cellAt = (r: number, c: number): StatsCell => {
      const i = r * W + c
      const why = hidden[r]?.[c] ?? null
      if (why === 'complementary') complementary++
      else if (why) primary++
      if (why) return { workers: null, wages: null, medianWages: null, suppressed: why }
      const n = acc.count[i] ?? 0
      return {
        workers: Math.round((n / nq) * 100) / 100,
        wages: Math.round(acc.cents[i] ?? 0) / 100,
        medianWages: n > 0 ? Math.round(acc.medians[i] ?? 0) / 100 : null,
        suppressed: null,
      }
    }
    const order = (code: string) => {
      if (code === UNCODED) return Number.MAX_SAFE_INTEGER
      const e = t.get(code)
      return e ? t.entries.indexOf(e) : Number.MAX_SAFE_INTEGER - 1
    }
    const rows: StatsRow[] = []
    for (let r = 0; r < R; r++) {
      if ((acc.count[r * W + C] ?? 0) === 0) continue
      const code = rowCodes[r] ?? ''
      rows.push({
        code,
        title: code === UNCODED ? UNCODED_TITLE : (t.get(code)?.title ?? code),
        cells: Array.from({ length: W }, (_, c) => cellAt(r, c)),
      })
    }
    const index = new Map(t.entries.map((e, i) => [e.code, i]))
    rows.sort(
      (a, b) =>
        (index.get(a.code) ?? order(a.code)) - (index.get(b.code) ?? order(b.code)) ||
        a.code.localeCompare(b.code),
    )
    const total: StatsRow = {
      code: 'total',
      title: within ? `All occupations in ${within}` : 'All occupations',
      cells: Array.from({ length: W }, (_, c) => cellAt(R, c)),
    }
    return {
      period: period.label,
      quarters: period.quarters.map(formatQuarter),
      missingQuarters: period.quarters.filter((q) => !have.has(q)).map(formatQuarter),
      level: options.level,
      columns: [...colAreas, 'total'],
      rows,
      total,
      suppression: {
        rule,
        primary,
        complementary,
        note: `cells with fewer than ${rule.minEmployers} employers, or where one employer has more than ${Math.round(rule.maxEmployerShare * 100)}% of the workers, are suppressed (employers, dominance); further cells are suppressed (complementary) so that no suppressed value can be derived from the totals`,
      },
    }
  }
  return [build(tally(flat, R, W)), flat.part ? build(tally(flat.part, R, W)) : null]
}

/** The kept records in one flat run, each with its cell; all quarters' records of an employer together. */
type Flat = {
  readonly n: number
  readonly cellOf: Int32Array
  readonly empOf: Int32Array
  readonly centsOf: Float64Array
  /** the records the second table's filter accepts, in the same order */
  readonly part: Flat | null
}

/**
 * Records are visited employer by employer across all the quarters (each quarter is stored in
 * employer order; their segments are merged), so an employer's records reach a cell in one run:
 * `tally` then counts employers and the largest employer's share without a map.
 */
function flatten(
  data: readonly QuarterData[],
  codeRow: readonly Int32Array[],
  areaCol: readonly Int32Array[],
  W: number,
  accept: ((person: number) => boolean) | undefined,
  part: ((person: number) => boolean) | undefined,
): Flat {
  const tc = W - 1
  // per quarter, the cell of each record (-1: left out)
  const base = data.map((d, q) => {
    const cr = codeRow[q] as Int32Array
    const ac = areaCol[q] as Int32Array
    const out = new Int32Array(d.code.length)
    for (let i = 0; i < d.code.length; i++) {
      const row = cr[d.code[i] as number] as number
      const col = ac[d.area[i] as number] as number
      out[i] =
        row < 0 || col < 0 || (accept && !accept(d.person[i] as number))
          ? -1
          : row * W + (W === 1 ? tc : col)
    }
    return out
  })
  let total = 0
  for (const b of base) total += b.length
  const cellOf = new Int32Array(total)
  const empOf = new Int32Array(total)
  const centsOf = new Float64Array(total)
  const partOf = part ? new Uint8Array(total) : null
  let n = 0
  let inPart = 0
  forEachEmployerSegment(data, (q, from, to) => {
    const b = base[q] as Int32Array
    const d = data[q] as QuarterData
    for (let i = from; i < to; i++) {
      const cell = b[i] as number
      if (cell < 0) continue
      cellOf[n] = cell
      empOf[n] = d.employer[i] as number
      centsOf[n] = d.cents[i] as number
      if (partOf && part?.(d.person[i] as number)) {
        partOf[n] = 1
        inPart++
      }
      n++
    }
  })
  let sub: Flat | null = null
  if (partOf) {
    const pc = new Int32Array(inPart)
    const pe = new Int32Array(inPart)
    const pw = new Float64Array(inPart)
    let m = 0
    for (let k = 0; k < n; k++)
      if (partOf[k]) {
        pc[m] = cellOf[k] as number
        pe[m] = empOf[k] as number
        pw[m] = centsOf[k] as number
        m++
      }
    sub = { n: m, cellOf: pc, empOf: pe, centsOf: pw, part: null }
  }
  return { n, cellOf, empOf, centsOf, part: sub }
}

/** Counts, wages, employers, the top employer's count and medians of every cell. */
function tally(flat: Flat, R: number, W: number): Accumulator {
  const { cellOf, empOf, centsOf } = flat
  const nCells = (R + 1) * W
  const count = new Float64Array(nCells)
  const cents = new Float64Array(nCells)
  const employers = new Float64Array(nCells)
  const top = new Float64Array(nCells)
  const lastEmp = new Int32Array(nCells).fill(-1)
  const run = new Float64Array(nCells)
  const tc = W - 1
  const n = flat.n
  // each record counts in four cells: its own, its column's total, its row's total, the grand total
  const four = new Int32Array(4)
  const cellsOf = (k: number): number => {
    const cell = cellOf[k] as number
    const row = (cell / W) | 0
    const col = cell - row * W
    four[0] = cell
    four[1] = R * W + col
    if (col === tc) return 2
    four[2] = row * W + tc
    four[3] = R * W + tc
    return 4
  }
  for (let k = 0; k < n; k++) {
    const emp = empOf[k] as number
    const c = centsOf[k] as number
    const m = cellsOf(k)
    for (let j = 0; j < m; j++) {
      const cell = four[j] as number
      count[cell] = (count[cell] as number) + 1
      cents[cell] = (cents[cell] as number) + c
      if (lastEmp[cell] !== emp) {
        if (lastEmp[cell] !== -1) {
          employers[cell] = (employers[cell] as number) + 1
          if ((run[cell] as number) > (top[cell] as number)) top[cell] = run[cell] as number
        }
        lastEmp[cell] = emp
        run[cell] = 1
      } else run[cell] = (run[cell] as number) + 1
    }
  }
  for (let cell = 0; cell < nCells; cell++)
    if (lastEmp[cell] !== -1) {
      employers[cell] = (employers[cell] as number) + 1
      if ((run[cell] as number) > (top[cell] as number)) top[cell] = run[cell] as number
    }
  // medians: each cell's wages in one slice of a shared array, then a selection (not a sort). Only
  // the cells of the grid and the column totals get slices: a row's cells lie side by side, so its
  // total is selected over their range, and the grand total over all of them, after the cells'.
  const start = new Float64Array(nCells + 1)
  const sliced = (cell: number) => W === 1 || cell % W !== tc
  for (let cell = 0; cell < nCells; cell++)
    start[cell + 1] = (start[cell] as number) + (sliced(cell) ? (count[cell] as number) : 0)
  const all = new Float64Array(start[nCells] as number)
  const fill = start.slice(0, nCells)
  for (let k = 0; k < n; k++) {
    const c = centsOf[k] as number
    const cell = cellOf[k] as number
    all[fill[cell] as number] = c
    fill[cell] = (fill[cell] as number) + 1
    if (W > 1) {
      const colTotal = R * W + (cell % W)
      all[fill[colTotal] as number] = c
      fill[colTotal] = (fill[colTotal] as number) + 1
    }
  }
  const medians = new Float64Array(nCells)
  const select = (cell: number, a: number, b: number) => {
    if (b > a) medians[cell] = medianOf(all.subarray(a, b))
  }
  for (let cell = 0; cell < nCells; cell++)
    if (sliced(cell)) select(cell, start[cell] as number, start[cell + 1] as number)
  if (W > 1)
    for (let row = 0; row < R; row++)
      select(row * W + tc, start[row * W] as number, start[row * W + tc] as number)
  // the grand total: every cell of the grid (rows 0..R-1); with one column, those are the rows
  select(R * W + tc, 0, start[R * W] as number)
  return { nCells, count, cents, employers, top, medians }
}

/** Calls fn(quarter, from, to) for runs of records so that each employer's records come together. */
function forEachEmployerSegment(
  data: readonly QuarterData[],
  fn: (q: number, from: number, to: number) => void,
): void {
  if (data.length === 1) {
    fn(0, 0, (data[0] as QuarterData).code.length)
    return
  }
  const pos = data.map(() => 0)
  for (;;) {
    let emp = Number.POSITIVE_INFINITY
    for (let q = 0; q < data.length; q++) {
      const d = data[q] as QuarterData
      const p = pos[q] as number
      if (p < d.employer.length && (d.employer[p] as number) < emp) emp = d.employer[p] as number
    }
    if (emp === Number.POSITIVE_INFINITY) return
    for (let q = 0; q < data.length; q++) {
      const d = data[q] as QuarterData
      const from = pos[q] as number
      let p = from
      while (p < d.employer.length && d.employer[p] === emp) p++
      if (p > from) fn(q, from, p)
      pos[q] = p
    }
  }
}

/** The median of a slice, reordering it (quickselect: linear on average). */
export function medianOf(a: Float64Array): number {
  const n = a.length
  const m = n >> 1
  const hi = select(a, m)
  if (n % 2 === 1) return hi
  // the lower middle is the largest value left of m after the selection
  let lo = Number.NEGATIVE_INFINITY
  for (let i = 0; i < m; i++) if ((a[i] as number) > lo) lo = a[i] as number
  return (lo + hi) / 2
}

function select(a: Float64Array, k: number): number {
  let left = 0
  let right = a.length - 1
  while (right > left) {
    // median of three as the pivot
    const mid = (left + right) >> 1
    const x = a[left] as number
    const y = a[mid] as number
    const z = a[right] as number
    const pivot = Math.max(Math.min(x, y), Math.min(Math.max(x, y), z))
    let i = left
    let j = right
    while (i <= j) {
      while ((a[i] as number) < pivot) i++
      while ((a[j] as number) > pivot) j--
      if (i <= j) {
        const tmp = a[i] as number
        a[i] = a[j] as number
        a[j] = tmp
        i++
        j--
      }
    }
    if (k <= j) right = j
    else if (k >= i) left = i
    else return a[k] as number
  }
  return a[k] as number
}

/** The `n` occupations with the most workers (suppressed totals are left out of the ranking). */
export function topOccupations(table: StatsTable, n: number): StatsRow[] {
  const last = table.columns.length - 1
  return table.rows
    .filter((r) => r.code !== UNCODED && r.cells[last]?.workers != null)
    .sort((a, b) => (b.cells[last]?.workers ?? 0) - (a.cells[last]?.workers ?? 0))
    .slice(0, n)
}

export type Change = {
  readonly code: string
  readonly area: string
  readonly workers: number | null
  readonly workersPct: number | null
  readonly wages: number | null
  readonly wagesPct: number | null
}

/** Change of each published cell on the same cells of the year before (null where either is hidden). */
export function changeOnYear(now: StatsTable, before: StatsTable): Change[] {
  const prev = new Map<string, StatsCell>()
  for (const row of [...before.rows, before.total])
    row.cells.forEach((c, i) => prev.set(`${row.code}|${before.columns[i]}`, c))
  const out: Change[] = []
  for (const row of [...now.rows, now.total])
    row.cells.forEach((c, i) => {
      const area = now.columns[i] ?? 'total'
      const p = prev.get(`${row.code}|${area}`)
      const diff = (a: number | null, b: number | null | undefined) =>
        a == null || b == null ? null : Math.round((a - b) * 100) / 100
      const pct = (a: number | null, b: number | null | undefined) =>
        a == null || b == null || b === 0 ? null : Math.round(((a - b) / b) * 1000) / 10
      out.push({
        code: row.code,
        area,
        workers: diff(c.workers, p?.workers),
        workersPct: pct(c.workers, p?.workers),
        wages: diff(c.wages, p?.wages),
        wagesPct: pct(c.wages, p?.wages),
      })
    })
  return out
}

/**
 * A period's table and, when asked, its change on the same period a year before. `load` gives the
 * stored quarters' columns (the store's quarterData).
 */
export async function occupationReport(
  load: (quarters: readonly number[]) => Promise<QuarterData[]>,
  period: Period,
  t: Taxonomy,
  options: TableOptions,
  compare: boolean,
): Promise<{ table: StatsTable; compareTo: string | null; change: Change[] | null }> {
  const table = occupationTable(await load(period.quarters), period, t, options)
  if (!compare) return { table, compareTo: null, change: null }
  const before = previousYear(period)
  const then = occupationTable(await load(before.quarters), before, t, options)
  return { table, compareTo: before.label, change: changeOnYear(table, then) }
}
