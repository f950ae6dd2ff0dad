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
import { LEVELS } from './codes.ts'
import { InputError } from './errors.ts'
import type { CellFacts, Family, SuppressionReason, SuppressionRule } from './suppress.ts'
import { DEFAULT_SUPPRESSION_RULE, primaryReason, suppressHierarchy } from './suppress.ts'
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

/**
 * The quarters a table of the period needs: those of its whole year. A year's cells are its quarters'
 * sums, so the year and its quarters are suppressed together (give `occupationTable` the year's
 * stored quarters; it picks the period's).
 */
export function yearQuarters(p: Period): number[] {
  const y = Math.floor((p.quarters[0] ?? 0) / 10)
  return [1, 2, 3, 4].map((k) => y * 10 + k)
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

/**
 * The table for a period. `data` are the stored quarters of the period's year (`yearQuarters`): the
 * table shows the period's (quarters of the period without data are listed as missing), suppressed
 * together with the year's and its other quarters' tables. Given only the period's quarters, the
 * tables of the rest of the year are not taken into account.
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
 * `part` accepts (the nonresidents), from one pass over the records.
 *
 * Suppression is worked out once for every level of the classification and every area (see
 * `suppressHierarchy`), and the table shows its slice of it: tables of different levels, areas,
 * groups or the statewide view can be read together without one revealing what another hides.
 * The table of nonresidents has its own.
 */
export function occupationTables(
  data: readonly QuarterData[],
  period: Period,
  t: Taxonomy,
  options: TableOptions,
  part?: (person: number) => boolean,
  /** names the part (the same key, the same people): its populations are kept for the next table */
  partKey?: string,
): [StatsTable, StatsTable | null] {
  const rule = options.rule ?? DEFAULT_SUPPRESSION_RULE
  const withinEntry = options.within ? t.get(options.within) : undefined
  const within = options.within ? (withinEntry?.code ?? options.within) : undefined
  // the period's quarters, and those of its year (given with it: suppressed together)
  const own = data.filter((d) => period.quarters.includes(d.quarter))
  const yearOf = yearQuarters(period)
  const year = data.filter((d) => yearOf.includes(d.quarter))
  const {
    leaves,
    areas,
    WG,
    h,
    all,
    part: others,
  } = populations(own, year, t, rule, options.person, part, partKey)

  // the table's rows: the codes that pass the filter, rolled up to the level; a group asked for at
  // its own level or above is one row, the group itself (not the part of a larger group it is)
  const levelAt = LEVELS.indexOf(options.level)
  const withinLevel = withinEntry ? LEVELS.indexOf(withinEntry.level) : LEVELS.length - 1
  const whole = within !== undefined && levelAt <= withinLevel
  const rowKeys = interner()
  const leafRow = Int32Array.from(leaves, (c) =>
    inGroup(c, within, t)
      ? rowKeys.index(whole ? (within as string) : rollUp(c, options.level, t))
      : -1,
  )
  // an area with no records in the period (a year's base serves its quarters) is no column
  const areaIn = (a: string, i: number) =>
    (options.area === undefined || a === options.area) && (all.facts.count[ROOT * WG + i] ?? 0) > 0
  const colKeys = interner()
  const areaColumn = Int32Array.from(areas, (a, i) =>
    areaIn(a, i) ? (options.byArea ? colKeys.index(a) : 0) : -1,
  )
  const rowCodes = rowKeys.values
  const colAreas = colKeys.values
  const R = rowCodes.length
  const C = options.byArea ? colAreas.length : 0
  const W = C + 1 // the last column is the total
  // each row's node: its code at the level (or the group)
  const withinNode = within === undefined ? ROOT : h.node(withinLevel, within)
  const rowNode = Int32Array.from(rowCodes, (code) => (whole ? withinNode : h.node(levelAt, code)))
  // each column's column in the hierarchy (-1: an area with no records at all)
  const areaAt = options.area === undefined ? WG - 1 : areas.indexOf(options.area)
  const columnOf = Int32Array.from({ length: W }, (_, c) =>
    c < C ? areas.indexOf(colAreas[c] as string) : areaAt,
  )
  const build = ({ facts, hidden, buckets }: Population): StatsTable => {
    // each cell of the table is a node's cell: its workers and wages; the medians need the records
    const at = (r: number, c: number) => {
      const node = r === R ? withinNode : (rowNode[r] as number)
      const col = columnOf[c] as number
      return node >= 0 && col >= 0 ? node * WG + col : -1
    }
    const count = new Float64Array((R + 1) * W)
    const cents = new Float64Array((R + 1) * W)
    const why: (SuppressionReason | null)[] = []
    for (let r = 0; r <= R; r++)
      for (let c = 0; c < W; c++) {
        const i = at(r, c)
        why.push(i < 0 ? null : (hidden[(i / WG) | 0]?.[i % WG] ?? null))
        if (i < 0) continue
        count[r * W + c] = facts.count[i] as number
        cents[r * W + c] = facts.cents[i] as number
      }
    // medians of the cells shown (a suppressed cell's is never published)
    const medians = cellMedians(
      buckets,
      { WG, leafRow, areaColumn },
      R,
      W,
      (cell) => why[cell] === null,
    )
    // a year's workers: the average over the quarters that hold records (the missing ones are listed)
    const nq = Math.max(1, own.length)
    let primary = 0
    let complementary = 0
    const cellAt = (r: number, c: number): StatsCell => {
      const i = r * W + c
      const reason = why[i] ?? null
      if (reason === 'complementary') complementary++
      else if (reason) primary++
      if (reason) return { workers: null, wages: null, medianWages: null, suppressed: reason }
      const n = count[i] ?? 0
      return {
        workers: Math.round((n / nq) * 100) / 100,
        wages: Math.round(cents[i] ?? 0) / 100,
        medianWages: n > 0 ? Math.round(medians[i] ?? 0) / 100 : null,
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
      if ((count[r * W + C] ?? 0) === 0) continue
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
        note: `cells with fewer than ${rule.minEmployers} employers, or where one employer has more than ${Math.round(rule.maxEmployerShare * 100)}% of the workers, are suppressed (employers, dominance); further cells are suppressed (complementary) so that no suppressed value can be derived from the totals, nor from the tables of other levels, areas or groups, nor from the year's and its quarters' tables read together`,
      },
    }
  }
  const have = new Set(own.map((d) => d.quarter))
  // the same table of the same records (another report that shows it) is made once
  const key = `${period.label}|${options.level}|${options.byArea}|${within ?? ''}|${options.area ?? ''}`
  let table = all.tables?.get(key)
  if (!table) {
    table = build(all)
    if (all.tables) {
      if (all.tables.size >= KEPT_TABLES)
        all.tables.delete(all.tables.keys().next().value as string)
      all.tables.set(key, table)
    }
  }
  return [table, others ? build(others) : null]
}

/** A population's cells at every node of the hierarchy, their suppression, and its wages by leaf cell. */
type Population = {
  readonly facts: Facts
  readonly hidden: (SuppressionReason | null)[][]
  /** made when a table first needs the medians */
  readonly buckets: Buckets
  /** the tables made of a kept population, by what they show (the oldest dropped first) */
  readonly tables?: Map<string, StatsTable>
}

/** The hierarchy of some quarters' records: their codes as reported (leaves), areas and nodes. */
type Base = {
  readonly leaves: readonly string[]
  readonly areas: readonly string[]
  /** the hierarchy's columns: every area, then the total */
  readonly WG: number
  readonly h: Hierarchy
  /** per quarter, each code's leaf and each area's index */
  readonly codeLeaf: readonly Int32Array[]
  readonly areaLeaf: readonly Int32Array[]
}

/**
 * The suppression of all the records of a year's stored quarters, for the year and (once a quarter
 * is asked for) for each quarter, over one base (the year's), kept for the next table of any of them
 * (another level, area or group is a slice of the same). The stored quarters' data do not change (a
 * new version is a new object), so they are the key; a few years are kept per first quarter.
 */
type Kept = {
  readonly year: readonly QuarterData[]
  readonly rule: string
  readonly base: Base
  readonly flat: Flat
  readonly all: Population
  /** each quarter's population (in the order of `year`), made with the first quarter's table */
  quarters: Population[] | null
  /** each kept record's person (in the flat run's order), made with the first table of a part */
  persons: Float64Array | null
  /** the parts worked out on these records, by key (the latest first) */
  parts: KeptPart[]
}
/** A part's records (split from the year's) and populations: the year's, and its quarters' once asked. */
type KeptPart = {
  readonly key: string | undefined
  readonly flat: Flat
  readonly year: Population
  quarters: Population[] | null
}
const kept = new WeakMap<QuarterData, Kept[]>()
const KEPT_PER_QUARTER = 4
const KEPT_TABLES = 8
/** parts kept per year: a report's resident list, and one more */
const KEPT_PARTS = 2

/**
 * The base and the populations of a table of the period's quarters `data`: all its records (or
 * those `person` accepts), and `part`. `year` holds the stored quarters of the period's year: a
 * quarter's table is suppressed on the year's base, together with the year's and the other
 * quarters' (see `linkQuarters`).
 */
function populations(
  data: readonly QuarterData[],
  year: readonly QuarterData[],
  t: Taxonomy,
  rule: SuppressionRule,
  person: ((person: number) => boolean) | undefined,
  part: ((person: number) => boolean) | undefined,
  partKey?: string,
): Base & { all: Population; part: Population | null } {
  const population = (base: Base, records: Flat, seed?: Seed): Population => {
    const facts = hierarchyFacts(records, base.h, base.WG)
    const hidden = suppressHierarchy(facts.lines, base.h.families, rule, seed?.(facts))
    return withBuckets(facts, hidden, () => records, base.leaves.length * base.WG)
  }
  /**
   * The part's table is published beside the table of all: the others' cells (the residents') are
   * all minus part. Where one of theirs must not be known and all's cell is shown, the part's cell
   * is suppressed too (a part's cell of 0 leaves all's cell as the others' own: suppressed already).
   */
  const besideAll =
    (base: Base, all: Population, flat: Flat, mark: Uint8Array, quarter?: number): Seed =>
    (facts) => {
      // the others: the records without the part's mark (of the quarter, if one is named)
      const others = hierarchyFacts(flat, base.h, base.WG, mark, quarter)
      // one cell of theirs at a time, in one object
      const other = { value: 0, employers: 0, topShare: 0 }
      return facts.lines.map((line, node) =>
        line.map((c, col) => {
          const own = primaryReason(c, rule)
          if (own || c.value <= 0 || all.hidden[node]?.[col] != null) return own
          const i = node * base.WG + col
          other.value = others.count[i] as number
          other.employers = others.employers[i] as number
          other.topShare = other.value > 0 ? (others.top[i] as number) / other.value : 0
          return primaryReason(other, rule) ? 'complementary' : null
        }),
      )
    }
  const partOf = (base: Base, all: Population, flat: Flat): Population | null =>
    flat.part && flat.mark
      ? population(base, flat.part, besideAll(base, all, flat, flat.mark))
      : null
  const first = year[0]
  if (person !== undefined || first === undefined || data.length === 0) {
    // a filtered population (or no records): worked out for this table alone
    const base = baseOf(data, t)
    const flat = flatten(data, base.codeLeaf, base.areaLeaf, base.WG, person, part)
    const all = population(base, flat)
    return { ...base, all, part: partOf(base, all, flat) }
  }
  const ruleKey = `${rule.minEmployers}|${rule.maxEmployerShare}`
  const list = kept.get(first) ?? []
  let hit = list.find(
    (e) =>
      e.rule === ruleKey && e.year.length === year.length && e.year.every((d, i) => d === year[i]),
  )
  if (!hit) {
    const base = baseOf(year, t)
    const flat = flatten(year, base.codeLeaf, base.areaLeaf, base.WG, undefined, undefined)
    const all: Population = Object.assign(population(base, flat), {
      tables: new Map<string, StatsTable>(),
    })
    hit = {
      year: [...year],
      rule: ruleKey,
      base,
      flat,
      all,
      quarters: null,
      persons: null,
      parts: [],
    }
    list.unshift(hit)
    list.length = Math.min(list.length, KEPT_PER_QUARTER)
    kept.set(first, list)
  }
  // the year itself (a year of one stored quarter is that quarter), or one of its quarters
  let all = hit.all
  if (data.length < year.length) {
    hit.quarters ??= linkQuarters(hit.base, hit.flat, hit.all, year.length, rule)
    all = hit.quarters[year.indexOf(data[0] as QuarterData)] as Population
  }
  // the period's quarters on the year's base
  const index = data.map((d) => year.indexOf(d))
  const base: Base = {
    ...hit.base,
    codeLeaf: index.map((i) => hit.base.codeLeaf[i] as Int32Array),
    areaLeaf: index.map((i) => hit.base.areaLeaf[i] as Int32Array),
  }
  if (!part) return { ...base, all, part: null }
  // the part's records and the year's part, kept by key: another table of the same part (another
  // level, area or period of the year) starts from them
  const { base: yb } = hit
  let entry = partKey === undefined ? undefined : hit.parts.find((p) => p.key === partKey)
  if (!entry) {
    hit.persons ??= personsOf(year, hit.flat.n)
    const flat = splitFlat(hit.flat, hit.persons, part)
    entry = { key: partKey, flat, year: partOf(yb, hit.all, flat) as Population, quarters: null }
    if (partKey !== undefined) {
      hit.parts.unshift(entry)
      hit.parts.length = Math.min(hit.parts.length, KEPT_PARTS)
    }
  }
  if (data.length === year.length) return { ...base, all, part: entry.year }
  // a quarter's part, linked to the year's part and the other quarters' as the tables of all are
  const { flat } = entry
  const quarters = hit.quarters as Population[]
  entry.quarters ??= linkQuarters(yb, flat.part as Flat, entry.year, year.length, rule, (q) =>
    besideAll(yb, quarters[q] as Population, flat, flat.mark as Uint8Array, q),
  )
  return { ...base, all, part: entry.quarters[year.indexOf(data[0] as QuarterData)] as Population }
}

/**
 * The quarters' suppression, linked to the year's. A year's cell is its quarters' sum (its workers
 * their mean over the quarters with records), so the year's cell and the same cell of each quarter
 * with records there are one more equation. The year's suppression is its own (the year is the
 * table most read, and asking for a quarter never changes it); the quarters take the protection:
 * - a year's cell with records in one quarter only has that quarter's value: it is hidden in the
 *   quarter when hidden in the year, and, shown in the year, never a complementary cell there;
 * - otherwise, while a cell's family (the year and the quarters with records there) has exactly one
 *   hidden member, the quarter's with the fewest workers among the shown ones is hidden too, and
 *   the quarters that changed are closed again.
 * Returns each quarter's population (in the order of the year's quarters).
 */
function linkQuarters(
  base: Base,
  flat: Flat,
  year: Population,
  nQuarters: number,
  rule: SuppressionRule,
  /** what each quarter suppresses from the start (default: its primary cells) */
  seedOf?: (quarter: number) => Seed,
): Population[] {
  const { h, WG } = base
  const size = h.size * WG
  const facts = Array.from({ length: nQuarters }, (_, q) =>
    hierarchyFacts(flat, h, WG, undefined, q),
  )
  // in how many quarters each cell has records, and the last of them
  const present = new Uint8Array(size)
  const only = new Int8Array(size).fill(-1)
  facts.forEach((f, q) => {
    for (let i = 0; i < size; i++)
      if ((f.count[i] as number) > 0) {
        present[i] = (present[i] as number) + 1
        only[i] = q
      }
  })
  const yearHidden = (i: number) => {
    const node = (i / WG) | 0
    return year.hidden[node]?.[i - node * WG] != null
  }
  // per quarter, the cells the year's show (1) or hide (2) outright: those of cells with records in
  // that quarter only, and every cell of the quarter with the same records (a group whose other
  // members have none there is its one member)
  const fixedIn = facts.map((f, q) => {
    const same = sameCells(f, h, WG)
    const mark = new Uint8Array(size)
    for (let i = 0; i < size; i++)
      if (present[i] === 1 && only[i] === q) {
        const r = same(i)
        mark[r] = Math.max(mark[r] as number, yearHidden(i) ? 2 : 1)
      }
    for (let i = 0; i < size; i++) mark[i] = mark[same(i)] as number
    return mark
  })
  const hidden = facts.map((f, q) => {
    const fixed = fixedIn[q] as Uint8Array
    const lines = f.lines.map((line, node) =>
      line.map((c, col) => (fixed[node * WG + col] === 1 ? { ...c, fixed: true } : c)),
    )
    const first = seedOf?.(q)(f)
    const seed = lines.map((line, node) =>
      line.map((c, col) => {
        const why = first ? (first[node]?.[col] ?? null) : primaryReason(c, rule)
        return fixed[node * WG + col] === 2 ? (why ?? 'complementary') : why
      }),
    )
    return { lines, out: suppressHierarchy(lines, h.families, rule, seed) }
  })
  for (let changed = true; changed; ) {
    changed = false
    const added: number[][] = facts.map(() => [])
    for (let i = 0; i < size; i++) {
      if ((present[i] as number) < 2) continue
      const node = (i / WG) | 0
      const col = i - node * WG
      let nHidden = yearHidden(i) ? 1 : 0
      let cheapest = -1
      let least = Number.POSITIVE_INFINITY
      for (let q = 0; q < facts.length; q++) {
        const v = (facts[q] as Facts).count[i] as number
        if (v <= 0) continue // a public zero
        if (hidden[q]?.out[node]?.[col] != null) nHidden++
        else if (v < least && fixedIn[q]?.[i] !== 1) {
          least = v
          cheapest = q
        }
      }
      if (nHidden === 1 && cheapest >= 0) (added[cheapest] as number[]).push(i)
    }
    hidden.forEach((x, q) => {
      const cells = added[q] as number[]
      if (cells.length === 0) return
      changed = true
      const lines = new Set<number>()
      for (const i of cells) {
        const node = (i / WG) | 0
        ;(x.out[node] as (SuppressionReason | null)[])[i - node * WG] = 'complementary'
        lines.add(node)
      }
      x.out = suppressHierarchy(x.lines, h.families, rule, x.out, [...lines])
    })
  }
  const nLeafCells = base.leaves.length * WG
  // (assigned, not spread: a spread would read the buckets at once)
  return facts.map((f, q) =>
    Object.assign(
      withBuckets(
        f,
        hidden[q]?.out as (SuppressionReason | null)[][],
        () => quarterRecords(flat, q),
        nLeafCells,
      ),
      { tables: new Map<string, StatsTable>() },
    ),
  )
}

/**
 * A population whose wages by cell (for the medians) are sorted out of its records when a table
 * first needs them: a quarter's table needs the year's suppression, not the year's medians.
 */
function withBuckets(
  facts: Facts,
  hidden: (SuppressionReason | null)[][],
  records: () => Flat,
  nLeafCells: number,
): Population {
  let made: Buckets | null = null
  return {
    facts,
    hidden,
    get buckets() {
      made ??= buckets(records(), nLeafCells)
      return made
    },
  }
}

/**
 * Cells of one period that hold the same records, on a hierarchy made for more records (a year's,
 * for one of its quarters): a group's cell whose members but one are empty there is that member's.
 * Returns each cell's representative.
 */
function sameCells(f: Facts, h: Hierarchy, WG: number): (cell: number) => number {
  const up = Int32Array.from({ length: h.size * WG }, (_, i) => i)
  const find = (i: number): number => {
    let r = i
    while (up[r] !== r) r = up[r] as number
    while (up[i] !== r) {
      const next = up[i] as number
      up[i] = r
      i = next
    }
    return r
  }
  for (const fam of h.families)
    for (let col = 0; col < WG; col++) {
      const p = fam.parent * WG + col
      if ((f.count[p] as number) <= 0) continue
      let one = -1
      let n = 0
      for (const k of fam.children)
        if ((f.count[k * WG + col] as number) > 0) {
          n++
          one = k * WG + col
        }
      if (n === 1) up[find(one)] = find(p)
    }
  return find
}

/** One quarter's records (in the same order: an employer's still come together). */
function quarterRecords(flat: Flat, quarter: number): Flat {
  const { mark, count } = markWhere(flat.quarterOf, flat.n, (q) => q === quarter)
  return pickRecords(flat, mark, count)
}

/** Cells to suppress from the start, the primary ones among them (a line per node, a cell per column). */
type Seed = (facts: Facts) => (SuppressionReason | null)[][]

function baseOf(data: readonly QuarterData[], t: Taxonomy): Base {
  // every record by its code as reported (a leaf of the hierarchy) and its area
  const leafKeys = interner()
  const codeLeaf = data.map((d) => Int32Array.from(d.codes, (c) => leafKeys.index(c)))
  const areaKeys = interner()
  const areaLeaf = data.map((d) => Int32Array.from(d.areas, (a) => areaKeys.index(a)))
  const leaves = leafKeys.values
  const areas = areaKeys.values
  return { leaves, areas, WG: areas.length + 1, h: hierarchy(leaves, t), codeLeaf, areaLeaf }
}

/** The hierarchy's node of the grand total. */
const ROOT = 0

/**
 * The nodes of the classification the records reach, for suppression: the grand total, then each
 * leaf (a code as reported) at every level. A node is a level and a code; a detailed code with
 * extensions is two nodes, the detailed one (with its extensions' records) and the code as
 * reported (without). An only child has its parent's records, so it is its parent's node: a
 * family has two children or more.
 */
type Hierarchy = {
  readonly size: number
  /** each leaf's nodes below the grand total, in chainStart[leaf] .. chainStart[leaf + 1] */
  readonly chainStart: Int32Array
  readonly chain: Int32Array
  readonly families: readonly Family[]
  /** the node of a code at a level (LEVELS index), -1 when no record reaches it */
  node(level: number, code: string): number
}

function hierarchy(leaves: readonly string[], t: Taxonomy): Hierarchy {
  // every level's node of every leaf, numbered as first seen (a parent before its children)
  const ids = new Map<string, number>()
  const parentOf: number[] = [-1]
  const raw: number[] = []
  leaves.forEach((code) => {
    let parent = ROOT
    LEVELS.forEach((level, li) => {
      const key = `${li}|${rollUp(code, level, t)}`
      let id = ids.get(key)
      if (id === undefined) {
        id = parentOf.length
        ids.set(key, id)
        parentOf.push(parent)
      }
      raw.push(id)
      parent = id
    })
  })
  const kids = new Int32Array(parentOf.length)
  for (let id = 1; id < parentOf.length; id++) {
    const p = parentOf[id] as number
    kids[p] = (kids[p] as number) + 1
  }
  // an only child is its parent's node; the rest are numbered densely
  const node = new Int32Array(parentOf.length)
  let size = 1
  for (let id = 1; id < parentOf.length; id++) {
    const p = parentOf[id] as number
    node[id] = kids[p] === 1 ? (node[p] as number) : size++
  }
  // a family for every table that can be asked for: a group (or the grand total) and its members
  // at any level below it; the same members found again are the same family
  const L = LEVELS.length
  const members = new Map<string, Set<number>>()
  for (let leaf = 0; leaf < leaves.length; leaf++)
    for (let i = -1; i < L - 1; i++) {
      const p = i < 0 ? ROOT : (node[raw[leaf * L + i] as number] as number)
      for (let j = i + 1; j < L; j++) {
        const key = `${p}|${j}`
        const c = node[raw[leaf * L + j] as number] as number
        const set = members.get(key)
        if (set) set.add(c)
        else members.set(key, new Set([c]))
      }
    }
  const families = new Map<string, Family>()
  for (const [key, set] of members) {
    const parent = Number(key.slice(0, key.indexOf('|')))
    if (set.size === 1 && set.has(parent)) continue
    const children = [...set].sort((a, b) => a - b)
    families.set(`${parent}|${children.join(',')}`, { parent, children })
  }
  // the grand total's line adds up too, even with no family below it (a single occupation)
  if (![...families.values()].some((f) => f.parent === ROOT))
    families.set('root', { parent: ROOT, children: [] })
  const chainStart = new Int32Array(leaves.length + 1)
  const chain: number[] = []
  for (let leaf = 0; leaf < leaves.length; leaf++) {
    let last = ROOT
    for (let li = 0; li < LEVELS.length; li++) {
      const n = node[raw[leaf * LEVELS.length + li] as number] as number
      if (n !== last) chain.push(n)
      last = n
    }
    chainStart[leaf + 1] = chain.length
  }
  return {
    size,
    chainStart,
    chain: Int32Array.from(chain),
    families: [...families.values()],
    node: (level, code) => {
      const id = ids.get(`${level}|${code}`)
      return id === undefined ? -1 : (node[id] as number)
    },
  }
}

/**
 * Workers, employers and the largest employer's count of every node of the hierarchy in every
 * column (of the records not marked in `skip`). Each employer's records are first summed by leaf
 * and area, then added to the node of each level, the total column and the grand total.
 */
function hierarchyFacts(
  flat: Flat,
  h: Hierarchy,
  WG: number,
  skip?: Uint8Array,
  /** only the records of this quarter (an index into the quarters flattened) */
  quarter?: number,
): Facts {
  const size = h.size * WG
  const count = new Float64Array(size)
  const cents = new Float64Array(size)
  const employers = new Float64Array(size)
  const top = new Float64Array(size)
  const lastEmp = new Int32Array(size).fill(-1)
  const run = new Float64Array(size)
  const add = (cell: number, w: number, wc: number, emp: number) => {
    count[cell] = (count[cell] as number) + w
    cents[cell] = (cents[cell] as number) + wc
    if (lastEmp[cell] !== emp) {
      if (lastEmp[cell] !== -1) {
        employers[cell] = (employers[cell] as number) + 1
        if ((run[cell] as number) > (top[cell] as number)) top[cell] = run[cell] as number
      }
      lastEmp[cell] = emp
      run[cell] = w
    } else run[cell] = (run[cell] as number) + w
  }
  const tc = WG - 1
  const { chain, chainStart } = h
  // one employer's records by leaf cell
  const nLeafCells = (chainStart.length - 1) * WG
  const own = new Float64Array(nLeafCells)
  const ownCents = new Float64Array(nLeafCells)
  const touched = new Int32Array(nLeafCells)
  let nTouched = 0
  const flush = (emp: number) => {
    for (let i = 0; i < nTouched; i++) {
      const cell = touched[i] as number
      const w = own[cell] as number
      const wc = ownCents[cell] as number
      own[cell] = 0
      ownCents[cell] = 0
      const leaf = (cell / WG) | 0
      const col = cell - leaf * WG
      add(ROOT * WG + col, w, wc, emp)
      add(ROOT * WG + tc, w, wc, emp)
      const end = chainStart[leaf + 1] as number
      for (let j = chainStart[leaf] as number; j < end; j++) {
        const node = chain[j] as number
        add(node * WG + col, w, wc, emp)
        add(node * WG + tc, w, wc, emp)
      }
    }
    nTouched = 0
  }
  const { cellOf, empOf, centsOf } = flat
  let current = -1
  // the filters as plain locals: the loop runs over a year's records, five times for a quarter
  const skipped = skip ?? null
  const quarterOf = flat.quarterOf
  const only = quarter ?? -1
  for (let k = 0; k < flat.n; k++) {
    if ((skipped !== null && skipped[k] === 1) || (only >= 0 && quarterOf[k] !== only)) continue
    const emp = empOf[k] as number
    if (emp !== current) {
      if (current !== -1) flush(current)
      current = emp
    }
    const cell = cellOf[k] as number
    if (own[cell] === 0) touched[nTouched++] = cell
    own[cell] = (own[cell] as number) + 1
    ownCents[cell] = (ownCents[cell] as number) + (centsOf[k] as number)
  }
  if (current !== -1) flush(current)
  for (let cell = 0; cell < size; cell++)
    if (lastEmp[cell] !== -1) {
      employers[cell] = (employers[cell] as number) + 1
      if ((run[cell] as number) > (top[cell] as number)) top[cell] = run[cell] as number
    }
  let lines: CellFacts[][] | null = null
  return {
    count,
    cents,
    employers,
    top,
    get lines() {
      lines ??= Array.from({ length: h.size }, (_, node) =>
        Array.from({ length: WG }, (_, col) => {
          const i = node * WG + col
          const v = count[i] as number
          return {
            value: v,
            employers: employers[i] as number,
            topShare: v > 0 ? (top[i] as number) / v : 0,
          }
        }),
      )
      return lines
    },
  }
}

/**
 * Each node's workers, wages, employers and largest employer's workers in each column (node x WG),
 * and its lines of facts for suppression (made when first read).
 */
type Facts = {
  readonly count: Float64Array
  readonly cents: Float64Array
  readonly employers: Float64Array
  readonly top: Float64Array
  readonly lines: CellFacts[][]
}

/** The kept records in one flat run, each with its cell; all quarters' records of an employer together. */
type Flat = {
  readonly n: number
  readonly cellOf: Int32Array
  readonly empOf: Int32Array
  readonly centsOf: Float64Array
  /** the records the second table's filter accepts, in the same order */
  readonly part: Flat | null
  /** per record, 1 when the second table's filter accepts it (null: no filter) */
  readonly mark: Uint8Array | null
  /** per record, its quarter (an index into the quarters flattened) */
  readonly quarterOf: Uint8Array
}

/**
 * The records, each with its leaf cell (code as reported x area), that `accept` keeps; with `part`,
 * also split into those it accepts and the rest. Records are visited employer by employer across
 * all the quarters (each quarter is stored in employer order; their segments are merged), so an
 * employer's records come together: `hierarchyFacts` then counts employers and the largest
 * employer's share without a map.
 */
function flatten(
  data: readonly QuarterData[],
  codeLeaf: readonly Int32Array[],
  areaLeaf: readonly Int32Array[],
  W: number,
  accept: ((person: number) => boolean) | undefined,
  part: ((person: number) => boolean) | undefined,
): Flat {
  // per quarter, the leaf cell of each record (-1: not accepted)
  const base = data.map((d, q) => {
    const cl = codeLeaf[q] as Int32Array
    const al = areaLeaf[q] as Int32Array
    const out = new Int32Array(d.code.length)
    for (let i = 0; i < d.code.length; i++)
      out[i] =
        accept && !accept(d.person[i] as number)
          ? -1
          : (cl[d.code[i] as number] as number) * W + (al[d.area[i] as number] as number)
    return out
  })
  let total = 0
  for (const b of base) total += b.length
  const cellOf = new Int32Array(total)
  const empOf = new Int32Array(total)
  const centsOf = new Float64Array(total)
  const quarterOf = new Uint8Array(total)
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
      quarterOf[n] = q
      if (partOf && part?.(d.person[i] as number)) {
        partOf[n] = 1
        inPart++
      }
      n++
    }
  })
  const flat = { n, cellOf, empOf, centsOf, quarterOf, part: null, mark: null }
  return partOf ? { ...flat, part: pickRecords(flat, partOf, inPart), mark: partOf } : flat
}

