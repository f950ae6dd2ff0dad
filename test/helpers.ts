/** Shared test setup: one build of the real reference data, kept for every test process (see BUILD_DIR). */
import { join } from 'node:path'
import { Readable } from 'node:stream'
import fc from 'fast-check'
import { run } from '../src/cli/main.ts'
import type { Coder } from '../src/core/coder/coder.ts'
import { loadCoder } from '../src/core/coder/open.ts'
import { loadTaxonomy } from '../src/core/load.ts'
import type { Taxonomy } from '../src/core/taxonomy.ts'
import { ensureBuiltSync } from '../src/data/ensure-sync.ts'
import { PACKAGE_ROOT, resolveReferenceDir } from '../src/data/paths.ts'

// Property tests are deterministic: the same seed on every run (change it locally to explore).
fc.configureGlobal({ seed: Number(process.env.FC_SEED ?? 20261128) })

export const REFERENCE = resolveReferenceDir()
/**
 * One build of the reference data for every test process (build/test-data, git-ignored; or
 * SOC_TEST_BUILD_DIR), made by the first that finds it missing or stale. Builds of the same inputs
 * are byte-identical, and each file is written atomically, so processes that build at once agree.
 */
export const BUILD_DIR = process.env.SOC_TEST_BUILD_DIR ?? join(PACKAGE_ROOT, 'build', 'test-data')

let cached: Taxonomy | null = null
export function taxonomy(): Taxonomy {
  if (!cached) {
    ensureBuiltSync({ reference: REFERENCE, buildDir: BUILD_DIR })
    cached = loadTaxonomy(BUILD_DIR)
  }
  return cached
}

let cachedCoder: Coder | null = null
export function coder(): Coder {
  if (!cachedCoder) {
    taxonomy()
    cachedCoder = loadCoder(BUILD_DIR)
  }
  return cachedCoder
}

export type SocRun = { code: number; out: string; err: string }

/**
 * Run the CLI in-process and capture what it writes. It uses the tests' reference directory and build
 * unless `testBuild` is false (the caller names its own); `stdin` feeds commands that read it.
 */
export async function runSoc(
  argv: readonly string[],
  options: { stdin?: Buffer | string; testBuild?: boolean } = {},
): Promise<SocRun> {
  let out = ''
  let err = ''
  const args =
    options.testBuild === false
      ? [...argv]
      : [...argv, '--build-dir', BUILD_DIR, '--reference', REFERENCE]
  const code = await run(args, {
    stdout: (t) => {
      out += t
    },
    stderr: (t) => {
      err += t
    },
    ...(options.stdin === undefined ? {} : { stdin: Readable.from([Buffer.from(options.stdin)]) }),
  })
  return { code, out, err }
}
