/**
 * The store on SQLite and on a real PostgreSQL server (SOC_TEST_DATABASE_URL, which .ci/run sets
 * after starting one; without it the PostgreSQL cases are skipped, or fail when SOC_REQUIRE_POSTGRES=1).
 */
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import pg from 'pg'
import { openStore } from '../src/store/open.ts'
import type { IngestInput, Store, StoredRecord } from '../src/store/store.ts'

const PG_URL = process.env.SOC_TEST_DATABASE_URL
if (!PG_URL && process.env.SOC_REQUIRE_POSTGRES === '1')
  throw new Error('SOC_REQUIRE_POSTGRES=1 but SOC_TEST_DATABASE_URL is not set')

const dir = mkdtempSync(join(tmpdir(), 'soc-store-'))
const databases: string[] = []

/** A fresh, empty database of the kind: a SQLite file, or a new PostgreSQL database. */
async function freshLocation(kind: 'sqlite' | 'postgres'): Promise<string> {
  if (kind === 'sqlite') return join(dir, `${randomBytes(6).toString('hex')}.db`)
  const name = `soc_test_${randomBytes(6).toString('hex')}`
  const admin = new pg.Client({ connectionString: PG_URL })
  await admin.connect()
  await admin.query(`CREATE DATABASE ${name}`)
  await admin.end()
  databases.push(name)
  const u = new URL(PG_URL as string)
  u.pathname = `/${name}`
  return u.toString()
}

after(async () => {
  if (!PG_URL) return
  const admin = new pg.Client({ connectionString: PG_URL })
  await admin.connect()
  for (const name of databases) await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
  await admin.end()
})

const recs = (n: number, code = '51-3022.05', area = '02', base = 0): StoredRecord[] =>
  Array.from({ length: n }, (_, i) => ({ person: base + i + 1, code, area, cents: 100_000 + i }))

const input = (over: Partial<IngestInput> & { records: StoredRecord[] }): IngestInput => ({
  account: 'A1',
  quarter: 20241,
  fileHash: randomBytes(8).toString('hex'),
  fileName: 'a.csv',
  rows: over.records.length,
  errors: 0,
  warnings: 0,
  forced: false,
  actor: 'test',
  ...over,
})

async function countRecords(store: Store, quarter: number): Promise<number> {
  return (await store.quarterData([quarter])).reduce((a, d) => a + d.code.length, 0)
}

