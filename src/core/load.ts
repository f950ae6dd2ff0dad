/** The only file in core that touches the file system: read a compiled snapshot. */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { CoderIndexData, PackedCoderIndex } from './coder/index-data.ts'
import { CODER_INDEX_FORMAT, unpackCoderIndex } from './coder/index-data.ts'
import { DataError } from './errors.ts'
import type { Snapshot } from './snapshot.ts'
import { SNAPSHOT_FORMAT } from './snapshot.ts'
import type { Taxonomy } from './taxonomy.ts'
import { createTaxonomy } from './taxonomy.ts'

/** A build file that cannot be read (or parsed): one line naming it, and the remedy. */
function cannotRead(path: string, what: string, err: unknown): DataError {
  return new DataError(
    'MISSING_FILE',
    path,
    `cannot read ${what} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}): run "soc data build"`,
    { cause: err },
  )
}

/** Read a compiled JSON file of the build and check its format; one line naming the file otherwise. */
function readCompiled<T extends { readonly format: number }>(
  buildDir: string,
  file: string,
  what: string,
  kind: string,
  format: number,
): T {
  const path = join(buildDir, file)
  let value: T
  try {
    value = JSON.parse(readFileSync(path, 'utf8')) as T
  } catch (err) {
    throw cannotRead(path, what, err)
  }
  if (value.format !== format)
    throw new DataError(
      'BAD_DATA',
      path,
      `${kind} format ${value.format}, expected ${format}: run "soc data build"`,
    )
  return value
}

export function loadSnapshot(buildDir: string): Snapshot {
  return readCompiled<Snapshot>(
    buildDir,
    'taxonomy.json',
    'the compiled taxonomy',
    'snapshot',
    SNAPSHOT_FORMAT,
  )
}

export function loadTaxonomy(buildDir: string): Taxonomy {
  return createTaxonomy(loadSnapshot(buildDir))
}

export function loadCoderIndex(buildDir: string): CoderIndexData {
  const json = readCompiled<PackedCoderIndex>(
    buildDir,
    'coder.json',
    "the coder's index",
    'coder index',
    CODER_INDEX_FORMAT,
  )
  const path = join(buildDir, 'coder.bin')
  let bin: Uint8Array
  try {
    bin = readFileSync(path)
  } catch (err) {
    throw cannotRead(path, "the coder's index", err)
  }
  const data = unpackCoderIndex(json, bin)
  if (typeof data === 'string')
    throw new DataError('BAD_DATA', path, `${data}: run "soc data build"`)
  return data
}
