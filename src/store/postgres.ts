/** The PostgreSQL store (pg): the same interface as SQLite, for a server that several processes share. */
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import type { QuarterData } from '../core/stats.ts'
import type {
  AuditEntry,
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
  quarterColumns,
  SUBMISSION_SELECT,
  submissionsQuery,
  toSubmission,
  toToken,
} from './store.ts'

/** Each entry moves the schema one version up (kept in schema_version); never edit one that has shipped. */
const MIGRATIONS: readonly string[] = [
  `CREATE TABLE settings (key TEXT PRIMARY KEY, value BYTEA NOT NULL);
   CREATE TABLE employers (id BIGSERIAL PRIMARY KEY, account TEXT NOT NULL UNIQUE);
   CREATE TABLE submissions (
     id BIGSERIAL PRIMARY KEY,
     employer_id BIGINT NOT NULL REFERENCES employers(id),
     quarter INTEGER NOT NULL,
     file_hash TEXT NOT NULL,
     file_name TEXT NOT NULL,
     rows INTEGER NOT NULL,
     stored_rows INTEGER NOT NULL,
     cents BIGINT NOT NULL,
     errors INTEGER NOT NULL,
     warnings INTEGER NOT NULL,
     forced BOOLEAN NOT NULL,
     status TEXT NOT NULL CHECK (status IN ('current', 'replaced')),
     replaces BIGINT REFERENCES submissions(id),
     received_at TIMESTAMPTZ NOT NULL DEFAULT now(),
     actor TEXT NOT NULL);
   CREATE UNIQUE INDEX submissions_current ON submissions(employer_id, quarter) WHERE status = 'current';
   CREATE INDEX submissions_hash ON submissions(file_hash);
   CREATE TABLE records (
     submission_id BIGINT NOT NULL, quarter INTEGER NOT NULL, employer_id BIGINT NOT NULL,
     person BIGINT NOT NULL, code TEXT NOT NULL, area TEXT NOT NULL, cents BIGINT NOT NULL);
   CREATE INDEX records_quarter ON records(quarter, employer_id);
   CREATE TABLE records_history (LIKE records);
   CREATE INDEX records_history_submission ON records_history(submission_id);
   CREATE TABLE quarter_versions (quarter INTEGER PRIMARY KEY, version INTEGER NOT NULL, records INTEGER NOT NULL);
   CREATE TABLE quarter_snapshots (
     quarter INTEGER PRIMARY KEY, version INTEGER NOT NULL, codes TEXT NOT NULL, areas TEXT NOT NULL,
     code BYTEA NOT NULL, area BYTEA NOT NULL, employer BYTEA NOT NULL, person BYTEA NOT NULL, cents BYTEA NOT NULL);
   CREATE TABLE tokens (
     id BIGSERIAL PRIMARY KEY, hash TEXT NOT NULL UNIQUE, role TEXT NOT NULL, account TEXT,
     label TEXT NOT NULL, created_at TIMESTAMPTZ NOT NULL DEFAULT now(), revoked_at TIMESTAMPTZ);
   CREATE TABLE audit (id BIGSERIAL PRIMARY KEY, at TIMESTAMPTZ NOT NULL DEFAULT now(), actor TEXT NOT NULL,
     action TEXT NOT NULL, detail TEXT NOT NULL);`,
  // one round trip for a whole (small) file: the ingest's steps as one function, one statement
  `CREATE FUNCTION soc_ingest(p_account TEXT, p_quarter INTEGER, p_hash TEXT, p_name TEXT,
     p_rows INTEGER, p_errors INTEGER, p_warnings INTEGER, p_forced BOOLEAN, p_actor TEXT,
     p_person BIGINT[], p_code TEXT[], p_area TEXT[], p_cents BIGINT[])
   RETURNS TABLE (status TEXT, submission_id BIGINT) AS $$
   DECLARE
     emp BIGINT;
     cur_id BIGINT;
     cur_hash TEXT;
     cur_rows INTEGER;
     new_id BIGINT;
     n INTEGER := COALESCE(array_length(p_person, 1), 0);
     total BIGINT;
   BEGIN
     PERFORM pg_advisory_xact_lock(hashtext(p_account));
     INSERT INTO employers (account) VALUES (p_account)
       ON CONFLICT (account) DO UPDATE SET account = excluded.account RETURNING employers.id INTO emp;
     SELECT s.id, s.file_hash, s.stored_rows INTO cur_id, cur_hash, cur_rows FROM submissions s
       WHERE s.employer_id = emp AND s.quarter = p_quarter AND s.status = 'current' FOR UPDATE;
     IF cur_id IS NOT NULL AND cur_hash = p_hash THEN
       RETURN QUERY SELECT 'duplicate'::TEXT, cur_id;
       RETURN;
     END IF;
     IF cur_id IS NOT NULL THEN
       UPDATE submissions SET status = 'replaced' WHERE submissions.id = cur_id;
       INSERT INTO records_history SELECT * FROM records r WHERE r.quarter = p_quarter AND r.employer_id = emp;
       DELETE FROM records r WHERE r.quarter = p_quarter AND r.employer_id = emp;
     END IF;
     SELECT COALESCE(SUM(x), 0) INTO total FROM unnest(p_cents) AS x;
     INSERT INTO submissions (employer_id, quarter, file_hash, file_name, rows, stored_rows, cents,
         errors, warnings, forced, status, replaces, actor)
       VALUES (emp, p_quarter, p_hash, p_name, p_rows, n, total, p_errors, p_warnings, p_forced,
         'current', cur_id, p_actor)
       RETURNING submissions.id INTO new_id;
     INSERT INTO records SELECT new_id, p_quarter, emp, t.p, t.c, t.a, t.w
       FROM unnest(p_person, p_code, p_area, p_cents) AS t(p, c, a, w);
     INSERT INTO quarter_versions (quarter, version, records) VALUES (p_quarter, 1, n - COALESCE(cur_rows, 0))
       ON CONFLICT (quarter) DO UPDATE SET version = quarter_versions.version + 1,
         records = quarter_versions.records + excluded.records;
     RETURN QUERY SELECT CASE WHEN cur_id IS NULL THEN 'stored' ELSE 'replaced' END, new_id;
   END
   $$ LANGUAGE plpgsql;`,
  // snapshot columns in parts of 256 kB: pg reassembles one big bytea message slowly
  `CREATE TABLE quarter_snapshot_parts (
     quarter INTEGER NOT NULL, version INTEGER NOT NULL, col TEXT NOT NULL, part INTEGER NOT NULL,
     bytes BYTEA NOT NULL, PRIMARY KEY (quarter, col, part));`,
]

