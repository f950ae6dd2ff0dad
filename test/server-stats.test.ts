/** The API's wage-record routes: tokens and roles, ingest, statistics, CSV, audit; nothing leaks. */
import assert from 'node:assert/strict'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { generateWorkforce, syntheticSsn } from '../src/core/synthetic.ts'
import { createApp } from '../src/server/app.ts'
import { openSqliteStore } from '../src/store/sqlite.ts'
import type { Store } from '../src/store/store.ts'
import { hashToken } from '../src/store/tokens.ts'
import { coder, taxonomy } from './helpers.ts'

const lines: string[] = []
let store: Store
let app: ReturnType<typeof createApp>
const TOKENS = {
  admin: 'soc_admin-secret',
  analyst: 'soc_analyst-secret',
  employer: 'soc_employer-secret',
}
const files = [
  ...generateWorkforce({ workers: 600, employers: 30, quarters: [20241], seed: 5 }).files,
]
const own = files[0]
if (!own) throw new Error('no generated files')

before(async () => {
  store = openSqliteStore(join(mkdtempSync(join(tmpdir(), 'soc-api-')), 'soc.db'))
  await store.createToken(hashToken(TOKENS.admin), 'admin', null, 'admin')
  await store.createToken(hashToken(TOKENS.analyst), 'analyst', null, 'analyst')
  await store.createToken(hashToken(TOKENS.employer), 'employer', own.account, 'payroll')
  app = createApp({
    taxonomy: taxonomy(),
    coder: coder(),
    store,
    rateLimit: 0,
    log: (l) => lines.push(l),
  })
})
after(() => store.close())

const call = (path: string, token: string | null, init: RequestInit = {}) =>
  app.request(path, {
    ...init,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(init.headers ?? {}) },
  })

