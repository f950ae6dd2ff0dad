/** Shared test setup: one build of the real reference data per test process. */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadTaxonomy } from '../src/core/load.ts'
import type { Taxonomy } from '../src/core/taxonomy.ts'
import { ensureBuilt } from '../src/data/ensure.ts'
import { resolveReferenceDir } from '../src/data/paths.ts'

export const REFERENCE = resolveReferenceDir()
export const BUILD_DIR = join(mkdtempSync(join(tmpdir(), 'soc-test-')), 'build')

let cached: Taxonomy | null = null
export function taxonomy(): Taxonomy {
  if (!cached) {
    ensureBuilt({ reference: REFERENCE, buildDir: BUILD_DIR })
    cached = loadTaxonomy(BUILD_DIR)
  }
  return cached
}
