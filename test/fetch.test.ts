/** `soc data fetch` against a real local HTTP server that serves the reference directory. */
import assert from 'node:assert/strict'
import { existsSync, mkdtempSync, readFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join, normalize, resolve, sep } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { zipSync } from 'fflate'
import { readManifest } from '../src/data/manifest.ts'
import { REFERENCE, runSoc } from './helpers.ts'

/** The OEWS zips as BLS publishes them: [folder inside, the workbook in REFERENCE]. */
const BLS_ZIPS: Record<string, [string, string]> = {
  'data/bls_oews/oesm24nat.zip': ['oesm24nat', 'data/bls_oews/national_M2024_dl.xlsx'],
  'data/bls_oews_industry/oesm24in4.zip': [
    'oesm24in4',
    'data/bls_oews_industry/natsector_M2024_dl.xlsx',
  ],
}
/** CSVs an agency itself publishes (O*NET, NCES's CIP list) */
const AGENCY_CSVS = new Set(
  readManifest()
    .files.filter((f) => f.url && f.path.endsWith('.csv'))
    .map((f) => f.path),
)

/**
 * Serves REFERENCE under four prefixes (`/agency/`: only what the agencies publish, the OEWS
 * workbooks zipped); `/ok/` as is, `/missing/` with one file answering 404,
 * `/tampered/` with one file's bytes changed.
 */
function startServer(victim: string): Promise<{ server: Server; base: string }> {
  const root = resolve(REFERENCE)
  const server = createServer((req, res) => {
    // no keep-alive: a socket idle past the server's timeout would fail the client's next request
    res.setHeader('connection', 'close')
    const url = new URL(req.url ?? '/', 'http://localhost')
    const [, mode, ...rest] = decodeURIComponent(url.pathname).split('/')
    const rel = rest.join('/')
    const file = normalize(join(root, rel))
    const zipped = BLS_ZIPS[rel]
    if (mode === 'agency' && zipped) {
      // BLS publishes its OEWS workbooks zipped, in a folder
      const inner = readFileSync(join(root, zipped[1]))
      const body = zipSync({ [`${zipped[0]}/${zipped[1].split('/').at(-1)}`]: inner })
      res.writeHead(200, { 'content-type': 'application/zip' }).end(Buffer.from(body))
      return
    }
    if (!file.startsWith(root + sep) || !existsSync(file)) {
      res.writeHead(404).end('not found')
      return
    }
    if (mode === 'missing' && rel === victim) {
      res.writeHead(404).end('not found')
      return
    }
    let body = readFileSync(file)
    if (mode === 'agency' && rel.endsWith('.csv') && !AGENCY_CSVS.has(rel)) {
      // an agency publishes the workbook, not our CSV conversion of it
      res.writeHead(404).end('not found')
      return
    }
    if (mode === 'tampered' && rel === victim) body = Buffer.concat([body, Buffer.from('\n')])
    res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(body)
  })
  return new Promise((ok) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo
      ok({ server, base: `http://127.0.0.1:${port}` })
    })
  })
}

const soc = (...argv: string[]) => runSoc(argv, { testBuild: false })

describe('soc data fetch', () => {
  const victim = 'data/bls_soc2018/soc_2018_definitions.csv'
  let server: Server
  let base = ''
  before(async () => {
    assert.ok(
      readManifest().files.some((f) => f.path === victim),
      `${victim} is in the manifest`,
    )
    ;({ server, base } = await startServer(victim))
  })
  after(() => server.close())

  it('downloads every checksummed file, and the result builds', async () => {
    const to = mkdtempSync(join(tmpdir(), 'soc-fetch-'))
    const r = await soc('data', 'fetch', '--mirror', `${base}/ok`, '--to', to, '--json')
    assert.equal(r.code, 0, r.err)
    const files = (JSON.parse(r.out) as { files: { path: string; sha256: string }[] }).files
    const expected = readManifest().files.filter((f) => f.sha256 !== null)
    assert.equal(files.length, expected.length)
    for (const f of expected) assert.ok(existsSync(join(to, f.path)), f.path)
    const build = await soc('data', 'build', '--reference', to, '--build-dir', join(to, 'build'))
    assert.equal(build.code, 0, build.err)
  })

  it('names the file and the HTTP status on a 404, and keeps no partial file', async () => {
    const to = mkdtempSync(join(tmpdir(), 'soc-fetch-'))
    const r = await soc('data', 'fetch', '--mirror', `${base}/missing`, '--to', to)
    assert.equal(r.code, 1)
    const line = r.err.trim().split('\n').at(-1) ?? ''
    assert.match(line, /soc_2018_definitions\.csv/)
    assert.match(line, /HTTP 404/)
    assert.doesNotMatch(r.err, /\n\s+at /, 'no stack trace')
    assert.equal(existsSync(join(to, victim)), false)
    assert.equal(existsSync(join(to, `${victim}.part`)), false)
  })

  it('refuses a file whose checksum does not match the manifest, and does not save it', async () => {
    const to = mkdtempSync(join(tmpdir(), 'soc-fetch-'))
    const r = await soc('data', 'fetch', '--mirror', `${base}/tampered`, '--to', to)
    assert.equal(r.code, 1)
    const line = r.err.trim().split('\n').at(-1) ?? ''
    assert.match(line, /soc_2018_definitions\.csv/)
    assert.match(line, /sha256/)
    assert.doesNotMatch(r.err, /\n\s+at /, 'no stack trace')
    assert.equal(existsSync(join(to, victim)), false)
  })

  it('takes only the agency files, makes the CSVs from their workbooks byte for byte, and builds', async () => {
    const to = mkdtempSync(join(tmpdir(), 'soc-fetch-'))
    const r = await soc(
      'data',
      'fetch',
      '--mirror',
      `${base}/agency`,
      '--originals',
      '--to',
      to,
      '--json',
    )
    assert.equal(r.code, 0, r.err)
    const out = JSON.parse(r.out) as { converted: { path: string; matches: boolean }[] }
    const derived = readManifest().files.filter((f) => f.derivedFrom)
    assert.deepEqual(
      out.converted.map((c) => [c.path, c.matches]).sort(),
      derived.map((f) => [f.path, true]).sort(),
    )
    for (const f of derived)
      assert.equal(
        readFileSync(join(to, f.path), 'utf8'),
        readFileSync(join(REFERENCE, f.path), 'utf8'),
        f.path,
      )
    const build = await soc(
      'data',
      'build',
      '--reference',
      to,
      '--build-dir',
      join(to, 'build'),
      '--json',
    )
    assert.equal(build.code, 0, build.err)
    const meta = (JSON.parse(build.out) as { meta: { counts: Record<string, number> } }).meta
    assert.equal(meta.counts.detailed, 867)
    // a missing workbook is no error: soc data convert makes what it can
    const again = await soc('data', 'convert', '--reference', to)
    assert.equal(again.code, 0)
    assert.match(again.out, /^made 0 CSVs/)
  })

  it('names the URL when the server cannot be reached', async () => {
    const to = mkdtempSync(join(tmpdir(), 'soc-fetch-'))
    const r = await soc('data', 'fetch', '--mirror', 'http://127.0.0.1:9/x', '--to', to)
    assert.equal(r.code, 1)
    assert.match(r.err, /cannot download http:\/\/127\.0\.0\.1:9\/x\//)
  })
})
