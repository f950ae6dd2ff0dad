/**
 * The store of quarterly wage records: one interface, two implementations (SQLite through
 * better-sqlite3, the embedded default; PostgreSQL through pg, for a shared server). No state is
 * kept in the process: every answer comes from the database, so several processes can share one.
 */
import type { QuarterData } from '../core/stats.ts'
import type { PreparedRecord, PreparedSubmission } from '../ingest/submission.ts'

export type Role = 'employer' | 'analyst' | 'admin'
export const ROLES: readonly Role[] = ['employer', 'analyst', 'admin']

/** One stored wage record: a checked file's record, as ingest prepared it. */
export type StoredRecord = PreparedRecord

export type IngestInput = {
  readonly account: string
  /** year * 10 + quarter */
  readonly quarter: number
  /** sha256 of the file's bytes, hex */
  readonly fileHash: string
  readonly fileName: string
  /** rows read from the file (stored or not) */
  readonly rows: number
  readonly records: readonly StoredRecord[]
  readonly errors: number
  readonly warnings: number
  readonly forced: boolean
  /** who sent it: "cli:user" or "token:ID:label" */
  readonly actor: string
  /** called every `progressEvery` records while they are written (tests stop a process here) */
  readonly onProgress?: ((written: number) => void) | undefined
  readonly progressEvery?: number | undefined
}

/** What to store for a checked file: its records and counts, and where and by whom it was sent. */
export function ingestInput(
  p: PreparedSubmission,
  sent: {
    readonly account: string
    readonly quarter: number
    readonly fileName: string
    readonly forced: boolean
    readonly actor: string
  },
): IngestInput {
  return {
    ...sent,
    fileHash: p.hash,
    rows: p.rows,
    records: p.records,
    errors: p.errors,
    warnings: p.warnings,
  }
}

export type Submission = {
  readonly id: number
  readonly account: string
  readonly quarter: number
  readonly fileHash: string
  readonly fileName: string
  readonly rows: number
  readonly storedRows: number
  readonly cents: number
  readonly errors: number
  readonly warnings: number
  readonly forced: boolean
  readonly status: 'current' | 'replaced'
  /** the submission this one replaced */
  readonly replaces: number | null
  readonly receivedAt: string
  readonly actor: string
}

export type IngestResult =
  | { readonly status: 'stored' | 'replaced'; readonly submission: Submission }
  | { readonly status: 'duplicate'; readonly submission: Submission }

export type TokenRecord = {
  readonly id: number
  readonly role: Role
  /** the employer account an employer token is limited to */
  readonly account: string | null
  readonly label: string
  readonly createdAt: string
  readonly revokedAt: string | null
}

export type AuditEntry = {
  readonly id: number
  readonly at: string
  readonly actor: string
  readonly action: string
  readonly detail: string
}

export type SubmissionFilter = {
  readonly account?: string | undefined
  readonly quarter?: number | undefined
  /** include replaced submissions (the history); default false */
  readonly history?: boolean | undefined
  readonly limit?: number | undefined
}

export interface Store {
  readonly kind: 'sqlite' | 'postgres'
  /**
   * Store one employer's file for a quarter, all or nothing in one transaction. The file that is
   * already current for the account and quarter (the same hash) is a duplicate and changes nothing;
   * another file replaces the current one, which stays in the history.
   */
  ingest(input: IngestInput): Promise<IngestResult>
  submissions(filter?: SubmissionFilter): Promise<Submission[]>
  /** The quarters' current records as columns, from a snapshot rebuilt when the quarter changed. */
  quarterData(quarters: readonly number[]): Promise<QuarterData[]>
  /** The quarters that hold records, ascending. */
  quarters(): Promise<number[]>
  /** A per-installation secret (created at first use), e.g. the key that hashes SSNs. */
  secret(name: string): Promise<Buffer>
  createToken(hash: string, role: Role, account: string | null, label: string): Promise<TokenRecord>
  /** The live (not revoked) token with this hash. */
  findToken(hash: string): Promise<TokenRecord | null>
  tokens(): Promise<TokenRecord[]>
  revokeToken(id: number): Promise<boolean>
  audit(actor: string, action: string, detail: string): Promise<void>
  auditLog(limit?: number): Promise<AuditEntry[]>
  close(): Promise<void>
}

/** A submissions row as both databases return it (SQLite keeps booleans as 0/1). */
export type SubmissionRow = {
  id: number
  account: string
  quarter: number
  file_hash: string
  file_name: string
  rows: number
  stored_rows: number
  cents: number
  errors: number
  warnings: number
  forced: boolean | number
  status: 'current' | 'replaced'
  replaces: number | null
  received_at: string
  actor: string
}

export function toSubmission(r: SubmissionRow): Submission {
  return {
    id: r.id,
    account: r.account,
    quarter: r.quarter,
    fileHash: r.file_hash,
    fileName: r.file_name,
    rows: r.rows,
    storedRows: r.stored_rows,
    cents: r.cents,
    errors: r.errors,
    warnings: r.warnings,
    forced: r.forced === true || r.forced === 1,
    status: r.status,
    replaces: r.replaces,
    receivedAt: r.received_at,
    actor: r.actor,
  }
}

export type TokenRow = {
  id: number
  role: Role
  account: string | null
  label: string
  created_at: string
  revoked_at: string | null
}

export function toToken(r: TokenRow): TokenRecord {
  return {
    id: r.id,
    role: r.role,
    account: r.account,
    label: r.label,
    createdAt: r.created_at,
    revokedAt: r.revoked_at,
  }
}

