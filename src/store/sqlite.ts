/** The SQLite store (better-sqlite3): a file, WAL journal, migrations by PRAGMA user_version. */
import { randomBytes } from 'node:crypto'
import Database from 'better-sqlite3'
import type { QuarterData } from '../core/stats.ts'
import type {
  AuditEntry,
  EncodedQuarter,
  IngestInput,
  IngestResult,
  Store,
  SubmissionFilter,
  SubmissionRow,
  TokenRow,
} from './store.ts'
import {
  createSnapshotCache,
  decodeQuarter,
  encodeQuarter,
  nowIso,
  quarterColumns,
  SUBMISSION_SELECT,
  submissionsQuery,
  toSubmission,
  toToken,
} from './store.ts'

/** Each entry moves the schema one version up; never edit one that has shipped. */
const MIGRATIONS: readonly string[] = [
  `CREATE TABLE settings (key TEXT PRIMARY KEY, value BLOB NOT NULL);
   CREATE TABLE employers (id INTEGER PRIMARY KEY, account TEXT NOT NULL UNIQUE);
   CREATE TABLE submissions (
     id INTEGER PRIMARY KEY,
     employer_id INTEGER NOT NULL REFERENCES employers(id),
     quarter INTEGER NOT NULL,
     file_hash TEXT NOT NULL,
     file_name TEXT NOT NULL,
     rows INTEGER NOT NULL,
     stored_rows INTEGER NOT NULL,
     cents INTEGER NOT NULL,
     errors INTEGER NOT NULL,
     warnings INTEGER NOT NULL,
     forced INTEGER NOT NULL,
     status TEXT NOT NULL CHECK (status IN ('current', 'replaced')),
     replaces INTEGER REFERENCES submissions(id),
     received_at TEXT NOT NULL,
     actor TEXT NOT NULL);
   CREATE UNIQUE INDEX submissions_current ON submissions(employer_id, quarter) WHERE status = 'current';
   CREATE INDEX submissions_hash ON submissions(file_hash);
   CREATE TABLE records (
     submission_id INTEGER NOT NULL, quarter INTEGER NOT NULL, employer_id INTEGER NOT NULL,
     person INTEGER NOT NULL, code TEXT NOT NULL, area TEXT NOT NULL, cents INTEGER NOT NULL);
   CREATE INDEX records_quarter ON records(quarter, employer_id);
   CREATE TABLE records_history (
     submission_id INTEGER NOT NULL, quarter INTEGER NOT NULL, employer_id INTEGER NOT NULL,
     person INTEGER NOT NULL, code TEXT NOT NULL, area TEXT NOT NULL, cents INTEGER NOT NULL);
   CREATE INDEX records_history_submission ON records_history(submission_id);
   CREATE TABLE quarter_versions (quarter INTEGER PRIMARY KEY, version INTEGER NOT NULL, records INTEGER NOT NULL);
   CREATE TABLE quarter_snapshots (
     quarter INTEGER PRIMARY KEY, version INTEGER NOT NULL, codes TEXT NOT NULL, areas TEXT NOT NULL,
     code BLOB NOT NULL, area BLOB NOT NULL, employer BLOB NOT NULL, person BLOB NOT NULL, cents BLOB NOT NULL);
   CREATE TABLE tokens (
     id INTEGER PRIMARY KEY, hash TEXT NOT NULL UNIQUE, role TEXT NOT NULL, account TEXT,
     label TEXT NOT NULL, created_at TEXT NOT NULL, revoked_at TEXT);
   CREATE TABLE audit (id INTEGER PRIMARY KEY, at TEXT NOT NULL, actor TEXT NOT NULL,
     action TEXT NOT NULL, detail TEXT NOT NULL);`,
]

