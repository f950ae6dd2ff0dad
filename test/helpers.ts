/** Shared test setup: one build of the real reference data per test process. */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import type { Coder } from '../src/core/coder/coder.ts'
import { loadCoder } from '../src/core/coder/open.ts'
import { loadTaxonomy } from '../src/core/load.ts'
import type { Taxonomy } from '../src/core/taxonomy.ts'
import { ensureBuiltSync } from '../src/data/ensure-sync.ts'
import { resolveReferenceDir } from '../src/data/paths.ts'

// Property tests are deterministic: the same seed on every run (change it locally to explore).
fc.configureGlobal({ seed: Number(process.env.FC_SEED ?? 20261128) })

export const REFERENCE = resolveReferenceDir()
export const BUILD_DIR = join(mkdtempSync(join(tmpdir(), 'soc-test-')), 'build')

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
