/** The statistics as CSV downloads (long form: one line per cell, suppressed values empty with the reason). */
import type { ProgramsReport, ResidencyReport } from '../core/outcomes.ts'
import type { StatsTable } from '../core/stats.ts'
import { csvLine } from './batch.ts'

const num = (v: number | null): string => (v === null ? '' : String(v))

export function tableCsv(table: StatsTable): string {
  const head = csvLine([
    'period',
    'level',
    'code',
    'title',
    'area',
    'workers',
    'wages',
    'median_wages',
    'suppressed',
  ])
  // empty cells (no workers, nothing suppressed) are left out, except the totals
  const last = table.columns.length - 1
  const lines = [...table.rows, table.total].flatMap((r) =>
    r.cells.flatMap((c, i) =>
      c.workers === 0 && i !== last
        ? []
        : csvLine([
            table.period,
            table.level,
            r.code,
            r.title,
            table.columns[i] ?? 'total',
            num(c.workers),
            num(c.wages),
            num(c.medianWages),
            c.suppressed ?? '',
          ]),
    ),
  )
  return head + lines.join('')
}

export function residencyCsv(report: ResidencyReport): string {
  const head = csvLine([
    'period',
    'code',
    'title',
    'area',
    'workers',
    'nonresidents',
    'nonresident_share',
    'wages',
    'nonresident_wages',
    'nonresident_wage_share',
    'suppressed',
  ])
  const lines = [...report.rows, ...report.total].map((r) =>
    csvLine([
      report.period,
      r.code,
      r.title,
      r.area,
      num(r.workers),
      num(r.nonresidents),
      num(r.nonresidentShare),
      num(r.wages),
      num(r.nonresidentWages),
      num(r.nonresidentWageShare),
      r.suppressed ?? '',
    ]),
  )
  return head + lines.join('')
}

export function programsCsv(report: ProgramsReport): string {
  const head = csvLine([
    'cip',
    'title',
    'participants',
    'quarter_after_exit',
    'observed',
    'employed',
    'employed_share',
    'related_share',
    'median_wages',
    'suppressed',
  ])
  const lines = [...report.programs, report.all].flatMap((p) =>
    p.quarters.map((q) =>
      csvLine([
        p.cip,
        p.title,
        String(p.participants),
        String(q.after),
        String(q.observed),
        num(q.employed),
        num(q.employedShare),
        num(q.relatedShare),
        num(q.medianWages),
        q.suppressed ?? '',
      ]),
    ),
  )
  return head + lines.join('')
}
