/** The JSON API through the Hono app (no network): routes, the error envelope, limits, headers. */
import assert from 'node:assert/strict'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { createApp, MAX_BATCH_TITLES } from '../src/server/app.ts'
import { coder, taxonomy } from './helpers.ts'

const lines: string[] = []
const app = () =>
  createApp({ taxonomy: taxonomy(), coder: coder(), rateLimit: 0, log: (l) => lines.push(l) })

async function get(path: string, a = app()) {
  const res = await a.request(path)
  return { res, body: (await res.json()) as Record<string, unknown> }
}

describe('JSON API', () => {
  it('lists the 23 major groups with counts', async () => {
    const { res, body } = await get('/api/groups')
    assert.equal(res.status, 200)
    const groups = body.groups as { code: string; counts: Record<string, number> }[]
    assert.equal(groups.length, 23)
    assert.equal(groups[0]?.code, '11-0000')
    assert.ok((groups[0]?.counts.extension ?? 0) >= 3)
  })
  it("gives a group's entries in page order with the state's description", async () => {
    const { body } = await get('/api/groups/11-0000')
    const entries = body.entries as {
      code: string
      description: string
      descriptionSource: string
    }[]
    const i = entries.findIndex((e) => e.code === '11-1021.51')
    assert.ok(i >= 0)
    assert.equal(entries[i]?.descriptionSource, 'state')
    assert.ok(
      i < entries.findIndex((e) => e.code === '11-1021'),
      'the state page puts 11-1021.51 before 11-1021',
    )
  })
  it('describes a code with breadcrumb, cross-references and confused codes', async () => {
    const { body } = await get('/api/codes/11-3013')
    assert.deepEqual(
      (body.breadcrumb as { code: string }[]).map((b) => b.code),
      ['11-0000', '11-3000', '11-3010', '11-3013'],
    )
    const confused = (body.confusedWith as { code: string }[]).map((c) => c.code)
    assert.ok(confused.includes('11-3012'))
  })
  it('answers an unknown code with 404, the envelope and the nearest codes', async () => {
    const { res, body } = await get('/api/codes/15-1132')
    assert.equal(res.status, 404)
    const err = body.error as { code: string; message: string; issues: { nearest: string[] }[] }
    assert.equal(err.code, 'NOT_FOUND')
    assert.match(err.message, /15-1252/)
    assert.ok(err.issues[0]?.nearest.includes('15-1252'))
  })
  it('searches with confidence and the matched title, and rejects bad parameters with 400', async () => {
    const { body } = await get('/api/search?q=slime%20line%20worker&k=3')
    const c = body.candidates as { code: string; confidence: number; matched: { title: string } }[]
    assert.equal(c[0]?.code, '51-3022.05')
    assert.equal(c.length, 3)
    const bad = await get('/api/search?q=cook&k=0')
    assert.equal(bad.res.status, 400)
    assert.match((bad.body.error as { message: string }).message, /invalid k "0"/)
    // the industry as read: its own NAICS title, or its nearest parent's
    const landscaping = await get('/api/search?q=crew%20member&industry=561730&k=1')
    const query = landscaping.body.query as { industry: string; industryTitle: string }
    assert.deepEqual([query.industry, query.industryTitle], ['561730', 'Landscaping Services'])
    assert.equal((landscaping.body.candidates as { code: string }[])[0]?.code, '37-3011')
    const parent = await get('/api/search?q=cook&industry=721101')
    assert.equal(
      (parent.body.query as { industryTitle: string }).industryTitle,
      'Traveler Accommodation',
    )
    const badIndustry = await get('/api/search?q=cook&industry=fish')
    assert.equal(badIndustry.res.status, 400)
  })
  it('codes a batch as JSON, JSONL and CSV, one result per record in order', async () => {
    const a = app()
    const json = await a.request('/api/code?k=1', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(['Line Cook', { title: 'processor', industry: '311712' }, 7, '']),
    })
    const jb = (await json.json()) as {
      results: { status: string; candidates: { code: string }[] }[]
    }
    assert.deepEqual(
      jb.results.map((r) => r.candidates[0]?.code ?? r.status),
      ['35-2014', '51-3022.05', 'error', 'uncodable'],
    )
    const jsonl = await a.request('/api/code', {
      method: 'POST',
      headers: { 'content-type': 'application/x-ndjson' },
      body: '{"title":"Night Janitor"}\n{broken\n',
    })
    const lb = (await jsonl.json()) as { count: number; results: { status: string }[] }
    assert.equal(lb.count, 2)
    assert.equal(lb.results[1]?.status, 'error')
    const csv = await a.request('/api/code', {
      method: 'POST',
      headers: { 'content-type': 'text/csv' },
      body: 'id,job title\n1,Bartender\n2,"Welder, night"\n',
    })
    const cb = (await csv.json()) as { results: { candidates: { code: string }[] }[] }
    assert.deepEqual(
      cb.results.map((r) => r.candidates[0]?.code),
      ['35-3011', '51-4121'],
    )
    // plain text: one title a line, a blank line still a record; the industry for those without one
    const text = await a.request('/api/code?industry=311712', {
      method: 'POST',
      headers: { 'content-type': 'text/plain; charset=utf-8' },
      body: 'processor\n\nprocessor\n',
    })
    const tb = (await text.json()) as {
      results: { status: string; candidates: { code: string }[] }[]
    }
    assert.deepEqual(
      tb.results.map((r) => r.candidates[0]?.code ?? r.status),
      ['51-3022.05', 'uncodable', '51-3022.05'],
    )
    const own = await a.request('/api/code?industry=311712', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([{ title: 'processor', industry: '491110' }]),
    })
    const ob = (await own.json()) as { results: { candidates: { code: string }[] }[] }
    assert.equal(ob.results[0]?.candidates[0]?.code, '43-5053', "a record's own industry wins")
    const badIndustry = await a.request('/api/code?industry=fish', {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'Cook',
    })
    assert.equal(badIndustry.status, 400)
    assert.match(
      ((await badIndustry.json()) as { error: { message: string } }).error.message,
      /fish.*NAICS code of 2 to 6 digits/,
    )
  })
  it('lets other requests in while it codes a large batch', async () => {
    const a = app()
    const order: string[] = []
    const titles = Array.from(
      { length: 3000 },
      (_, i) => `Cook ${i % 7 ? 'Aide' : 'Supervisor'} ${i}`,
    )
    const batch = Promise.resolve(
      a.request('/api/code?k=1', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(titles),
      }),
    ).then(async (r) => {
      order.push('batch')
      return (await r.json()) as { count: number }
    })
    // the small request starts after the batch and still answers first
    await new Promise((ok) => setImmediate(ok))
    const small = Promise.resolve(a.request('/api/codes/29-1141')).then((r) => {
      order.push('code page')
      return r.status
    })
    const [b, status] = await Promise.all([batch, small])
    assert.equal(b.count, 3000)
    assert.equal(status, 200)
    assert.deepEqual(order, ['code page', 'batch'])
  })
  it('refuses a wrong content type with 415, a batch over the limits with 413, bad JSON with 400', async () => {
    const a = app()
    const t = await a.request('/api/code', {
      method: 'POST',
      headers: { 'content-type': 'application/xml' },
      body: '<title>Cook</title>',
    })
    assert.equal(t.status, 415)
    assert.equal(
      ((await t.json()) as { error: { code: string } }).error.code,
      'UNSUPPORTED_MEDIA_TYPE',
    )
    const many = await a.request('/api/code', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(Array.from({ length: MAX_BATCH_TITLES + 1 }, () => 'Cook')),
    })
    assert.equal(many.status, 413)
    const big = await a.request('/api/code', {
      method: 'POST',
      headers: { 'content-type': 'text/csv', 'content-length': String(11 * 1024 * 1024) },
      body: `title\n${'x'.repeat(11 * 1024 * 1024)}`,
    })
    assert.equal(big.status, 413)
    const bad = await a.request('/api/code', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '[',
    })
    assert.equal(bad.status, 400)
    const body = (await bad.json()) as {
      error: { code: string; message: string; issues: unknown[] }
    }
    assert.deepEqual(Object.keys(body.error).sort(), ['code', 'issues', 'message'])
    assert.doesNotMatch(JSON.stringify(body), /\bat \//, 'no stack trace')
  })
  it('checks a code with the grammar', async () => {
    const { body } = await get('/api/check/51-3022.05')
    assert.equal(body.kind, 'reportable')
    const soc2010 = await get('/api/check/15-1132')
    assert.equal(soc2010.body.kind, 'soc2010')
  })
  it('decides two activities by education, then time; jobs by the last; supervisors by 20%/80%', async () => {
    const a = app()
    const post = async (body: unknown) => {
      const res = await a.request('/api/rules/decide', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      })
      return {
        status: res.status,
        body: (await res.json()) as { decision: { code: string; rule: string; reason: string } },
      }
    }
    // a registered nurse (bachelor's) who also works as a receptionist most of the time: the nurse code
    const two = await post({
      activities: [
        { code: '43-4171', share: 70 },
        { code: '29-1141', share: 30 },
      ],
    })
    assert.equal(two.body.decision.code, '29-1141')
    assert.match(two.body.decision.reason, /more education/)
    // same education: most time
    const same = await post({
      activities: [
        { code: '35-2014', share: 40 },
        { code: '35-9021', share: 60 },
      ],
    })
    assert.equal(same.body.decision.code, '35-9021')
    const titles = await post({
      activities: [
        { title: 'Registered Nurse', share: 10 },
        { title: 'Receptionist', share: 90 },
      ],
    })
    assert.equal(titles.body.decision.code, '29-1141')
    const jobs = await post({ jobs: [{ code: '35-2014' }, { code: '41-2011' }] })
    assert.equal(jobs.body.decision.code, '41-2011')
    const sup = await post({
      supervisor: { supervisorCode: '35-1012', staffCode: '35-2014', staffWorkShare: 25 },
    })
    assert.equal(sup.body.decision.code, '35-2014')
    const sup2 = await post({
      supervisor: { supervisorCode: '35-1012', staffCode: '35-2014', staffWorkShare: 10 },
    })
    assert.equal(sup2.body.decision.code, '35-1012')
    const bad = await post({ activities: [{ code: '99-9999', share: 1 }] })
    assert.equal(bad.status, 400)
  })
  it('serves an OpenAPI 3.1 document naming every route', async () => {
    const { body } = await get('/api/openapi.json')
    assert.equal(body.openapi, '3.1.0')
    for (const p of [
      '/api/groups',
      '/api/groups/{code}',
      '/api/codes/{code}',
      '/api/search',
      '/api/code',
      '/api/check/{code}',
      '/api/rules',
    ])
      assert.ok(p in (body.paths as object), p)
  })
  it('sets a strict Content-Security-Policy, no CORS by default, and logs no query strings', async () => {
    lines.length = 0
    const res = await app().request('/api/search?q=John%20Smith%20123-45-6789', {
      headers: { origin: 'https://evil.example' },
    })
    const csp = res.headers.get('content-security-policy') ?? ''
    assert.match(csp, /script-src 'self'/)
    assert.doesNotMatch(csp, /unsafe-inline/)
    assert.equal(res.headers.get('access-control-allow-origin'), null)
    assert.ok(lines.some((l) => l.startsWith('GET /api/search 200')))
    assert.ok(!lines.some((l) => l.includes('6789') || l.includes('Smith')))
  })
  it('limits the rate per client with 429 and Retry-After', async () => {
    const limited = createApp({ taxonomy: taxonomy(), coder: coder(), rateLimit: 3, log: () => {} })
    const codes: number[] = []
    for (let i = 0; i < 5; i++) codes.push((await limited.request('/api/rules')).status)
    assert.deepEqual(codes, [200, 200, 200, 429, 429])
    const res = await limited.request('/api/rules')
    assert.ok(Number(res.headers.get('retry-after')) >= 1)
  })
  it('tells malformed codes (400) from unknown ones (404), and never fails on invalid UTF-8 in the path', async () => {
    for (const path of ['/api/codes/abc', '/api/codes/51-30922', '/api/groups/xx']) {
      const { res, body } = await get(path)
      assert.equal(res.status, 400, path)
      assert.match((body.error as { message: string }).message, /"/, path)
    }
    assert.equal((await get('/api/codes/99-9999')).res.status, 404)
    for (const path of ['/api/codes/%FF%FE', '/api/groups/%C3', '/api/check/%E0%A4%A']) {
      const { res, body } = await get(path)
      assert.equal(res.status, 400, path)
      assert.equal((body.error as { code: string }).code, 'BAD_REQUEST')
    }
  })
  it('refuses a 10 kB q with 400 and a clear message', async () => {
    const { res, body } = await get(`/api/search?q=${'a'.repeat(10_000)}`)
    assert.equal(res.status, 400)
    assert.match((body.error as { message: string }).message, /at most 1,000 characters/)
  })
  it('refuses a 12 MB body with 413', async () => {
    const res = await app().request('/api/code', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(['x'.repeat(12 * 1024 * 1024)]),
    })
    assert.equal(res.status, 413)
    assert.equal(((await res.json()) as { error: { code: string } }).error.code, 'TOO_LARGE')
  })
  it('serves the web app and no file outside it', async () => {
    const webRoot = mkdtempSync(join(tmpdir(), 'soc-webroot-'))
    writeFileSync(join(webRoot, 'index.html'), '<!doctype html><title>t</title>')
    const a = createApp({
      taxonomy: taxonomy(),
      coder: coder(),
      rateLimit: 0,
      log: () => {},
      webRoot,
    })
    assert.equal((await a.request('/')).status, 200)
    for (const path of [
      '/../package.json',
      '/%2e%2e/package.json',
      '/..%2fpackage.json',
      '/%2e%2e%2f%2e%2e%2fetc/passwd',
    ]) {
      const res = await a.request(path)
      assert.notEqual(res.status, 200, path)
      assert.doesNotMatch(await res.text(), /soc-alaska|root:/, path)
    }
  })
  it('answers an unknown API route with 404 in the envelope', async () => {
    const { res, body } = await get('/api/nope')
    assert.equal(res.status, 404)
    assert.equal((body.error as { code: string }).code, 'NOT_FOUND')
  })
})