/** Open (and migrate) the SQLite store at a path; ':memory:' for tests. */
export function openSqliteStore(path: string): Store {
  const db = new Database(path)
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = NORMAL')
  db.pragma('busy_timeout = 10000')
  db.pragma('foreign_keys = ON')
  migrate(db)
  const st = {
    employer: db.prepare<[string], { id: number }>('SELECT id FROM employers WHERE account = ?'),
    addEmployer: db.prepare<[string]>('INSERT INTO employers (account) VALUES (?)'),
    byHash: db.prepare<[string, string, number], SubmissionRow>(
      `${SUBMISSION_SELECT} WHERE s.file_hash = ? AND e.account = ? AND s.quarter = ? AND s.status = 'current'`,
    ),
    current: db.prepare<[number, number], { id: number; stored_rows: number }>(
      `SELECT id, stored_rows FROM submissions WHERE employer_id = ? AND quarter = ? AND status = 'current'`,
    ),
    retire: db.prepare<[number]>(`UPDATE submissions SET status = 'replaced' WHERE id = ?`),
    // the current file's records are all the account's records for the quarter (index records_quarter)
    toHistory: db.prepare<[number, number]>(
      'INSERT INTO records_history SELECT * FROM records WHERE quarter = ? AND employer_id = ?',
    ),
    dropRecords: db.prepare<[number, number]>(
      'DELETE FROM records WHERE quarter = ? AND employer_id = ?',
    ),
    addSubmission: db.prepare(
      `INSERT INTO submissions (employer_id, quarter, file_hash, file_name, rows, stored_rows, cents,
         errors, warnings, forced, status, replaces, received_at, actor)
       VALUES (@employer_id, @quarter, @file_hash, @file_name, @rows, @stored_rows, @cents,
         @errors, @warnings, @forced, 'current', @replaces, @received_at, @actor)`,
    ),
    addRecord: db.prepare<[number, number, number, number, string, string, number]>(
      'INSERT INTO records VALUES (?, ?, ?, ?, ?, ?, ?)',
    ),
    bump: db.prepare<[number, number]>(
      `INSERT INTO quarter_versions (quarter, version, records) VALUES (?, 1, ?)
       ON CONFLICT (quarter) DO UPDATE SET version = version + 1, records = records + excluded.records`,
    ),
    submission: db.prepare<[number], SubmissionRow>(`${SUBMISSION_SELECT} WHERE s.id = ?`),
    versions: db.prepare<[], { quarter: number; version: number; records: number }>(
      'SELECT quarter, version, records FROM quarter_versions',
    ),
    snapshotData: db.prepare<[number], EncodedQuarter<Buffer> & { version: number }>(
      'SELECT * FROM quarter_snapshots WHERE quarter = ?',
    ),
    scan: db
      .prepare<[number], [number, number, string, string, number]>(
        'SELECT employer_id, person, code, area, cents FROM records WHERE quarter = ? ORDER BY employer_id',
      )
      .raw(true),
    saveSnapshot: db.prepare(
      `INSERT OR REPLACE INTO quarter_snapshots VALUES (@quarter, @version, @codes, @areas, @code, @area, @employer, @person, @cents)`,
    ),
    getSecret: db.prepare<[string], { value: Buffer }>('SELECT value FROM settings WHERE key = ?'),
    addSecret: db.prepare<[string, Buffer]>(
      'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING',
    ),
  }

  const ingestTx = db.transaction((input: IngestInput): IngestResult => {
    const dup = st.byHash.get(input.fileHash, input.account, input.quarter)
    if (dup) return { status: 'duplicate', submission: toSubmission(dup) }
    let employer = st.employer.get(input.account)?.id
    if (employer === undefined) employer = Number(st.addEmployer.run(input.account).lastInsertRowid)
    const cur = st.current.get(employer, input.quarter)
    let removed = 0
    if (cur) {
      st.retire.run(cur.id)
      st.toHistory.run(input.quarter, employer)
      st.dropRecords.run(input.quarter, employer)
      removed = cur.stored_rows
    }
    let cents = 0
    for (const r of input.records) cents += r.cents
    const id = Number(
      st.addSubmission.run({
        employer_id: employer,
        quarter: input.quarter,
        file_hash: input.fileHash,
        file_name: input.fileName,
        rows: input.rows,
        stored_rows: input.records.length,
        cents,
        errors: input.errors,
        warnings: input.warnings,
        forced: input.forced ? 1 : 0,
        replaces: cur?.id ?? null,
        received_at: nowIso(),
        actor: input.actor,
      }).lastInsertRowid,
    )
    const every = input.progressEvery ?? 0
    let n = 0
    for (const r of input.records) {
      st.addRecord.run(id, input.quarter, employer, r.person, r.code, r.area, r.cents)
      n++
      if (every > 0 && n % every === 0) input.onProgress?.(n)
    }
    st.bump.run(input.quarter, input.records.length - removed)
    const saved = st.submission.get(id)
    if (!saved) throw new Error('the stored submission is missing')
    return { status: cur ? 'replaced' : 'stored', submission: toSubmission(saved) }
  })
  const decoded = createSnapshotCache()
  const snapshotOf = (quarter: number, version: number, records: number): QuarterData => {
    const mine = decoded.get(quarter, version)
    if (mine) return mine
    const have = st.snapshotData.get(quarter)
    if (have && have.version === version)
      return decoded.keep(quarter, version, decodeQuarter(quarter, have))
    // rebuild from the records, in employer order, reading the version in the same transaction
    const [data, at] = db.transaction((): [QuarterData, number] => {
      const v = st.versions.all().find((x) => x.quarter === quarter)
      const n = v?.records ?? records
      return [
        quarterColumns(quarter, Math.max(0, n), st.scan.iterate(quarter)),
        v?.version ?? version,
      ]
    })()
    st.saveSnapshot.run({ quarter, version: at, ...encodeQuarter(data) })
    return decoded.keep(quarter, at, data)
  }

  return {
    kind: 'sqlite',
    async ingest(input) {
      // IMMEDIATE takes the write lock at BEGIN, so two writers queue instead of failing
      return ingestTx.immediate(input)
    },
    async submissions(filter: SubmissionFilter = {}) {
      const q = submissionsQuery(filter, () => '?')
      return db
        .prepare<(string | number)[], SubmissionRow>(q.sql)
        .all(...q.params)
        .map(toSubmission)
    },
    async quarterData(quarters) {
      const versions = new Map(st.versions.all().map((v) => [v.quarter, v]))
      const out: QuarterData[] = []
      for (const q of quarters) {
        const v = versions.get(q)
        if (!v || v.records <= 0) continue
        out.push(snapshotOf(q, v.version, v.records))
      }
      return out
    },
    async quarters() {
      return st.versions
        .all()
        .filter((v) => v.records > 0)
        .map((v) => v.quarter)
        .sort((a, b) => a - b)
    },
    async secret(name) {
      const have = st.getSecret.get(name)
      if (have) return Buffer.from(have.value)
      st.addSecret.run(name, randomBytes(32))
      const row = st.getSecret.get(name)
      if (!row) throw new Error(`secret ${name} was not saved`)
      return Buffer.from(row.value)
    },
    async createToken(hash, role, account, label) {
      const id = Number(
        db
          .prepare(
            'INSERT INTO tokens (hash, role, account, label, created_at) VALUES (?, ?, ?, ?, ?)',
          )
          .run(hash, role, account, label, nowIso()).lastInsertRowid,
      )
      const row = db.prepare<[number], TokenRow>('SELECT * FROM tokens WHERE id = ?').get(id)
      if (!row) throw new Error('the token was not saved')
      return toToken(row)
    },
    async findToken(hash) {
      const row = db
        .prepare<[string], TokenRow>('SELECT * FROM tokens WHERE hash = ? AND revoked_at IS NULL')
        .get(hash)
      return row ? toToken(row) : null
    },
    async tokens() {
      return db.prepare<[], TokenRow>('SELECT * FROM tokens ORDER BY id').all().map(toToken)
    },
    async revokeToken(id) {
      return (
        db
          .prepare('UPDATE tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL')
          .run(nowIso(), id).changes > 0
      )
    },
    async audit(actor, action, detail) {
      db.prepare('INSERT INTO audit (at, actor, action, detail) VALUES (?, ?, ?, ?)').run(
        nowIso(),
        actor,
        action,
        detail,
      )
    },
    async auditLog(limit = 100) {
      return db
        .prepare<[number], AuditEntry>('SELECT * FROM audit ORDER BY id DESC LIMIT ?')
        .all(Math.max(1, Math.min(limit, 10000)))
    },
    async close() {
      db.close()
    },
  }
}

function migrate(db: Database.Database): void {
  const version = db.pragma('user_version', { simple: true }) as number
  if (version > MIGRATIONS.length)
    throw new Error(
      `the database's schema version ${version} is newer than this program's ${MIGRATIONS.length}`,
    )
  for (let v = version; v < MIGRATIONS.length; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v] as string)
      db.pragma(`user_version = ${v + 1}`)
    }).immediate()
  }
}