/**
 * Each record's person, in the order `flatten` runs the quarters' records (employer by employer)
 * when it keeps them all: the n records of the kept year.
 */
function personsOf(data: readonly QuarterData[], n: number): Float64Array {
  const out = new Float64Array(n)
  let k = 0
  forEachEmployerSegment(data, (q, from, to) => {
    out.set((data[q] as QuarterData).person.subarray(from, to), k)
    k += to - from
  })
  return out
}

/** The kept records with those `part` accepts marked and picked, as `flatten` makes them with it. */
function splitFlat(flat: Flat, persons: Float64Array, part: (person: number) => boolean): Flat {
  const { mark, count } = markWhere(persons, flat.n, part)
  return { ...flat, part: pickRecords(flat, mark, count), mark }
}

/** Records 0..n-1 marked (1) where `test` holds of their value, and how many. */
function markWhere(
  values: ArrayLike<number>,
  n: number,
  test: (value: number) => boolean,
): { mark: Uint8Array; count: number } {
  const mark = new Uint8Array(n)
  let count = 0
  for (let k = 0; k < n; k++)
    if (test(values[k] as number)) {
      mark[k] = 1
      count++
    }
  return { mark, count }
}

/** The marked records (m of them), in the same order. */
function pickRecords(flat: Flat, mark: Uint8Array, count: number): Flat {
  const pc = new Int32Array(count)
  const pe = new Int32Array(count)
  const pw = new Float64Array(count)
  const pq = new Uint8Array(count)
  let j = 0
  for (let k = 0; k < flat.n; k++)
    if (mark[k] === 1) {
      pc[j] = flat.cellOf[k] as number
      pe[j] = flat.empOf[k] as number
      pw[j] = flat.centsOf[k] as number
      pq[j] = flat.quarterOf[k] as number
      j++
    }
  return { n: count, cellOf: pc, empOf: pe, centsOf: pw, quarterOf: pq, part: null, mark: null }
}