for (const kind of ['sqlite', 'postgres'] as const) {
  const skip = kind === 'postgres' && !PG_URL ? 'set SOC_TEST_DATABASE_URL (see .ci/run)' : false
  describe(`store on ${kind}`, { skip }, () => {
    it('stores a file, and the same file twice is not counted twice', async () => {
      const store = await openStore(await freshLocation(kind))
      try {
        const a = await store.ingest(input({ records: recs(5), fileHash: 'h1' }))
        assert.equal(a.status, 'stored')
        const b = await store.ingest(input({ records: recs(5), fileHash: 'h1' }))
        assert.equal(b.status, 'duplicate')
        assert.equal(b.submission.id, a.submission.id)
        assert.equal(await countRecords(store, 20241), 5)
        // the same bytes for another quarter are that quarter's file
        const c = await store.ingest(input({ records: recs(5), fileHash: 'h1', quarter: 20242 }))
        assert.equal(c.status, 'stored')
        assert.deepEqual(await store.quarters(), [20241, 20242])
      } finally {
        await store.close()
      }
    })

    it('a corrected file replaces the earlier one and keeps the history', async () => {
      const store = await openStore(await freshLocation(kind))
      try {
        const first = await store.ingest(input({ records: recs(5) }))
        await store.ingest(input({ records: recs(3), account: 'B2' }))
        const second = await store.ingest(input({ records: recs(7, '29-1141') }))
        assert.equal(second.status, 'replaced')
        assert.equal(second.submission.replaces, first.submission.id)
        const data = await store.quarterData([20241])
        assert.equal(data[0]?.code.length, 10)
        const codes = new Set(data[0]?.codes)
        assert.ok(codes.has('29-1141') && codes.has('51-3022.05'))
        const current = await store.submissions({ account: 'A1' })
        assert.deepEqual(
          current.map((s) => s.id),
          [second.submission.id],
        )
        const history = await store.submissions({ account: 'A1', history: true })
        assert.deepEqual(
          history.map((s) => [s.id, s.status]),
          [
            [second.submission.id, 'current'],
            [first.submission.id, 'replaced'],
          ],
        )
      } finally {
        await store.close()
      }
    })

    it('an ingest that fails part way stores nothing and leaves the current file in place', async () => {
      const store = await openStore(await freshLocation(kind))
      try {
        await store.ingest(input({ records: recs(4) }))
        const bad = [
          ...recs(3000),
          { person: 1, code: null as unknown as string, area: '02', cents: 1 },
        ]
        await assert.rejects(store.ingest(input({ records: bad })))
        assert.equal(await countRecords(store, 20241), 4)
        const subs = await store.submissions({ history: true })
        assert.equal(subs.length, 1)
        assert.equal(subs[0]?.status, 'current')
      } finally {
        await store.close()
      }
    })

    it('rebuilds a quarter snapshot only when the quarter changed, and groups records by employer', async () => {
      const store = await openStore(await freshLocation(kind))
      try {
        await store.ingest(input({ records: recs(2), account: 'E1' }))
        await store.ingest(input({ records: recs(2, '11-1021', '03', 10), account: 'E2' }))
        await store.ingest(
          input({ records: recs(2, '11-1021', '03', 20), account: 'E1', quarter: 20242 }),
        )
        const one = await store.quarterData([20241])
        assert.deepEqual([...(one[0]?.employer ?? [])], [...(one[0]?.employer ?? [])].sort())
        await store.ingest(input({ records: recs(1, '43-9061', '04', 30), account: 'E3' }))
        const two = await store.quarterData([20241, 20242, 20243])
        assert.deepEqual(
          two.map((d) => [d.quarter, d.code.length]),
          [
            [20241, 5],
            [20242, 2],
          ],
        )
        const persons = [...(two[0]?.person ?? [])].sort((a, b) => a - b)
        assert.deepEqual(persons, [1, 2, 11, 12, 31])
      } finally {
        await store.close()
      }
    })

    it('a second process reads the stored snapshot as the first built it', async () => {
      const location = await freshLocation(kind)
      const a = await openStore(location)
      const b = await openStore(location)
      try {
        // big enough for several parts per column
        await a.ingest(input({ records: recs(40_000, '29-1141', '03') }))
        await a.ingest(input({ records: recs(7, '11-1021', '04', 50_000), account: 'B2' }))
        const [built] = await a.quarterData([20241])
        const [read] = await b.quarterData([20241])
        assert.ok(built && read)
        assert.deepEqual(read.codes, built.codes)
        assert.deepEqual([...read.person], [...built.person])
        assert.deepEqual([...read.cents], [...built.cents])
        assert.deepEqual([...read.employer], [...built.employer])
        assert.deepEqual([...read.code], [...built.code])
      } finally {
        await a.close()
        await b.close()
      }
    })

    it('keeps tokens as hashes, revokes them, and writes the audit log', async () => {
      const store = await openStore(await freshLocation(kind))
      try {
        const t = await store.createToken('f'.repeat(64), 'employer', 'A1', 'payroll')
        assert.equal((await store.findToken('f'.repeat(64)))?.account, 'A1')
        assert.equal(await store.findToken('0'.repeat(64)), null)
        assert.equal(await store.revokeToken(t.id), true)
        assert.equal(await store.revokeToken(t.id), false)
        assert.equal(await store.findToken('f'.repeat(64)), null)
        await store.audit('token:1:x', 'read stats/occupations', '?period=2024')
        const log = await store.auditLog(10)
        assert.equal(log[0]?.action, 'read stats/occupations')
        const s1 = await store.secret('person-key')
        assert.equal(s1.length, 32)
        assert.deepEqual(await store.secret('person-key'), s1)
      } finally {
        await store.close()
      }
    })

    it('two ingests of one account and quarter at once leave exactly one current file', async () => {
      const location = await freshLocation(kind)
      const s1 = await openStore(location)
      const s2 = await openStore(location)
      try {
        await Promise.all([
          s1.ingest(input({ records: recs(500) })),
          s2.ingest(input({ records: recs(300) })),
        ])
        const current = await s1.submissions({ account: 'A1' })
        assert.equal(current.length, 1)
        assert.equal(await countRecords(s1, 20241), current[0]?.storedRows)
      } finally {
        await s1.close()
        await s2.close()
      }
    })

    it('a process killed with SIGKILL in the middle of an ingest leaves nothing of the file', async () => {
      const location = await freshLocation(kind)
      const store = await openStore(location) // migrate first
      await store.ingest(input({ records: recs(3), quarter: 20243, account: 'OTHER' }))
      const child = spawn(
        process.execPath,
        [
          '--import',
          'tsx',
          join(import.meta.dirname, 'fixtures', 'ingest-child.ts'),
          location,
          '200000',
        ],
        { stdio: ['ignore', 'pipe', 'inherit'] },
      )
      const outcome = await new Promise<string>((ok) => {
        let seen = ''
        child.stdout.on('data', (b: Buffer) => {
          seen += b.toString()
          if (seen.includes('writing')) child.kill('SIGKILL')
        })
        child.on('exit', (_code, signal) => ok(signal ?? seen.trim()))
      })
      assert.equal(outcome, 'SIGKILL')
      try {
        const subs = await store.submissions({ account: 'KILLED', history: true })
        assert.equal(subs.length, 0)
        assert.equal(await countRecords(store, 20243), 3)
        // and the same file, ingested to the end, is all there
        const done = spawn(
          process.execPath,
          [
            '--import',
            'tsx',
            join(import.meta.dirname, 'fixtures', 'ingest-child.ts'),
            location,
            '200000',
          ],
          { stdio: ['ignore', 'pipe', 'inherit'] },
        )
        await new Promise((ok) => done.on('exit', ok))
        assert.equal(await countRecords(store, 20243), 200_003)
      } finally {
        await store.close()
      }
    })
  })
}
