/**
 * The state's two person-matched reports, pure: the Nonresidents tables (workers matched against a
 * list of residents) and training-program outcomes (participants matched to the wage records in the
 * quarters after they exit). Persons are keyed hashes; no SSN reaches this module.
 */
import type { Level } from './codes.ts'
import type { KeySet } from './key-set.ts'
import type { Period, QuarterData, StatsRow, StatsTable } from './stats.ts'
import { addQuarters, formatQuarter, medianOf, occupationTables, rollUp, UNCODED } from './stats.ts'
import type { SuppressionRule } from './suppress.ts'
import { DEFAULT_SUPPRESSION_RULE, primaryReason } from './suppress.ts'
import type { Taxonomy } from './taxonomy.ts'

export type ResidencyRow = {
  readonly code: string
  readonly title: string
  readonly area: string
  readonly workers: number | null
  readonly nonresidents: number | null
  /** nonresidents / workers, 0..1 */
  readonly nonresidentShare: number | null
  readonly wages: number | null
  readonly nonresidentWages: number | null
  readonly nonresidentWageShare: number | null
  readonly suppressed: string | null
}

export type ResidencyReport = {
  readonly period: string
  readonly missingQuarters: readonly string[]
  readonly residentsListed: number
  readonly rows: readonly ResidencyRow[]
  readonly total: readonly ResidencyRow[]
  readonly suppression: StatsTable['suppression']
}

/**
 * Nonresident workers and wages by occupation (and area): the all-workers table and the
 * nonresidents' table side by side. The first is suppressed as every table of the period is; the
 * second also so that the residents (all minus nonresidents) give nothing away. `data` are the
 * stored quarters of the period's year (`yearQuarters`): a quarter's nonresidents are suppressed
 * together with the year's and its other quarters'.
 */
export function residencyReport(
  data: readonly QuarterData[],
  period: Period,
  t: Taxonomy,
  residents: KeySet | ReadonlySet<number>,
  options: { level: Level; byArea: boolean; within?: string | undefined; rule?: SuppressionRule },
): ResidencyReport {
  // the nonresidents of an equal list (a KeySet's digest) are worked out once per year
  const key = 'digest' in residents ? `nonresidents ${residents.digest}` : undefined
  const [all, nonresidents] = occupationTables(
    data,
    period,
    t,
    options,
    (p) => !residents.has(p),
    key,
  )
  const non = nonresidents as StatsTable
  const nonRows = new Map(non.rows.map((r) => [r.code, r]))
  const lines = (a: StatsRow, b: StatsRow | undefined): ResidencyRow[] =>
    a.cells.map((c, i) => {
      const area = all.columns[i] ?? 'total'
      const j = b ? non.columns.indexOf(area) : -1
      const n = b && j >= 0 ? b.cells[j] : undefined
      // a cell with no nonresidents is a published zero
      const nw = n ? n.workers : 0
      const nWages = n ? n.wages : 0
      const share = (x: number | null | undefined, y: number | null) =>
        x == null || y == null || y === 0 ? null : Math.round((x / y) * 1000) / 1000
      const why = [
        c.suppressed && `all: ${c.suppressed}`,
        n?.suppressed && `nonresidents: ${n.suppressed}`,
      ]
        .filter(Boolean)
        .join('; ')
      return {
        code: a.code,
        title: a.title,
        area,
        workers: c.workers,
        nonresidents: nw,
        nonresidentShare: share(nw, c.workers),
        wages: c.wages,
        nonresidentWages: nWages,
        nonresidentWageShare: share(nWages, c.wages),
        suppressed: why || null,
      }
    })
  return {
    period: all.period,
    missingQuarters: all.missingQuarters,
    residentsListed: residents.size,
    rows: all.rows.flatMap((r) => lines(r, nonRows.get(r.code))),
    total: lines(all.total, non.total),
    suppression: {
      ...all.suppression,
      primary: all.suppression.primary + non.suppression.primary,
      complementary: all.suppression.complementary + non.suppression.complementary,
    },
  }
}

export type Participant = {
  readonly person: number
  readonly cip: string
  readonly exitQuarter: number
}

export type QuarterOutcome = {
  /** quarters after the exit quarter: 1..4 */
  readonly after: number
  /** participants whose quarter is in the store */
  readonly observed: number
  readonly employed: number | null
  readonly employedShare: number | null
  /** of the employed: working in an occupation the CIP-SOC crosswalk relates to the program */
  readonly relatedShare: number | null
  /** median of the employed participants' wages in that quarter (all their jobs), in dollars */
  readonly medianWages: number | null
  readonly suppressed: string | null
}

export type ProgramOutcome = {
  readonly cip: string
  readonly title: string
  readonly participants: number
  readonly quarters: readonly QuarterOutcome[]
  /** the occupations the employed work in (their best-paid job), most common first */
  readonly occupations: readonly {
    readonly code: string
    readonly title: string
    readonly workers: number
    readonly related: boolean
  }[]
  /** participants in occupations held by too few participants or employers to show (which ones is not published) */
  readonly otherOccupations: number
}

export type ProgramsReport = {
  readonly programs: readonly ProgramOutcome[]
  readonly all: ProgramOutcome
  readonly quartersStored: readonly string[]
  readonly note: string
}

/** The quarters whose records a programs report reads: 1 to 4 after each participant's exit, ascending. */
export function followUpQuarters(participants: readonly Participant[]): number[] {
  const quarters = new Set<number>()
  for (const p of participants)
    for (let k = 1; k <= 4; k++) quarters.add(addQuarters(p.exitQuarter, k))
  return [...quarters].sort((a, b) => a - b)
}