describe('POST /api/reports/check', () => {
  it('returns the issues with masked SSNs and the corrected file', async () => {
    const a = createApp({ taxonomy: taxonomy(), coder: coder(), rateLimit: 0, log: () => {} })
    const file =
      'SSN,Last Name,First Name,Job Title,Occupation Code,Wages,Area Code\n' +
      '774-01-0001,Smith,Ann,Registered Nurse,29-1141.01,1000.00,01\n' +
      '774-01-0001,Kim,Lee,Cashier,41-2011,500,2\n'
    const res = await a.request('/api/reports/check?fix=codes:0.5', {
      method: 'POST',
      headers: { 'content-type': 'text/csv' },
      body: file,
    })
    assert.equal(res.status, 200)
    const text = await res.text()
    const body = JSON.parse(text) as {
      rows: number
      issues: { row: number; kind: string }[]
      corrected: string
    }
    assert.equal(body.rows, 2)
    assert.deepEqual(
      body.issues.map((i) => `${i.row}:${i.kind}`),
      ['2:occupation-onet', '3:ssn-duplicate', '3:area-format'],
    )
    assert.equal(body.corrected.split('\n')[0], '774010001,Smith,Ann,1000.00,29-1141,01')
    const report = JSON.stringify(body.issues)
    assert.ok(
      !report.includes('774-01-0001') && !report.includes('774010001'),
      'no SSN in the issues',
    )
    const empty = await a.request('/api/reports/check', {
      method: 'POST',
      headers: { 'content-type': 'text/csv' },
      body: '',
    })
    assert.equal(empty.status, 400)
    const wrong = await a.request('/api/reports/check', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    })
    assert.equal(wrong.status, 415)
  })
})
