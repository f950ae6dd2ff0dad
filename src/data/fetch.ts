/** `soc data fetch`: download the official files named in the manifest, verifying their checksums, and convert the agency workbooks. */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { DataError } from '../core/errors.ts'
import type { Converted } from './convert.ts'
import { convertOriginals } from './convert.ts'
import type { ManifestFile } from './manifest.ts'
import { readManifest, sha256 } from './manifest.ts'

export type FetchOptions = {
  /** the reference directory to fill */
  readonly to: string
  /** a base URL that replaces each file's agency URL by `${mirror}/${path}` (a mirror of a reference directory) */
  readonly mirror?: string | undefined
  /** with a mirror: take only the agency originals from it (the CSVs are then made from them) */
  readonly originals?: boolean | undefined
  readonly fetchImpl?: typeof fetch
  readonly onProgress?: (message: string) => void
}

export type FetchOutcome = {
  readonly path: string
  readonly url: string
  readonly bytes: number
  readonly sha256: string
}

/** Files the fetch can get: those with an agency URL, or every checksummed file when a mirror is given. */
export function fetchableFiles(
  files: readonly ManifestFile[],
  mirror: string | undefined,
  originals = false,
): ManifestFile[] {
  return files.filter((f) => (mirror && !originals ? f.sha256 !== null : f.url !== undefined))
}

/**
 * Download the files, then make the CSVs the build reads from the agency workbooks wherever only the
 * workbook came (no agency publishes those CSVs).
 */
export async function fetchReference(
  options: FetchOptions,
): Promise<{ files: FetchOutcome[]; converted: Converted[] }> {
  const files = await download(options)
  const converted = await convertOriginals(options.to, { onProgress: options.onProgress })
  return { files, converted }
}

async function download(options: FetchOptions): Promise<FetchOutcome[]> {
  const manifest = readManifest()
  const doFetch = options.fetchImpl ?? fetch
  const out: FetchOutcome[] = []
  for (const f of fetchableFiles(manifest.files, options.mirror, options.originals)) {
    const url = options.mirror
      ? `${options.mirror.replace(/\/$/, '')}/${f.path}`
      : (f.url as string)
    options.onProgress?.(`fetching ${url}`)
    let res: Response
    try {
      res = await doFetch(url, { redirect: 'follow' })
    } catch (err) {
      throw new DataError(
        'DOWNLOAD_FAILED',
        f.path,
        `cannot download ${url} (${(err as Error).message})`,
        { cause: err },
      )
    }
    if (!res.ok)
      throw new DataError(
        'DOWNLOAD_FAILED',
        f.path,
        `download of ${url} failed: HTTP ${res.status}`,
      )
    const bytes = new Uint8Array(await res.arrayBuffer())
    const sum = sha256(bytes)
    if (f.sha256 && sum !== f.sha256) {
      throw new DataError(
        'CHECKSUM_MISMATCH',
        f.path,
        `downloaded ${url} has sha256 ${sum.slice(0, 16)}…, the manifest expects ${f.sha256.slice(0, 16)}…; not saved`,
      )
    }
    const dest = join(options.to, f.path)
    mkdirSync(dirname(dest), { recursive: true })
    const tmp = `${dest}.part`
    writeFileSync(tmp, bytes)
    renameSync(tmp, dest)
    out.push({ path: f.path, url, bytes: bytes.length, sha256: sum })
  }
  return out
}