export type ProgramOptions = {
  /** the level occupations are shown at; default detailed */
  readonly level?: Level
  readonly rule?: SuppressionRule
  /** results for fewer participants are not shown; default 3 */
  readonly minParticipants?: number
}

/**
 * Outcomes of program participants in quarters 1-4 after exit. A participant's job in a quarter is
 * the record with the highest wages (the occupation), and their wages are the sum of their records.
 */
export function programOutcomes(
  participants: readonly Participant[],
  data: readonly QuarterData[],
  t: Taxonomy,
  options: ProgramOptions = {},
): ProgramsReport {
  const rule = options.rule ?? DEFAULT_SUPPRESSION_RULE
  const minP = options.minParticipants ?? 3
  const level = options.level ?? 'detailed'
  const want = new Set(participants.map((p) => p.person))
  // per quarter: person -> best job and total wages
  type Job = { code: string; employer: number; best: number; total: number }
  const byQuarter = new Map<number, Map<number, Job>>()
  for (const d of data) {
    const m = new Map<number, Job>()
    for (let i = 0; i < d.code.length; i++) {
      const p = d.person[i] as number
      if (!want.has(p)) continue
      const c = d.cents[i] as number
      const j = m.get(p)
      const code = d.codes[d.code[i] as number] ?? UNCODED
      const employer = d.employer[i] as number
      if (!j) m.set(p, { code, employer, best: c, total: c })
      else {
        j.total += c
        if (c > j.best) {
          j.best = c
          j.code = code
          j.employer = employer
        }
      }
    }
    byQuarter.set(d.quarter, m)
  }
  const related = (cip: string, code: string) => {
    if (code === UNCODED) return false
    const detailed = code.slice(0, 7)
    return t.get(detailed)?.cip.includes(cip) ?? false
  }
  const outcome = (cip: string, title: string, group: readonly Participant[]): ProgramOutcome => {
    const quarters: QuarterOutcome[] = []
    const occ = new Map<string, { n: number; employers: Map<number, number>; related: boolean }>()
    for (let k = 1; k <= 4; k++) {
      let observed = 0
      let employed = 0
      let rel = 0
      const wages: number[] = []
      const employers = new Map<number, number>()
      for (const p of group) {
        const q = addQuarters(p.exitQuarter, k)
        const m = byQuarter.get(q)
        if (!m) continue
        observed++
        const j = m.get(p.person)
        if (!j) continue
        employed++
        wages.push(j.total)
        employers.set(j.employer, (employers.get(j.employer) ?? 0) + 1)
        const isRel = related(p.cip, j.code)
        if (isRel) rel++
        if (k === 2) {
          // occupations two quarters after exit, as the federal outcome measures count them
          const code = rollUp(j.code, level, t)
          const o = occ.get(code) ?? { n: 0, employers: new Map(), related: false }
          o.n++
          o.employers.set(j.employer, (o.employers.get(j.employer) ?? 0) + 1)
          o.related ||= isRel
          occ.set(code, o)
        }
      }
      let top = 0
      for (const v of employers.values()) top = Math.max(top, v)
      const small = observed < minP
      const wageWhy = primaryReason(
        { value: employed, employers: employers.size, topShare: employed ? top / employed : 0 },
        rule,
      )
      quarters.push({
        after: k,
        observed,
        employed: small ? null : employed,
        employedShare: small || observed === 0 ? null : round3(employed / observed),
        relatedShare: small || employed === 0 ? null : round3(rel / employed),
        medianWages:
          small || wageWhy || wages.length === 0 ? null : medianOf(Float64Array.from(wages)) / 100,
        suppressed:
          observed === 0
            ? 'no wage records stored for this quarter yet'
            : small
              ? `fewer than ${minP} participants observed`
              : wageWhy
                ? `median wages: ${wageWhy}`
                : null,
      })
    }
    const occupations: ProgramOutcome['occupations'][number][] = []
    let other = 0
    for (const [code, o] of occ) {
      let topE = 0
      for (const v of o.employers.values()) topE = Math.max(topE, v)
      const hide =
        o.n < minP ||
        primaryReason({ value: o.n, employers: o.employers.size, topShare: topE / o.n }, rule)
      if (hide) other += o.n
      else
        occupations.push({
          code,
          title: code === UNCODED ? 'Not coded' : (t.get(code)?.title ?? code),
          workers: o.n,
          related: o.related,
        })
    }
    occupations.sort((a, b) => b.workers - a.workers || a.code.localeCompare(b.code))
    return {
      cip,
      title,
      participants: group.length,
      quarters,
      occupations,
      otherOccupations: other,
    }
  }
  const byCip = new Map<string, Participant[]>()
  for (const p of participants) {
    const list = byCip.get(p.cip) ?? []
    list.push(p)
    byCip.set(p.cip, list)
  }
  const programs = [...byCip.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([cip, group]) => outcome(cip, t.snapshot.cipTitles[cip] ?? cip, group))
  return {
    programs,
    all: outcome('all', 'All programs', participants),
    quartersStored: data.map((d) => formatQuarter(d.quarter)),
    note: `quarters 1-4 after the exit quarter; a participant is employed in a quarter with any wage record; occupations are those two quarters after exit; results for fewer than ${minP} participants are not shown and median wages follow the employer rule (fewer than ${rule.minEmployers} employers or one over ${Math.round(rule.maxEmployerShare * 100)}%)`,
  }
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000
}
