/** Make sure a current build exists: build on first use, rebuild when a source file changed. */
import { readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { CODER_INDEX_FORMAT } from '../core/coder/index-data.ts'
import { SNAPSHOT_FORMAT } from '../core/snapshot.ts'
import type { BuildMeta, BuildOptions } from './build-info.ts'
import { BUILD_FILES, BUILDER_VERSION, projectDataHash } from './build-info.ts'
import { sha256 } from './manifest.ts'

export type Freshness =
  | { readonly fresh: true }
  | { readonly fresh: false; readonly reason: string }

export function readMeta(buildDir: string): BuildMeta | null {
  try {
    return JSON.parse(readFileSync(join(buildDir, 'meta.json'), 'utf8')) as BuildMeta
  } catch {
    return null
  }
}

/** Is the build in buildDir current for this reference directory? Cheap: stats, hashes only changed files. */
export function checkFreshness(options: BuildOptions): Freshness {
  const meta = readMeta(options.buildDir)
  if (!meta) return { fresh: false, reason: 'no build yet' }
  if (meta.builderVersion !== BUILDER_VERSION)
    return { fresh: false, reason: 'the builder changed' }
  if (meta.formats?.snapshot !== SNAPSHOT_FORMAT || meta.formats?.coder !== CODER_INDEX_FORMAT)
    return { fresh: false, reason: 'the compiled formats changed' }
  for (const f of BUILD_FILES) {
    try {
      statSync(join(options.buildDir, f))
    } catch {
      return { fresh: false, reason: `${f} is missing from the build` }
    }
  }
  if (meta.reference !== options.reference)
    return { fresh: false, reason: `the reference directory changed to ${options.reference}` }
  if (meta.projectDataHash !== projectDataHash())
    return { fresh: false, reason: "the project's data files changed" }
  for (const s of meta.sources) {
    const full = join(options.reference, s.path)
    let st: ReturnType<typeof statSync>
    try {
      st = statSync(full)
    } catch {
      return { fresh: false, reason: `${s.path} is gone` }
    }
    if (st.size === s.size && st.mtimeMs === s.mtimeMs) continue
    if (sha256(readFileSync(full)) !== s.sha256)
      return { fresh: false, reason: `${s.path} changed` }
  }
  return { fresh: true }
}

export type EnsureResult = {
  readonly built: boolean
  readonly reason: string | null
  readonly meta: BuildMeta
}

/**
 * Build when the build is missing or stale. The builder (and everything it imports) loads only then,
 * so a command run on a current build starts fast.
 */
export async function ensureBuilt(options: BuildOptions): Promise<EnsureResult> {
  const f = checkFreshness(options)
  if (f.fresh) return { built: false, reason: null, meta: readMeta(options.buildDir) as BuildMeta }
  const { buildSnapshot, writeBuild } = await import('./build.ts')
  const result = buildSnapshot(options)
  writeBuild(options.buildDir, result)
  return { built: true, reason: f.reason, meta: result.meta }
}
