/**
 * The CSVs the build reads, made from the agencies' own workbooks in the reference directory: for a
 * user who has only the official files. The conversions reproduce the manifest's files byte for byte.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { DataError } from '../core/errors.ts'
import { AGENCY_CONVERSIONS } from '../ingest/agency-files.ts'
import type { ManifestFile } from './manifest.ts'
import { manifestEntry, readManifest, sha256 } from './manifest.ts'

export type Converted = {
  readonly path: string
  readonly from: string
  readonly sha256: string
  /** false: the result differs from the manifest's file (a newer agency release?) */
  readonly matches: boolean
}

/** The derived files that are missing, and whose agency original is present: make them. */
export async function convertOriginals(
  reference: string,
  options: {
    force?: boolean | undefined
    onProgress?: ((message: string) => void) | undefined
  } = {},
): Promise<Converted[]> {
  const manifest = readManifest()
  const out: Converted[] = []
  for (const f of manifest.files) {
    const convert = AGENCY_CONVERSIONS[f.id]
    if (!f.derivedFrom || !convert) continue
    const target = join(reference, f.path)
    if (existsSync(target) && !options.force) continue
    const original: ManifestFile = manifestEntry(manifest, f.derivedFrom)
    const source = join(reference, original.path)
    if (!existsSync(source)) continue
    options.onProgress?.(`converting ${original.path} -> ${f.path}`)
    let text: string
    try {
      text = await convert(readFileSync(source))
    } catch (err) {
      throw new DataError(
        'BAD_FILE',
        original.path,
        `cannot convert it to ${f.path}: ${(err as Error).message}`,
        { cause: err },
      )
    }
    const sum = sha256(text)
    mkdirSync(dirname(target), { recursive: true })
    writeFileSync(`${target}.part`, text)
    renameSync(`${target}.part`, target)
    out.push({
      path: f.path,
      from: original.path,
      sha256: sum,
      matches: !f.sha256 || f.sha256 === sum,
    })
  }
  return out
}
