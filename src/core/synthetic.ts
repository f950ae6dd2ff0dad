/**
 * Realistic synthetic wage files for tests, demos and benchmarks: an Alaska-like mix of occupations
 * (seasonal seafood processing, oil and gas, health care, government, retail, food service) with
 * faults injected at a known rate, each recorded with its row. Never real personal data: well-formed
 * SSNs are made up from areas 773-899 (never assigned before 2011) and paired with names drawn from
 * short lists of common names.
 */
import type { IssueKind } from './wage-report.ts'

export type SyntheticOptions = {
  readonly rows: number
  readonly seed?: number
  /** the share of rows with one fault, 0..1 (default 0.1) */
  readonly faultRate?: number
}

export type InjectedFault = { readonly row: number; readonly kind: IssueKind }

/** A seeded PRNG (mulberry32): the same seed, the same file. */
export function prng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** [code, job title, typical quarterly wages, weight] */
const JOBS: readonly (readonly [string, string, number, number])[] = [
  ['51-3022.05', 'Seafood Processor', 9000, 18],
  ['51-3022.05', 'Fish Processor', 8500, 6],
  ['51-1011', 'Processing Line Supervisor', 16000, 2],
  ['53-7062', 'Laborer', 9500, 6],
  ['47-5071', 'Roustabout', 21000, 4],
  ['47-5013', 'Service Unit Operator', 26000, 2],
  ['29-1141', 'Registered Nurse', 28000, 5],
  ['31-1131', 'Nursing Assistant', 11000, 4],
  ['31-1122', 'Personal Care Aide', 8000, 3],
  ['43-9061', 'Office Clerk', 11000, 4],
  ['33-3051', 'Police Officer', 24000, 2],
  ['25-2021', 'Elementary School Teacher', 21000, 3],
  ['41-2031', 'Retail Sales Associate', 8000, 5],
  ['41-2011', 'Cashier', 7000, 4],
  ['35-2014', 'Line Cook', 8000, 3],
  ['35-3031', 'Server', 6500, 3],
  ['53-3032', 'Truck Driver', 17000, 3],
  ['47-2061', 'Construction Laborer', 15000, 3],
  ['11-1021', 'General Manager', 30000, 2],
  ['43-3031', 'Bookkeeper', 12000, 2],
  ['49-9071', 'Maintenance Technician', 15000, 2],
  ['53-5011', 'Deckhand', 14000, 2],
]

const LAST = [
  'Smith',
  'Johnson',
  'Nguyen',
  'Garcia',
  'Santos',
  'Reyes',
  'Kim',
  'Brown',
  'Jones',
  'Miller',
  'Davis',
  'Wilson',
  'Anderson',
  'Taylor',
  'Thomas',
  'Moore',
  'Martin',
  'Jackson',
  'White',
  'Lopez',
  'Cruz',
  'Petersen',
  'Olsen',
  'Ivanov',
  'Tan',
]
const FIRST = [
  'Maria',
  'John',
  'Linh',
  'Jose',
  'Ana',
  'Mark',
  'Grace',
  'David',
  'Sarah',
  'James',
  'Elena',
  'Peter',
  'Rosa',
  'Minh',
  'Olga',
  'Luis',
  'Ruth',
  'Paul',
  'Amy',
  'Sam',
]
const AREAS = ['01', '02', '03', '04', '05', '06', '07', '08', '09', '10', '11', '12', '13', '14']

const FAULTS: readonly IssueKind[] = [
  'ssn-format',
  'ssn-invalid',
  'ssn-duplicate',
  'name-missing',
  'wages-not-positive',
  'wages-format',
  'occupation-missing',
  'occupation-group',
  'occupation-soc2010',
  'occupation-onet',
  'occupation-naics',
  'occupation-malformed',
  'area-format',
]

/** A made-up SSN, distinct for each i below 125 million: areas 773-899 were never assigned before 2011. */
export function syntheticSsn(i: number): string {
  const area = 773 + (i % 127)
  const group = 1 + (Math.floor(i / 127) % 99)
  const serial = 1 + (Math.floor(i / (127 * 99)) % 9999)
  return `${area}-${String(group).padStart(2, '0')}-${String(serial).padStart(4, '0')}`
}

export const SYNTHETIC_HEADER = 'SSN,Last Name,First Name,Job Title,Occupation Code,Wages,Area Code'

/**
 * Generate a wage file with a header (see SYNTHETIC_HEADER), one line per call of the iterator, and
 * the faults injected (row numbers as the user sees them: the header is row 1).
 */
