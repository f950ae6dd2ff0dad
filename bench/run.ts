/**
 * `npm run bench [-- SECTION...]`: prints measured figures against the project's targets.
 * Sections: taxonomy, coder, report, stats (default: all). Runs the compiled CLI in dist/ (the script builds it first).
 */
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { ensureBuiltSync } from '../src/data/ensure-sync.ts'
import { PACKAGE_ROOT, resolveBuildDir, resolveReferenceDir } from '../src/data/paths.ts'
import { benchCoder } from './coder.ts'
import { benchReport } from './report.ts'
import { benchStats } from './stats.ts'
import { benchTaxonomy } from './taxonomy.ts'

const cli = join(PACKAGE_ROOT, 'dist', 'cli', 'main.js')
if (!existsSync(cli)) {
  console.error(`${cli} is missing: run "npm run build" first`)
  process.exit(2)
}
const reference = resolveReferenceDir()
const sections = process.argv.slice(2)
const want = (s: string) => sections.length === 0 || sections.includes(s)

console.log(
  `soc-alaska benchmarks, ${new Date().toISOString()}, node ${process.version}, reference ${reference}`,
)
if (want('taxonomy')) {
  console.log('\n== classification ==')
  benchTaxonomy(cli, reference)
}
if (want('coder')) {
  console.log('\n== job-title coder ==')
  const buildDir = resolveBuildDir()
  ensureBuiltSync({ reference, buildDir })
  benchCoder(cli, reference, buildDir)
}
if (want('report')) {
  console.log('\n== wage reports ==')
  const buildDir = resolveBuildDir()
  ensureBuiltSync({ reference, buildDir })
  benchReport(cli, reference, buildDir)
}
if (want('stats')) {
  console.log('\n== wage-record store and statistics (SQLite) ==')
  const buildDir = resolveBuildDir()
  ensureBuiltSync({ reference, buildDir })
  await benchStats(buildDir)
}