/** Submissions with their employer's account (the same SQL on both databases). */
export const SUBMISSION_SELECT = `SELECT s.*, e.account FROM submissions s JOIN employers e ON e.id = s.employer_id`

/** The submissions a filter asks for, newest first: SQL with placeholders written by `mark(n)` (1-based). */
export function submissionsQuery(
  filter: SubmissionFilter,
  mark: (n: number) => string,
): { sql: string; params: (string | number)[] } {
  const where: string[] = []
  const params: (string | number)[] = []
  if (filter.account !== undefined) {
    params.push(filter.account)
    where.push(`e.account = ${mark(params.length)}`)
  }
  if (filter.quarter !== undefined) {
    params.push(filter.quarter)
    where.push(`s.quarter = ${mark(params.length)}`)
  }
  if (!filter.history) where.push(`s.status = 'current'`)
  const limit = Math.max(1, Math.min(filter.limit ?? 1000, 100000))
  return {
    sql: `${SUBMISSION_SELECT}${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY s.id DESC LIMIT ${limit}`,
    params,
  }
}

/** Builds a QuarterData from records read in employer order. */
export function quarterColumns(
  quarter: number,
  n: number,
  rows: Iterable<readonly [number, number, string, string, number]>,
): QuarterData {
  const codes: string[] = []
  const areas: string[] = []
  const codeIx = new Map<string, number>()
  const areaIx = new Map<string, number>()
  const code = new Uint16Array(n)
  const area = new Uint16Array(n)
  const employer = new Int32Array(n)
  const person = new Float64Array(n)
  const cents = new Float64Array(n)
  let i = 0
  for (const [e, p, c, a, w] of rows) {
    if (i >= n) break
    let ci = codeIx.get(c)
    if (ci === undefined) {
      ci = codes.length
      codeIx.set(c, ci)
      codes.push(c)
    }
    let ai = areaIx.get(a)
    if (ai === undefined) {
      ai = areas.length
      areaIx.set(a, ai)
      areas.push(a)
    }
    code[i] = ci
    area[i] = ai
    employer[i] = e
    person[i] = p
    cents[i] = w
    i++
  }
  return {
    quarter,
    codes,
    areas,
    code: code.subarray(0, i),
    area: area.subarray(0, i),
    employer: employer.subarray(0, i),
    person: person.subarray(0, i),
    cents: cents.subarray(0, i),
  }
}

/** A quarter's snapshot as stored: the dictionaries as JSON, each column's bytes. */
export type EncodedQuarter<B extends Uint8Array = Uint8Array> = {
  codes: string
  areas: string
  code: B
  area: B
  employer: B
  person: B
  cents: B
}

/** The snapshot's columns as bytes, and back. */
export function encodeQuarter(d: QuarterData): EncodedQuarter<Buffer> {
  const bytes = (a: ArrayBufferView) => Buffer.from(a.buffer, a.byteOffset, a.byteLength)
  return {
    codes: JSON.stringify(d.codes),
    areas: JSON.stringify(d.areas),
    code: bytes(d.code),
    area: bytes(d.area),
    employer: bytes(d.employer),
    person: bytes(d.person),
    cents: bytes(d.cents),
  }
}

export function decodeQuarter(quarter: number, s: EncodedQuarter): QuarterData {
  // a view of the driver's bytes when they are 8-byte aligned, else an aligned copy
  const view = <T>(
    b: Uint8Array,
    make: (buf: ArrayBuffer, offset: number, bytes: number) => T,
  ): T => {
    if (b.byteOffset % 8 === 0) return make(b.buffer as ArrayBuffer, b.byteOffset, b.byteLength)
    const copy = new Uint8Array(b.byteLength)
    copy.set(b)
    return make(copy.buffer, 0, b.byteLength)
  }
  return {
    quarter,
    codes: JSON.parse(s.codes) as string[],
    areas: JSON.parse(s.areas) as string[],
    code: view(s.code, (b, o, n) => new Uint16Array(b, o, n / 2)),
    area: view(s.area, (b, o, n) => new Uint16Array(b, o, n / 2)),
    employer: view(s.employer, (b, o, n) => new Int32Array(b, o, n / 4)),
    person: view(s.person, (b, o, n) => new Float64Array(b, o, n / 8)),
    cents: view(s.cents, (b, o, n) => new Float64Array(b, o, n / 8)),
  }
}

export function nowIso(): string {
  return new Date().toISOString()
}

/** Decoded quarter snapshots a process keeps: a year and the one before. */
const SNAPSHOTS_KEPT = 8

/**
 * The decoded snapshots a process has read, reused only while the quarter's version (read from the
 * database on every request) is unchanged: answers are never stale, and a restart loses nothing.
 */
export function createSnapshotCache(): {
  get(quarter: number, version: number): QuarterData | undefined
  keep(quarter: number, version: number, data: QuarterData): QuarterData
} {
  const decoded = new Map<number, { version: number; data: QuarterData }>()
  return {
    get(quarter, version) {
      const hit = decoded.get(quarter)
      return hit && hit.version === version ? hit.data : undefined
    },
    keep(quarter, version, data) {
      decoded.delete(quarter)
      decoded.set(quarter, { version, data })
      if (decoded.size > SNAPSHOTS_KEPT) decoded.delete(decoded.keys().next().value as number)
      return data
    },
  }
}