export function generateWageFile(options: SyntheticOptions): {
  lines: Generator<string>
  faults: InjectedFault[]
} {
  const rnd = prng(options.seed ?? 1)
  const rate = options.faultRate ?? 0.1
  const faults: InjectedFault[] = []
  const total = JOBS.reduce((a, j) => a + j[3], 0)
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)] as T
  function* lines(): Generator<string> {
    yield SYNTHETIC_HEADER
    let lastGood: string | null = null
    for (let i = 0; i < options.rows; i++) {
      const row = i + 2
      let x = rnd() * total
      let job = JOBS[0] as (typeof JOBS)[number]
      for (const j of JOBS) {
        x -= j[3]
        if (x <= 0) {
          job = j
          break
        }
      }
      let ssn = syntheticSsn(i + 1)
      let last = pick(LAST)
      let first = pick(FIRST)
      const title = job[1]
      let code = job[0]
      let wages = (job[2] * (0.5 + rnd())).toFixed(2)
      let area = pick(AREAS)
      if (rnd() < rate) {
        let kind = pick(FAULTS)
        if (kind === 'ssn-duplicate' && lastGood === null) kind = 'ssn-invalid'
        faults.push({ row, kind })
        switch (kind) {
          case 'ssn-format':
            ssn = ssn.replace(/-/g, '').slice(0, 8)
            break
          case 'ssn-invalid':
            ssn = `9${ssn.slice(1)}`
            break
          case 'ssn-duplicate':
            ssn = lastGood as string
            break
          case 'name-missing':
            last = ''
            first = ''
            break
          case 'wages-not-positive':
            wages = rnd() < 0.5 ? '0.00' : `-${wages}`
            break
          case 'wages-format':
            wages = `${wages}5`
            break
          case 'occupation-missing':
            code = ''
            break
          case 'occupation-group':
            code = `${code.slice(0, 6)}0`
            if (code === job[0]) code = `${code.slice(0, 5)}00`
            break
          case 'occupation-soc2010':
            code = '15-1132'
            break
          case 'occupation-onet':
            code = '29-1141.01'
            break
          case 'occupation-naics':
            code = '311712'
            break
          case 'occupation-malformed':
            code = 'SEAFOOD'
            break
          case 'area-format':
            area = '7'
            break
        }
      }
      if (
        !faults.length ||
        faults[faults.length - 1]?.row !== row ||
        !faults[faults.length - 1]?.kind.startsWith('ssn')
      )
        lastGood = ssn
      yield [ssn, last, first, title, code, wages, area].join(',')
    }
  }
  return { lines: lines(), faults }
}

export type WorkforceOptions = {
  /** workers each quarter (about) */
  readonly workers: number
  readonly employers: number
  readonly quarters: readonly number[]
  readonly seed?: number
  /** more codes to draw from, beside the common Alaska jobs (e.g. every reportable code) */
  readonly codes?: readonly string[]
  /** the share of each employer's workers replaced every quarter; default 0.15 */
  readonly turnover?: number
}

export type EmployerFile = {
  readonly account: string
  readonly quarter: number
  /** the state's upload format: ssn,last,first,wages,soc,area; no header */
  readonly text: string
}

/**
 * A synthetic workforce over several quarters: employers of very different sizes (a few large, many
 * small), each with its own mix of occupations and a home area, workers who stay from quarter to
 * quarter with some turnover. Yields one clean file per employer and quarter, quarter by quarter.
 * `ssnOf(person)` gives the SSN of a person index, for resident and participant lists.
 */
export function generateWorkforce(options: WorkforceOptions): {
  files: Generator<EmployerFile>
  persons: () => number
  ssnOf: (person: number) => string
} {
  const rnd = prng(options.seed ?? 7)
  const turnover = options.turnover ?? 0.15
  const nE = Math.max(1, options.employers)
  // sizes: a heavy tail (Pareto, alpha 1.2), scaled to the number of workers
  const raw = Array.from({ length: nE }, () => 1 / (1 - rnd()) ** (1 / 1.2))
  const sum = raw.reduce((a, b) => a + b, 0)
  const sizes = raw.map((r) => Math.max(1, Math.round((r / sum) * options.workers)))
  const areas = Array.from({ length: 30 }, (_, i) => String(i + 1).padStart(2, '0'))
  const extra = options.codes ?? []
  const weight = JOBS.reduce((a, j) => a + j[3], 0)
  const pickJob = (): readonly [string, number] => {
    if (extra.length && rnd() < 0.35)
      return [extra[Math.floor(rnd() * extra.length)] as string, 8000 + rnd() * 20000]
    let x = rnd() * weight
    for (const j of JOBS) {
      x -= j[3]
      if (x <= 0) return [j[0], j[2]]
    }
    return [JOBS[0]?.[0] ?? '11-1021', 10000]
  }
  let nextPerson = 1
  const employers = sizes.map((size, e) => {
    const jobs = Array.from({ length: 1 + Math.floor(rnd() * Math.min(8, 1 + size / 4)) }, pickJob)
    const home = areas[Math.floor(rnd() * areas.length)] as string
    const roster = Array.from({ length: size }, () => ({
      person: nextPerson++,
      job: Math.floor(rnd() * jobs.length),
      area: rnd() < 0.85 ? home : (areas[Math.floor(rnd() * areas.length)] as string),
      pay: 0.5 + rnd() * 1.3,
    }))
    return { account: String(1000000 + e * 7), jobs, roster }
  })
  function* files(): Generator<EmployerFile> {
    for (let qi = 0; qi < options.quarters.length; qi++) {
      const quarter = options.quarters[qi] as number
      for (const emp of employers) {
        if (qi > 0)
          for (const w of emp.roster)
            if (rnd() < turnover) {
              w.person = nextPerson++
              w.pay = 0.5 + rnd() * 1.3
            }
        const lines: string[] = []
        for (const w of emp.roster) {
          const [code, base] = emp.jobs[w.job] as readonly [string, number]
          const first = FIRST[w.person % FIRST.length] as string
          const last = LAST[(w.person >> 3) % LAST.length] as string
          lines.push(
            `${syntheticSsn(w.person).replace(/-/g, '')},${last},${first},${(base * w.pay).toFixed(2)},${code},${w.area}`,
          )
        }
        yield { account: emp.account, quarter, text: `${lines.join('\n')}\n` }
      }
    }
  }
  return { files: files(), persons: () => nextPerson - 1, ssnOf: syntheticSsn }
}
