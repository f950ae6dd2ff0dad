/** The only file in core that touches the file system: read a compiled snapshot. */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { CoderIndexData } from './coder/index-data.ts'
import { CODER_INDEX_FORMAT } from './coder/index-data.ts'
import { DataError } from './errors.ts'
import type { Snapshot } from './snapshot.ts'
import { SNAPSHOT_FORMAT } from './snapshot.ts'
import type { Taxonomy } from './taxonomy.ts'
import { createTaxonomy } from './taxonomy.ts'

export function loadSnapshot(buildDir: string): Snapshot {
  const path = join(buildDir, 'taxonomy.json')
  let snapshot: Snapshot
  try {
    snapshot = JSON.parse(readFileSync(path, 'utf8')) as Snapshot
  } catch (err) {
    throw new DataError(
      'MISSING_FILE',
      path,
      `cannot read the compiled taxonomy (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}): run "soc data build"`,
      { cause: err },
    )
  }
  if (snapshot.format !== SNAPSHOT_FORMAT)
    throw new DataError(
      'BAD_DATA',
      path,
      `snapshot format ${snapshot.format}, expected ${SNAPSHOT_FORMAT}: run "soc data build"`,
    )
  return snapshot
}

export function loadTaxonomy(buildDir: string): Taxonomy {
  return createTaxonomy(loadSnapshot(buildDir))
}

export function loadCoderIndex(buildDir: string): CoderIndexData {
  const path = join(buildDir, 'coder.json')
  let data: CoderIndexData
  try {
    data = JSON.parse(readFileSync(path, 'utf8')) as CoderIndexData
  } catch (err) {
    throw new DataError(
      'MISSING_FILE',
      path,
      `cannot read the coder's index (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}): run "soc data build"`,
      { cause: err },
    )
  }
  if (data.format !== CODER_INDEX_FORMAT)
    throw new DataError(
      'BAD_DATA',
      path,
      `coder index format ${data.format}, expected ${CODER_INDEX_FORMAT}: run "soc data build"`,
    )
  return data
}
