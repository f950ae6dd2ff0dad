/**
 * `npm run bench:http`: the running server on loopback under autocannon: /api/search and
 * /api/codes/{code} throughput and latency, RSS over 60 s of load, the home page's render time in a
 * cold headless Chromium, and the bundle's gzipped size.
 */
import { spawn } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import autocannon from 'autocannon'
import { chromium } from 'playwright-core'
import { loadTaxonomy } from '../src/core/load.ts'
import { ensureBuiltSync } from '../src/data/ensure-sync.ts'
import { PACKAGE_ROOT, resolveBuildDir, resolveReferenceDir } from '../src/data/paths.ts'
import { syntheticTitles } from './titles.ts'
import { fmt, verdict } from './util.ts'

const cli = join(PACKAGE_ROOT, 'dist', 'cli', 'main.js')
const web = join(PACKAGE_ROOT, 'dist', 'web', 'main.js')
if (!existsSync(cli) || !existsSync(web)) {
  console.error('dist/ is missing: run "npm run build" first')
  process.exit(2)
}
const reference = resolveReferenceDir()
const buildDir = resolveBuildDir()
ensureBuiltSync({ reference, buildDir })
const short = process.argv.includes('--short')

const server = spawn(
  process.execPath,
  [
    cli,
    'serve',
    '--port',
    '0',
    '--rate-limit',
    '0',
    '--quiet',
    '--build-dir',
    buildDir,
    '--reference',
    reference,
  ],
  {
    stdio: ['ignore', 'pipe', 'inherit'],
  },
)
const url = await new Promise<string>((ok, fail) => {
  let out = ''
  server.stdout.on('data', (d: Buffer) => {
    out += d.toString()
    const m = /listening on (http:\/\/\S+)/.exec(out)
    if (m) ok(m[1] as string)
  })
  server.once('exit', (code) => fail(new Error(`server exited ${code}`)))
})

function rssMb(): number {
  const status = readFileSync(`/proc/${server.pid}/status`, 'utf8')
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024
}

async function load(
  name: string,
  paths: readonly string[],
  seconds: number,
): Promise<autocannon.Result> {
  let i = 0
  const result = await autocannon({
    url,
    connections: 16,
    duration: seconds,
    requests: [
      {
        setupRequest: (req) => {
          req.path = paths[i++ % paths.length] as string
          return req
        },
      },
    ],
  })
  const errors = result.errors + result.timeouts + result.non2xx
  console.log(
    `${name}: ${fmt(result.requests.average, 0)} req/s average, latency p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, ${errors} errors/timeouts/non-2xx over ${result.requests.total} requests`,
  )
  return result
}

try {
  console.log(
    `soc-alaska HTTP benchmark, ${new Date().toISOString()}, node ${process.version}, server ${url}`,
  )
  const titles = syntheticTitles(buildDir, 20000, 11).map(
    (t) => `/api/search?q=${encodeURIComponent(t)}&k=5`,
  )
  const codes = loadTaxonomy(buildDir)
    .reportableCodes()
    .map((c) => `/api/codes/${c}`)
  await load('warm-up', titles, 3)
  const search = await load('/api/search (20,000 distinct titles)', titles, short ? 5 : 15)
  console.log(
    `  target >= 3,000 req/s: ${verdict(search.requests.average >= 3000)}; p99 <= 20 ms: ${verdict(search.latency.p99 <= 20)}`,
  )
  const code = await load('/api/codes/{code} (every reportable code)', codes, short ? 5 : 15)
  console.log(`  target >= 8,000 req/s: ${verdict(code.requests.average >= 8000)}`)

  // memory under 60 s of search load
  const samples: number[] = [rssMb()]
  const timer = setInterval(() => samples.push(rssMb()), 5000)
  await load('/api/search, 60 s', titles, short ? 10 : 60)
  clearInterval(timer)
  samples.push(rssMb())
  const first = samples[1] ?? (samples[0] as number)
  const last = samples[samples.length - 1] as number
  console.log(
    `server RSS during the 60 s: ${samples.map((x) => fmt(x, 0)).join(', ')} MB; growth ${fmt(last - first, 0)} MB (flat: ${verdict(last - first < 20)})`,
  )

  // the home page in a cold headless browser
  const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
  if (existsSync(chromiumPath)) {
    const times: number[] = []
    for (let i = 0; i < 5; i++) {
      const browser = await chromium.launch({
        executablePath: chromiumPath,
        args: ['--no-sandbox'],
      })
      const page = await browser.newPage()
      const t0 = performance.now()
      await page.goto(`${url}/`)
      await page.getByLabel('Job title').waitFor()
      await page.locator('#major option:nth-child(2)').waitFor({ state: 'attached' })
      times.push(performance.now() - t0)
      await browser.close()
    }
    times.sort((a, b) => a - b)
    console.log(
      `home page rendered (search box and major groups) in a cold headless Chromium: median ${fmt(times[2] as number, 0)} ms, max ${fmt(times[4] as number, 0)} ms (target <= 500 ms: ${verdict((times[4] as number) <= 500)})`,
    )
  } else console.log(`no Chromium at ${chromiumPath}: render time not measured`)
  const js = readFileSync(web)
  const gz = gzipSync(js).length
  console.log(
    `JavaScript bundle: ${fmt(js.length / 1024, 1)} kB, ${fmt(gz / 1024, 1)} kB gzipped (target <= 60 kB: ${verdict(gz <= 60 * 1024)})`,
  )
} finally {
  server.kill('SIGTERM')
}