describe('wage-record API', () => {
  it('answers 401 without a token or with a wrong one, and 403 for the wrong role or account', async () => {
    for (const token of [null, 'soc_wrong', 'Basic abc']) {
      const res = await call('/api/stats/occupations?period=2024Q1', token)
      assert.equal(res.status, 401)
      assert.equal(res.headers.get('www-authenticate'), 'Bearer')
      const body = await res.text()
      assert.ok(!body.includes('soc_wrong'), 'the token is not echoed')
      assert.match(body, /"code":"UNAUTHORIZED"/)
    }
    const asEmployer = await call('/api/stats/occupations?period=2024Q1', TOKENS.employer)
    assert.equal(asEmployer.status, 403)
    const other = await call(`/api/ingest?account=9999999&quarter=2024Q1`, TOKENS.employer, {
      method: 'POST',
      body: own.text,
    })
    assert.equal(other.status, 403)
    const analystIngest = await call(
      `/api/ingest?account=${own.account}&quarter=2024Q1`,
      TOKENS.analyst,
      {
        method: 'POST',
        body: own.text,
      },
    )
    assert.equal(analystIngest.status, 403)
    assert.equal((await call('/api/tokens', TOKENS.analyst)).status, 403)
  })

  it('lets an employer send its own file, refuses a file with errors unless an admin forces it', async () => {
    const ok = await call(`/api/ingest?account=${own.account}&quarter=2024Q1`, TOKENS.employer, {
      method: 'POST',
      body: own.text,
    })
    assert.equal(ok.status, 200)
    const body = (await ok.json()) as { status: string; submission: { storedRows: number } }
    assert.equal(body.status, 'stored')
    const again = await call(`/api/ingest?account=${own.account}&quarter=2024Q1`, TOKENS.employer, {
      method: 'POST',
      body: own.text,
    })
    assert.equal(((await again.json()) as { status: string }).status, 'duplicate')
    const bad = `${syntheticSsn(999_999)},Doe,Jane,-5.00,51-3022.05,02\n${own.text}`
    const refused = await call(
      `/api/ingest?account=${own.account}&quarter=2024Q1`,
      TOKENS.employer,
      {
        method: 'POST',
        body: bad,
      },
    )
    assert.equal(refused.status, 422)
    const text = await refused.text()
    assert.match(text, /FILE_HAS_ERRORS/)
    assert.ok(
      !text.includes(syntheticSsn(999_999)) &&
        !text.includes(syntheticSsn(999_999).replace(/-/g, '')),
      'no SSN in the answer',
    )
    const notForEmployer = await call(
      `/api/ingest?account=${own.account}&quarter=2024Q1&force=true`,
      TOKENS.employer,
      {
        method: 'POST',
        body: bad,
      },
    )
    assert.equal(notForEmployer.status, 403)
    const forced = await call(
      `/api/ingest?account=${own.account}&quarter=2024Q1&force=true`,
      TOKENS.admin,
      {
        method: 'POST',
        body: bad,
      },
    )
    const f = (await forced.json()) as {
      status: string
      skipped: number
      submission: { forced: boolean }
    }
    assert.equal(f.status, 'replaced')
    assert.equal(f.skipped, 1)
    assert.equal(f.submission.forced, true)
    // the employer sees its own files and history, and only those
    const mine = (await (await call('/api/submissions?history=1', TOKENS.employer)).json()) as {
      submissions: { account: string; status: string }[]
    }
    assert.deepEqual(
      mine.submissions.map((s) => s.status),
      ['current', 'replaced'],
    )
    assert.ok(mine.submissions.every((s) => s.account === own.account))
    assert.equal((await call('/api/submissions?account=1', TOKENS.employer)).status, 403)
  })

  it('publishes occupations with suppression, as JSON and CSV, and audits each read', async () => {
    for (const f of files.slice(1))
      await call(`/api/ingest?account=${f.account}&quarter=2024Q1`, TOKENS.admin, {
        method: 'POST',
        body: f.text,
      })
    const res = await call(
      '/api/stats/occupations?period=2024Q1&level=major&by=area&top=3&compare=1',
      TOKENS.analyst,
    )
    assert.equal(res.status, 200)
    const t = (await res.json()) as {
      rows: { code: string; cells: { workers: number | null; suppressed: string | null }[] }[]
      total: { cells: { workers: number | null }[] }
      columns: string[]
      top: unknown[]
      suppression: { primary: number; complementary: number }
      compareTo: string
    }
    assert.equal(t.columns.at(-1), 'total')
    // every generated row (the forced file's bad row was left out)
    const rows = files.reduce((a, f) => a + f.text.trim().split('\n').length, 0)
    assert.equal(t.total.cells.at(-1)?.workers, rows)
    assert.ok(t.suppression.primary > 0)
    assert.ok(
      t.rows.flatMap((r) => r.cells).every((c) => (c.suppressed === null) === (c.workers !== null)),
    )
    assert.equal(t.top.length, 3)
    assert.equal(t.compareTo, '2023Q1')
    const csv = await call(
      '/api/stats/occupations?period=2024Q1&level=detailed&format=csv',
      TOKENS.analyst,
    )
    assert.equal(csv.headers.get('content-type'), 'text/csv; charset=utf-8')
    const csvText = await csv.text()
    assert.match(csvText, /^period,level,code,title,area,workers,wages,median_wages,suppressed\n/)
    assert.match(csvText, /,employers\n/)
    const bad = await call('/api/stats/occupations?period=2024Q7', TOKENS.analyst)
    assert.equal(bad.status, 400)
    assert.match(await bad.text(), /invalid period \\"2024Q7\\"/)
    const audit = (await (await call('/api/audit?limit=50', TOKENS.admin)).json()) as {
      audit: { actor: string; action: string }[]
    }
    assert.ok(
      audit.audit.some(
        (a) => a.action === 'read stats/occupations' && a.actor.startsWith('token:2:'),
      ),
    )
  })

  it('answers residency and program reports from uploaded lists, never echoing an SSN', async () => {
    const w = generateWorkforce({ workers: 600, employers: 30, quarters: [20241], seed: 5 })
    const residents: string[] = []
    for (let p = 1; p <= 600; p++) if (p % 4) residents.push(w.ssnOf(p))
    const res = await call('/api/stats/residency?period=2024Q1&level=major', TOKENS.analyst, {
      method: 'POST',
      body: `${residents.join('\n')}\nnot-an-ssn\n`,
    })
    assert.equal(res.status, 200)
    const r = (await res.json()) as {
      total: { nonresidentShare: number }[]
      residentsListed: number
      unreadLines: string[]
    }
    assert.equal(r.residentsListed, residents.length)
    assert.ok(
      (r.total[0]?.nonresidentShare ?? 0) > 0.2 && (r.total[0]?.nonresidentShare ?? 1) < 0.3,
    )
    assert.equal(r.unreadLines.length, 1)
    const participants = [
      'ssn,cip,exit_date',
      ...Array.from({ length: 30 }, (_, i) => `${w.ssnOf(i + 1)},51.3902,2023-12-01`),
    ]
    const p = await call('/api/stats/programs', TOKENS.analyst, {
      method: 'POST',
      body: participants.join('\n'),
    })
    const body = await p.text()
    assert.equal(p.status, 200)
    assert.ok(!body.includes(w.ssnOf(1)), 'no SSN in the report')
    const pr = JSON.parse(body) as {
      all: { quarters: { observed: number; employedShare: number }[] }
    }
    assert.equal(pr.all.quarters[0]?.observed, 30)
    assert.equal(pr.all.quarters[0]?.employedShare, 1)
    const missing = await call('/api/stats/programs', TOKENS.analyst, {
      method: 'POST',
      body: 'a,b\n1,2',
    })
    assert.equal(missing.status, 400)
    assert.match(await missing.text(), /no ssn, cip, exit_date column/)
    assert.ok(!lines.some((l) => /\d{3}-?\d{2}-?\d{4}/.test(l)), 'no SSN in the access log')
  })

  it('lets an admin create and revoke tokens; a revoked token is refused', async () => {
    const created = await call('/api/tokens', TOKENS.admin, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ role: 'analyst', label: 'temp' }),
    })
    assert.equal(created.status, 201)
    const tok = (await created.json()) as { token: string; id: number }
    assert.match(tok.token, /^soc_[A-Za-z0-9_-]{43}$/)
    assert.equal((await call('/api/stats/quarters', tok.token)).status, 200)
    const list = (await (await call('/api/tokens', TOKENS.admin)).json()) as {
      tokens: Record<string, unknown>[]
    }
    assert.ok(list.tokens.every((t) => !('hash' in t) && !('token' in t)))
    assert.equal(
      (await call(`/api/tokens/${tok.id}`, TOKENS.admin, { method: 'DELETE' })).status,
      200,
    )
    assert.equal((await call('/api/stats/quarters', tok.token)).status, 401)
    const badRole = await call('/api/tokens', TOKENS.admin, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ role: 'root' }),
    })
    assert.equal(badRole.status, 400)
    assert.match(
      await badRole.text(),
      /invalid role \\"root\\"; expected one of: employer, analyst, admin/,
    )
  })

  it('answers 503 on those routes when the server has no store', async () => {
    const bare = createApp({ taxonomy: taxonomy(), coder: coder(), rateLimit: 0, log: () => {} })
    const res = await bare.request('/api/stats/occupations?period=2024')
    assert.equal(res.status, 503)
  })
})