/** The records' wages sorted by leaf cell (leaf x area): cell i's are cents[start[i]] .. cents[start[i + 1]]. */
type Buckets = { readonly start: Int32Array; readonly cents: Float64Array }

function buckets(flat: Flat, nLeafCells: number): Buckets {
  const start = new Int32Array(nLeafCells + 1)
  for (let k = 0; k < flat.n; k++) {
    const cell = (flat.cellOf[k] as number) + 1
    start[cell] = (start[cell] as number) + 1
  }
  for (let i = 0; i < nLeafCells; i++)
    start[i + 1] = (start[i + 1] as number) + (start[i] as number)
  const fill = start.slice(0, nLeafCells)
  const cents = new Float64Array(flat.n)
  for (let k = 0; k < flat.n; k++) {
    const cell = flat.cellOf[k] as number
    const at = fill[cell] as number
    cents[at] = flat.centsOf[k] as number
    fill[cell] = at + 1
  }
  return { start, cents }
}

/**
 * The median wages of every cell of a table (R rows and the total row, W columns with the total
 * last), its leaf cells' wages copied side by side and then selected (not sorted). Only the cells
 * of the grid and the column totals get slices: a row's cells lie side by side, so its total is
 * selected over their range, and the grand total over all of them, after the cells'.
 */
