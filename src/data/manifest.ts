/** The project's manifest of reference files (data/manifest.json) and checksums. */
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { DataError } from '../core/errors.ts'
import { PROJECT_DATA_DIR } from './paths.ts'

export type ManifestFile = {
  readonly id: string
  /** path inside the reference directory */
  readonly path: string
  /** the agency URL of this exact file, when it is published as such */
  readonly url?: string
  readonly sha256: string | null
  readonly columns?: readonly (string | readonly string[])[]
  readonly rows?: readonly [number, number]
  readonly required: boolean
  /** for a CSV conversion: the id of the agency workbook it was converted from */
  readonly derivedFrom?: string
  readonly note?: string
}

export type Manifest = { readonly files: readonly ManifestFile[] }

export function readManifest(path = join(PROJECT_DATA_DIR, 'manifest.json')): Manifest {
  let parsed: unknown
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'))
  } catch (err) {
    throw new DataError('BAD_DATA', path, `cannot read the manifest (${(err as Error).message})`, {
      cause: err,
    })
  }
  const files = (parsed as { files?: unknown }).files
  if (!Array.isArray(files))
    throw new DataError('BAD_DATA', path, 'expected an object with a "files" array')
  return { files: files as ManifestFile[] }
}

export function manifestEntry(manifest: Manifest, id: string): ManifestFile {
  const f = manifest.files.find((x) => x.id === id)
  if (!f)
    throw new DataError('BAD_DATA', 'data/manifest.json', `no entry with id ${JSON.stringify(id)}`)
  return f
}

export function sha256(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex')
}