/** the snapshot's byte columns, stored in parts */
const SNAPSHOT_COLUMNS = ['code', 'area', 'employer', 'person', 'cents'] as const
const PART_BYTES = 256 * 1024

/** Rows written per INSERT ... SELECT FROM unnest(...) */
const CHUNK = 5000

// bigint (int8) and numeric sums as JS numbers: every value stored fits in 2^53 (persons are 53-bit keys)
const types = {
  getTypeParser(oid: number, format?: string) {
    if (oid === 20 || oid === 1700) return (v: string) => Number(v)
    if (oid === 1184 || oid === 1114) return (v: string) => new Date(v).toISOString()
    return pg.types.getTypeParser(oid, format as 'text')
  },
}

/** Connect to PostgreSQL (a postgres:// URL) and migrate. */
export async function openPostgresStore(url: string): Promise<Store> {
  const pool = new pg.Pool({ connectionString: url, max: 4, types })
  // a dropped idle connection must not crash the process
  pool.on('error', () => {})
  await migrate(pool)

  async function tx<T>(fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
    const c = await pool.connect()
    try {
      await c.query('BEGIN')
      const out = await fn(c)
      await c.query('COMMIT')
      return out
    } catch (err) {
      await c.query('ROLLBACK').catch(() => {})
      throw err
    } finally {
      c.release()
    }
  }

  const decoded = createSnapshotCache()
  const keep = decoded.keep

  async function snapshotOf(quarter: number): Promise<QuarterData | null> {
    const have = await pool.query(
      `SELECT v.version AS current, s.version FROM quarter_versions v
       LEFT JOIN quarter_snapshots s ON s.quarter = v.quarter WHERE v.quarter = $1`,
      [quarter],
    )
    const row = have.rows[0] as { version: number | null; current: number } | undefined
    if (!row) return null
    const mine = decoded.get(quarter, row.current)
    if (mine) return mine
    if (row.version === row.current) {
      // the parts (hex text: pg's binary mode decodes fields as UTF-8 first, which spoils bytes),
      // filtered by version: a rewrite in between leaves them incomplete, and the snapshot is rebuilt
      const [meta, parts] = await Promise.all([
        pool.query(
          'SELECT codes, areas FROM quarter_snapshots WHERE quarter = $1 AND version = $2',
          [quarter, row.current],
        ),
        pool.query(
          'SELECT col, part, bytes FROM quarter_snapshot_parts WHERE quarter = $1 AND version = $2 ORDER BY col, part',
          [quarter, row.current],
        ),
      ])
      const m = meta.rows[0] as { codes: string; areas: string } | undefined
      const byCol = new Map<string, Buffer[]>()
      for (const p of parts.rows as { col: string; bytes: Buffer }[]) {
        const list = byCol.get(p.col) ?? []
        list.push(p.bytes)
        byCol.set(p.col, list)
      }
      if (m && SNAPSHOT_COLUMNS.every((c) => byCol.has(c))) {
        const col = (c: string) => Buffer.concat(byCol.get(c) ?? [])
        return keep(
          quarter,
          row.current,
          decodeQuarter(quarter, {
            codes: m.codes,
            areas: m.areas,
            code: col('code'),
            area: col('area'),
            employer: col('employer'),
            person: col('person'),
            cents: col('cents'),
          }),
        )
      }
    }
    // rebuild in one repeatable-read transaction: the version and the records agree
    const data = await tx(async (c) => {
      await c.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ')
      const v = await c.query('SELECT version, records FROM quarter_versions WHERE quarter = $1', [
        quarter,
      ])
      const meta = v.rows[0] as { version: number; records: number }
      const r = await c.query({
        text: 'SELECT employer_id, person, code, area, cents FROM records WHERE quarter = $1 ORDER BY employer_id',
        values: [quarter],
        rowMode: 'array',
      })
      const d = quarterColumns(
        quarter,
        r.rows.length,
        r.rows as [number, number, string, string, number][],
      )
      return { d, version: meta.version }
    })
    const e = encodeQuarter(data.d)
    const cols: string[] = []
    const nums: number[] = []
    const chunks: Buffer[] = []
    for (const c of SNAPSHOT_COLUMNS) {
      const b = e[c]
      // an empty column still gets one (empty) part, so a reader can tell it is there
      for (let at = 0, k = 0; at < b.length || k === 0; at += PART_BYTES, k++) {
        cols.push(c)
        nums.push(k)
        chunks.push(b.subarray(at, at + PART_BYTES))
      }
    }
    await tx(async (c) => {
      // one writer per quarter at a time
      await c.query('SELECT pg_advisory_xact_lock(7475, $1)', [quarter])
      await c.query(
        `INSERT INTO quarter_snapshots VALUES ($1, $2, $3, $4, '', '', '', '', '')
         ON CONFLICT (quarter) DO UPDATE SET version = excluded.version, codes = excluded.codes,
           areas = excluded.areas`,
        [quarter, data.version, e.codes, e.areas],
      )
      await c.query('DELETE FROM quarter_snapshot_parts WHERE quarter = $1', [quarter])
      await c.query(
        `INSERT INTO quarter_snapshot_parts
         SELECT $1, $2, t.c, t.p, t.b FROM unnest($3::text[], $4::int[], $5::bytea[]) AS t(c, p, b)`,
        [quarter, data.version, cols, nums, chunks],
      )
    })
    return keep(quarter, data.version, data.d)
  }

  return {
    kind: 'postgres',
    async ingest(input: IngestInput): Promise<IngestResult> {
      // a file that fits one statement goes in one round trip (the function is one transaction)
      if (input.records.length <= CHUNK && !input.onProgress) {
        const r = await pool.query(
          'SELECT status, submission_id FROM soc_ingest($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::bigint[], $11::text[], $12::text[], $13::bigint[])',
          [
            input.account,
            input.quarter,
            input.fileHash,
            input.fileName,
            input.rows,
            input.errors,
            input.warnings,
            input.forced,
            input.actor,
            input.records.map((x) => x.person),
            input.records.map((x) => x.code),
            input.records.map((x) => x.area),
            input.records.map((x) => x.cents),
          ],
        )
        const out = r.rows[0] as { status: IngestResult['status']; submission_id: number }
        const saved = await pool.query(`${SUBMISSION_SELECT} WHERE s.id = $1`, [out.submission_id])
        return { status: out.status, submission: toSubmission(saved.rows[0] as SubmissionRow) }
      }
      return tx(async (c) => {
        // one ingest at a time per account: later ones wait for this one's commit
        await c.query('SELECT pg_advisory_xact_lock(hashtext($1))', [input.account])
        const emp = await c.query(
          `INSERT INTO employers (account) VALUES ($1)
           ON CONFLICT (account) DO UPDATE SET account = excluded.account RETURNING id`,
          [input.account],
        )
        const employer = (emp.rows[0] as { id: number }).id
        const current = (
          await c.query(
            `${SUBMISSION_SELECT} WHERE s.employer_id = $1 AND s.quarter = $2 AND s.status = 'current' FOR UPDATE OF s`,
            [employer, input.quarter],
          )
        ).rows[0] as SubmissionRow | undefined
        // the same file as the current one: a duplicate, nothing changes
        if (current && current.file_hash === input.fileHash)
          return { status: 'duplicate', submission: toSubmission(current) }
        const cur = current
        if (cur) {
          await c.query(`UPDATE submissions SET status = 'replaced' WHERE id = $1`, [cur.id])
          // the current file's records are all the account's records for the quarter
          await c.query(
            'INSERT INTO records_history SELECT * FROM records WHERE quarter = $1 AND employer_id = $2',
            [input.quarter, employer],
          )
          await c.query('DELETE FROM records WHERE quarter = $1 AND employer_id = $2', [
            input.quarter,
            employer,
          ])
        }
        let cents = 0
        for (const r of input.records) cents += r.cents
        const ins = await c.query(
          `INSERT INTO submissions (employer_id, quarter, file_hash, file_name, rows, stored_rows, cents,
             errors, warnings, forced, status, replaces, actor)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'current', $11, $12) RETURNING *`,
          [
            employer,
            input.quarter,
            input.fileHash,
            input.fileName,
            input.rows,
            input.records.length,
            cents,
            input.errors,
            input.warnings,
            input.forced,
            cur?.id ?? null,
            input.actor,
          ],
        )
        const saved = { ...(ins.rows[0] as SubmissionRow), account: input.account }
        const id = saved.id
        const every = input.progressEvery ?? 0
        for (let i = 0; i < input.records.length; i += CHUNK) {
          const part = input.records.slice(i, i + CHUNK)
          await c.query(
            `INSERT INTO records SELECT $1, $2, $3, p, c, a, w
             FROM unnest($4::bigint[], $5::text[], $6::text[], $7::bigint[]) AS t(p, c, a, w)`,
            [
              id,
              input.quarter,
              employer,
              part.map((r) => r.person),
              part.map((r) => r.code),
              part.map((r) => r.area),
              part.map((r) => r.cents),
            ],
          )
          const done = i + part.length
          if (every > 0 && Math.floor(done / every) > Math.floor(i / every))
            input.onProgress?.(done)
        }
        await c.query(
          `INSERT INTO quarter_versions (quarter, version, records) VALUES ($1, 1, $2)
           ON CONFLICT (quarter) DO UPDATE SET version = quarter_versions.version + 1,
             records = quarter_versions.records + excluded.records`,
          [input.quarter, input.records.length - (cur?.stored_rows ?? 0)],
        )
        return { status: cur ? 'replaced' : 'stored', submission: toSubmission(saved) }
      })
    },
    async submissions(filter: SubmissionFilter = {}) {
      const q = submissionsQuery(filter, (n) => `$${n}`)
      const r = await pool.query(q.sql, q.params)
      return (r.rows as SubmissionRow[]).map(toSubmission)
    },
    async quarterData(quarters) {
      const out: QuarterData[] = []
      for (const q of quarters) {
        const d = await snapshotOf(q)
        if (d && d.code.length > 0) out.push(d)
      }
      return out
    },
    async quarters() {
      const r = await pool.query(
        'SELECT quarter FROM quarter_versions WHERE records > 0 ORDER BY quarter',
      )
      return (r.rows as { quarter: number }[]).map((x) => x.quarter)
    },
    async secret(name) {
      await pool.query(
        'INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING',
        [name, randomBytes(32)],
      )
      const r = await pool.query('SELECT value FROM settings WHERE key = $1', [name])
      return Buffer.from((r.rows[0] as { value: Buffer }).value)
    },
    async createToken(hash, role, account, label) {
      const r = await pool.query(
        'INSERT INTO tokens (hash, role, account, label) VALUES ($1, $2, $3, $4) RETURNING *',
        [hash, role, account, label],
      )
      return toToken(r.rows[0] as TokenRow)
    },
    async findToken(hash) {
      const r = await pool.query('SELECT * FROM tokens WHERE hash = $1 AND revoked_at IS NULL', [
        hash,
      ])
      return r.rows[0] ? toToken(r.rows[0] as TokenRow) : null
    },
    async tokens() {
      const r = await pool.query('SELECT * FROM tokens ORDER BY id')
      return (r.rows as TokenRow[]).map(toToken)
    },
    async revokeToken(id) {
      const r = await pool.query(
        'UPDATE tokens SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL',
        [id],
      )
      return (r.rowCount ?? 0) > 0
    },
    async audit(actor, action, detail) {
      await pool.query('INSERT INTO audit (actor, action, detail) VALUES ($1, $2, $3)', [
        actor,
        action,
        detail,
      ])
    },
    async auditLog(limit = 100) {
      const r = await pool.query('SELECT * FROM audit ORDER BY id DESC LIMIT $1', [
        Math.max(1, Math.min(limit, 10000)),
      ])
      return r.rows as AuditEntry[]
    },
    async close() {
      await pool.end()
    },
  }
}

async function migrate(pool: pg.Pool): Promise<void> {
  const c = await pool.connect()
  try {
    // one migrator at a time, however many processes start together
    await c.query('SELECT pg_advisory_lock(7474)')
    await c.query('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)')
    const r = await c.query('SELECT version FROM schema_version')
    let version = (r.rows[0] as { version: number } | undefined)?.version ?? 0
    if (r.rows.length === 0) await c.query('INSERT INTO schema_version VALUES (0)')
    if (version > MIGRATIONS.length)
      throw new Error(
        `the database's schema version ${version} is newer than this program's ${MIGRATIONS.length}`,
      )
    for (; version < MIGRATIONS.length; version++) {
      await c.query('BEGIN')
      try {
        await c.query(MIGRATIONS[version] as string)
        await c.query('UPDATE schema_version SET version = $1', [version + 1])
        await c.query('COMMIT')
      } catch (err) {
        await c.query('ROLLBACK')
        throw err
      }
    }
  } finally {
    await c.query('SELECT pg_advisory_unlock(7474)').catch(() => {})
    c.release()
  }
}