function cellMedians(
  b: Buckets,
  /** the leaf cells' table cells: each leaf's row and each area's column (-1: left out) */
  { WG, leafRow, areaColumn }: { WG: number; leafRow: Int32Array; areaColumn: Int32Array },
  R: number,
  W: number,
  wanted: (cell: number) => boolean,
): Float64Array {
  const nCells = (R + 1) * W
  const tc = W - 1
  const sliced = (cell: number) => W === 1 || cell % W !== tc
  // each table cell's leaf cells
  const nLeafCells = b.start.length - 1
  const cellOfLeaf = new Int32Array(nLeafCells).fill(-1)
  const size = new Int32Array(nCells + 1)
  for (let lc = 0; lc < nLeafCells; lc++) {
    const leaf = (lc / WG) | 0
    const row = leafRow[leaf] as number
    const col = areaColumn[lc - leaf * WG] as number
    if (row < 0 || col < 0) continue
    const cell = row * W + (W === 1 ? tc : col)
    cellOfLeaf[lc] = cell
    const n = (b.start[lc + 1] as number) - (b.start[lc] as number)
    size[cell + 1] = (size[cell + 1] as number) + n
    if (W > 1) size[R * W + (cell % W) + 1] = (size[R * W + (cell % W) + 1] as number) + n
  }
  const start = new Int32Array(nCells + 1)
  for (let cell = 0; cell < nCells; cell++)
    start[cell + 1] = (start[cell] as number) + (sliced(cell) ? (size[cell + 1] as number) : 0)
  const all = new Float64Array(start[nCells] as number)
  const fill = start.slice(0, nCells)
  for (let lc = 0; lc < nLeafCells; lc++) {
    const cell = cellOfLeaf[lc] as number
    if (cell < 0) continue
    const part = b.cents.subarray(b.start[lc] as number, b.start[lc + 1] as number)
    all.set(part, fill[cell] as number)
    fill[cell] = (fill[cell] as number) + part.length
    if (W > 1) {
      const colTotal = R * W + (cell % W)
      all.set(part, fill[colTotal] as number)
      fill[colTotal] = (fill[colTotal] as number) + part.length
    }
  }
  const medians = new Float64Array(nCells)
  const select = (cell: number, a: number, z: number) => {
    if (z > a && wanted(cell)) medians[cell] = medianOf(all.subarray(a, z))
  }
  for (let cell = 0; cell < nCells; cell++)
    if (sliced(cell)) select(cell, start[cell] as number, start[cell + 1] as number)
  if (W > 1)
    for (let row = 0; row < R; row++)
      select(row * W + tc, start[row * W] as number, start[row * W + tc] as number)
  // the grand total: every cell of the grid (rows 0..R-1); with one column, those are the rows
  select(R * W + tc, 0, start[R * W] as number)
  return medians
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
  const table = occupationTable(await load(yearQuarters(period)), period, t, options)
  if (!compare) return { table, compareTo: null, change: null }
  const before = previousYear(period)
  const then = occupationTable(await load(yearQuarters(before)), before, t, options)
  return { table, compareTo: before.label, change: changeOnYear(table, then) }
}
