/** The state's coding rules, in our own words, and the helper that applies them to a case. */
import { InputError } from './errors.ts'
import type { Taxonomy } from './taxonomy.ts'

export type CodingRule = { readonly id: string; readonly title: string; readonly text: string }

export const CODING_RULES: readonly CodingRule[] = [
  {
    id: 'work-performed',
    title: 'Code the work actually done',
    text: 'Choose the code for what the employee actually does, not for what they were trained or hired to do: a trained computer scientist who mainly manages is coded as a manager.',
  },
  {
    id: 'two-activities',
    title: 'Two activities: higher skill first, then more time',
    text: 'When one job mixes two different activities, report the activity that needs the higher skill or education; if both need the same level, report the one that takes most of the time.',
  },
  {
    id: 'last-job',
    title: 'Changed jobs: the last one',
    text: 'An employee who changed jobs during the quarter is reported in the occupation held at the end of the quarter.',
  },
  {
    id: 'supervisors',
    title: 'Supervisors: 20% / 80%',
    text: 'A supervisor who spends 20% or more of the time doing the same work as the staff is coded with that staff; one who spends more than 80% of the time supervising gets the supervisory code.',
  },
  {
    id: 'consultants',
    title: 'Consultants by what they practise',
    text: 'Consultants are coded by the occupation they practise (an engineering consultant is an engineer).',
  },
  {
    id: 'six-digits',
    title: 'Six digits, or the state extension',
    text: "Report a detailed six-digit SOC 2018 code, or the Alaska extension (such as 51-3022.05 for seafood processing workers) where the state defines one; never a group code, a SOC 2010 code or the business's NAICS industry code.",
  },
]

/** One activity of a job: its code and its share of the working time (0..1 or a percentage). */
export type Activity = { readonly code: string; readonly share: number }

export type RuleDecision = {
  /** the code to report */
  readonly code: string
  /** the rule that decided it */
  readonly rule: 'two-activities' | 'last-job' | 'supervisors'
  /** why, in one sentence */
  readonly reason: string
}

/** Typical entry education of a code (1..8), from its entry or its parent's. */
function educationRank(t: Taxonomy, code: string): number | null {
  const e = t.get(code)
  return e?.education?.rank ?? (e?.parent ? (t.get(e.parent)?.education?.rank ?? null) : null)
}

function label(t: Taxonomy, code: string): string {
  return `${code} ${t.get(code)?.title ?? ''}`.trim()
}

/**
 * Two (or more) activities in one job: the one needing the higher typical entry education; if
 * equal, the one taking most time.
 */
export function decideActivities(t: Taxonomy, activities: readonly Activity[]): RuleDecision {
  if (activities.length === 0)
    throw new InputError('EMPTY', 'no activities given: expected at least one', [])
  for (const [i, a] of activities.entries()) {
    if (!t.isReportable(a.code))
      throw new InputError(
        'NOT_REPORTABLE',
        `activity ${i + 1}: ${JSON.stringify(a.code)} is not a reportable code`,
        [
          {
            code: 'NOT_REPORTABLE',
            message: 'not a reportable code',
            path: ['activities', i, 'code'],
            value: a.code,
          },
        ],
      )
    if (!Number.isFinite(a.share) || a.share < 0)
      throw new InputError(
        'INVALID_SHARE',
        `activity ${i + 1}: share ${JSON.stringify(a.share)} must be a number of 0 or more`,
        [
          {
            code: 'INVALID_SHARE',
            message: 'invalid share',
            path: ['activities', i, 'share'],
            value: a.share,
          },
        ],
      )
  }
  if (activities.length === 1) {
    const only = activities[0] as Activity
    return {
      code: only.code,
      rule: 'two-activities',
      reason: `one activity: report ${label(t, only.code)}`,
    }
  }
  const ranked = activities
    .map((a) => ({ ...a, rank: educationRank(t, a.code) ?? 0 }))
    .sort((x, y) => y.rank - x.rank || y.share - x.share)
  const best = ranked[0] as (typeof ranked)[number]
  const second = ranked[1] as (typeof ranked)[number]
  const edu = (code: string) =>
    t.get(code)?.education?.typical ??
    t.get(t.get(code)?.parent ?? '')?.education?.typical ??
    'unknown'
  if (best.rank > second.rank) {
    return {
      code: best.code,
      rule: 'two-activities',
      reason: `${label(t, best.code)} needs more education (${edu(best.code)}) than ${label(t, second.code)} (${edu(second.code)}), so it is reported whatever the time split`,
    }
  }
  return {
    code: best.code,
    rule: 'two-activities',
    reason: `both need the same education (${edu(best.code)}); ${label(t, best.code)} takes most of the time (${best.share} against ${second.share})`,
  }
}

/** Jobs held during the quarter, in order: the last one. */
export function decideLastJob(t: Taxonomy, jobs: readonly string[]): RuleDecision {
  const last = jobs[jobs.length - 1]
  if (last === undefined)
    throw new InputError(
      'EMPTY',
      'no jobs given: expected the jobs held in the quarter, in order',
      [],
    )
  if (!t.isReportable(last))
    throw new InputError(
      'NOT_REPORTABLE',
      `the last job ${JSON.stringify(last)} is not a reportable code`,
      [],
    )
  return {
    code: last,
    rule: 'last-job',
    reason: `an employee who changed jobs is reported in the last one: ${label(t, last)}${jobs.length > 1 ? ` (after ${jobs.slice(0, -1).join(', ')})` : ''}`,
  }
}

/**
 * A supervisor: coded with the staff when 20% or more of the time goes to the staff's own work,
 * with the supervisory code when more than 80% goes to supervising.
 */
export function decideSupervisor(
  t: Taxonomy,
  supervisorCode: string,
  staffCode: string,
  staffWorkShare: number,
): RuleDecision {
  for (const c of [supervisorCode, staffCode])
    if (!t.isReportable(c))
      throw new InputError('NOT_REPORTABLE', `${JSON.stringify(c)} is not a reportable code`, [])
  const share = staffWorkShare > 1 ? staffWorkShare / 100 : staffWorkShare
  if (!Number.isFinite(share) || share < 0 || share > 1)
    throw new InputError(
      'INVALID_SHARE',
      `share of staff work ${JSON.stringify(staffWorkShare)} must be from 0 to 100%`,
      [],
    )
  const pct = Math.round(share * 100)
  return share >= 0.2
    ? {
        code: staffCode,
        rule: 'supervisors',
        reason: `${pct}% of the time doing the staff's own work (20% or more): coded with the staff, ${label(t, staffCode)}`,
      }
    : {
        code: supervisorCode,
        rule: 'supervisors',
        reason: `${100 - pct}% of the time supervising (more than 80%): the supervisory code, ${label(t, supervisorCode)}`,
      }
}
