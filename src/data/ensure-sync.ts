/** ensureBuilt for scripts and tests that cannot await: loads the builder up front. */

import { buildSnapshot, writeBuild } from './build.ts'
import type { BuildMeta, BuildOptions } from './build-info.ts'
import type { EnsureResult } from './ensure.ts'
import { checkFreshness, readMeta } from './ensure.ts'

export function ensureBuiltSync(options: BuildOptions): EnsureResult {
  const f = checkFreshness(options)
  if (f.fresh) return { built: false, reason: null, meta: readMeta(options.buildDir) as BuildMeta }
  const result = buildSnapshot(options)
  writeBuild(options.buildDir, result)
  return { built: true, reason: f.reason, meta: result.meta }
}
