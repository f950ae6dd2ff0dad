/** soc data build / status / fetch */
import { resolve } from 'node:path'
import { buildSnapshot, writeBuild } from '../../data/build.ts'
import type { Converted } from '../../data/convert.ts'
import { convertOriginals } from '../../data/convert.ts'
import { checkFreshness, readMeta } from '../../data/ensure.ts'
import { fetchReference } from '../../data/fetch.ts'
import { resolveBuildDir, resolveReferenceDir } from '../../data/paths.ts'
import type { Io } from '../io.ts'
import type { ParsedArgs } from '../main.ts'
import { UsageError } from '../main.ts'

export async function runData(args: ParsedArgs, io: Io): Promise<number> {
  const sub = args.positionals[0]
  const buildDir = resolveBuildDir(args)
  if (sub === 'build') {
    const reference = resolveReferenceDir(args)
    const opts = { reference, buildDir, allowChecksumMismatch: args.allowChanged }
    const f = checkFreshness(opts)
    if (f.fresh && !args.force) {
      const meta = readMeta(buildDir)
      if (args.json) io.stdout(`${JSON.stringify({ built: false, buildDir, meta })}\n`)
      else io.stdout(`reference data is up to date in ${buildDir} (use --force to rebuild)\n`)
      return 0
    }
    const r = buildSnapshot(opts)
    writeBuild(buildDir, r)
    if (args.json) io.stdout(`${JSON.stringify({ built: true, buildDir, meta: r.meta })}\n`)
    else {
      const c = r.meta.counts
      io.stdout(`built ${buildDir} from ${reference} in ${r.meta.ms} ms\n`)
      io.stdout(
        `  ${c.major} major, ${c.minor} minor, ${c.broad} broad, ${c.detailed} detailed, ${c.extension} Alaska extension codes; ${c.titles} titles; ${c.crossRefs} cross-references\n`,
      )
      if (r.meta.warnings.length > 0)
        io.stdout(
          `  ${r.meta.warnings.length} warning(s):\n${r.meta.warnings.map((w) => `    ${w}\n`).join('')}`,
        )
    }
    return 0
  }
  if (sub === 'status') {
    const meta = readMeta(buildDir)
    if (args.json) io.stdout(`${JSON.stringify({ buildDir, meta })}\n`)
    else if (!meta) io.stdout(`no build in ${buildDir}: run "soc data build"\n`)
    else
      io.stdout(
        `build ${buildDir}\n  from ${meta.reference}, built ${meta.builtAt}\n${meta.sources.map((s) => `  ${s.path} ${s.rows} rows sha256 ${s.sha256.slice(0, 16)}\n`).join('')}`,
      )
    return 0
  }
  if (sub === 'fetch') {
    const to = resolve(args.to ?? 'reference')
    if (args.originals && !args.mirror)
      throw new UsageError(
        '--originals takes the agency files from a --mirror; without one they come from the agencies',
      )
    const done = await fetchReference({
      to,
      mirror: args.mirror,
      originals: args.originals,
      onProgress: (m) => io.stderr(`${m}\n`),
    })
    reportConversions(done.converted, io)
    if (args.json) io.stdout(`${JSON.stringify({ to, ...done })}\n`)
    else
      io.stdout(
        `fetched ${done.files.length} files into ${to}${done.converted.length ? `; made ${done.converted.length} CSVs from the agency workbooks` : ''}\n`,
      )
    return 0
  }
  if (sub === 'convert') {
    const reference = resolveReferenceDir(args)
    const done = await convertOriginals(reference, {
      force: args.force,
      onProgress: (m) => io.stderr(`${m}\n`),
    })
    reportConversions(done, io)
    if (args.json) io.stdout(`${JSON.stringify({ reference, converted: done })}\n`)
    else io.stdout(`made ${done.length} CSVs from the agency workbooks in ${reference}\n`)
    return 0
  }
  throw new UsageError(
    `unknown data command ${JSON.stringify(sub ?? '')}; expected one of: build, status, fetch, convert`,
  )
}

function reportConversions(done: readonly Converted[], io: Io): void {
  for (const c of done)
    if (!c.matches)
      io.stderr(
        `soc: ${c.path} made from ${c.from} differs from the manifest's (a newer agency release?): build with --allow-changed to use it\n`,
      )
}
