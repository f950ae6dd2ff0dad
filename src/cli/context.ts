/** Resolve the reference directory and build folder, build when needed, load the taxonomy. */
import type { Coder } from '../core/coder/coder.ts'
import { loadTaxonomy } from '../core/load.ts'
import type { Taxonomy } from '../core/taxonomy.ts'
import { ensureBuilt } from '../data/ensure.ts'
import { resolveBuildDir, resolveReferenceDir } from '../data/paths.ts'
import type { Io } from './io.ts'

export type GlobalOptions = {
  readonly reference?: string | undefined
  readonly buildDir?: string | undefined
}

export async function openTaxonomy(opts: GlobalOptions, io: Io): Promise<Taxonomy> {
  return loadTaxonomy(await prepareBuild(opts, io))
}

/** Build the reference data when needed; returns the build folder. */
export async function prepareBuild(opts: GlobalOptions, io: Io): Promise<string> {
  const buildDir = resolveBuildDir(opts)
  const reference = resolveReferenceDir(opts)
  const r = await ensureBuilt({ reference, buildDir })
  if (r.built) io.stderr(`soc: built the reference data (${r.reason}) in ${r.meta.ms} ms\n`)
  return buildDir
}

export async function openCoder(opts: GlobalOptions, io: Io): Promise<Coder> {
  const buildDir = await prepareBuild(opts, io)
  const { loadCoder } = await import('../core/coder/open.ts')
  return loadCoder(buildDir)
}