describe('two API processes on one PostgreSQL', {
  skip: process.env.SOC_TEST_DATABASE_URL ? false : 'set SOC_TEST_DATABASE_URL (see .ci/run)',
}, () => {
  it('share tokens, files and statistics: nothing is kept in either process', async () => {
    const { default: pg } = await import('pg')
    const { openStore } = await import('../src/store/open.ts')
    const base = process.env.SOC_TEST_DATABASE_URL as string
    const name = `soc_api_${Date.now().toString(36)}`
    const admin = new pg.Client({ connectionString: base })
    await admin.connect()
    await admin.query(`CREATE DATABASE ${name}`)
    const u = new URL(base)
    u.pathname = `/${name}`
    // both start together: the migrations take turns
    const [s1, s2] = await Promise.all([openStore(u.toString()), openStore(u.toString())])
    try {
      const a1 = createApp({
        taxonomy: taxonomy(),
        coder: coder(),
        store: s1,
        rateLimit: 0,
        log: () => {},
      })
      const a2 = createApp({
        taxonomy: taxonomy(),
        coder: coder(),
        store: s2,
        rateLimit: 0,
        log: () => {},
      })
      await s1.createToken(hashToken('soc_pg-admin'), 'admin', null, 'admin')
      const auth = { authorization: 'Bearer soc_pg-admin' }
      const made = await a2.request('/api/tokens', {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify({ role: 'analyst', label: 'made on 2' }),
      })
      const { token } = (await made.json()) as { token: string }
      for (const f of files)
        assert.equal(
          (
            await a1.request(`/api/ingest?account=${f.account}&quarter=2024Q1`, {
              method: 'POST',
              headers: auth,
              body: f.text,
            })
          ).status,
          200,
        )
      const read = await a2.request('/api/stats/occupations?period=2024Q1', {
        headers: { authorization: `Bearer ${token}` },
      })
      assert.equal(read.status, 200)
      const t = (await read.json()) as { total: { cells: { workers: number }[] } }
      const rows = files.reduce((a, f) => a + f.text.trim().split('\n').length, 0)
      assert.equal(t.total.cells.at(-1)?.workers, rows)
      // a file sent again through the other process is a duplicate
      const again = await a2.request(`/api/ingest?account=${own.account}&quarter=2024Q1`, {
        method: 'POST',
        headers: auth,
        body: own.text,
      })
      assert.equal(((await again.json()) as { status: string }).status, 'duplicate')
      const log = await s1.auditLog(50)
      assert.ok(log.some((e) => e.action === 'read stats/occupations'))
    } finally {
      await s1.close()
      await s2.close()
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
      await admin.end()
    }
  })
})
