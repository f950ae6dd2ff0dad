/** Where things are: the package root, the reference directory, the build folder. */
import { existsSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { InputError } from '../core/errors.ts'

function findRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url))
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'data', 'manifest.json')))
      return dir
    const up = dirname(dir)
    if (up === dir) throw new Error('cannot find the soc-alaska package root (data/manifest.json)')
    dir = up
  }
}

/** The package's own folder (holds package.json and data/). */
export const PACKAGE_ROOT = findRoot()
/** The project's own small data files (manifest, Alaska extensions, EP aggregates). */
export const PROJECT_DATA_DIR = join(PACKAGE_ROOT, 'data')

export type ReferenceOptions = {
  /** explicit reference directory (--reference) */
  readonly reference?: string | undefined
  /** explicit build folder (--build-dir) */
  readonly buildDir?: string | undefined
  readonly env?: Readonly<Record<string, string | undefined>>
  readonly cwd?: string
}

/** A reference directory holds data/ (and optionally seed/ and alaska/). */
function looksLikeReference(dir: string): boolean {
  return existsSync(join(dir, 'data', 'bls_soc2018'))
}

/**
 * The reference directory: --reference, then SOC_REFERENCE_DIR, then ./reference and ../shared
 * (from the working directory, then from the package root).
 */
export function resolveReferenceDir(options: ReferenceOptions = {}): string {
  const env = options.env ?? process.env
  const cwd = options.cwd ?? process.cwd()
  const explicit = options.reference ?? env.SOC_REFERENCE_DIR
  if (explicit !== undefined && explicit !== '') {
    const dir = resolve(cwd, explicit)
    if (!existsSync(dir)) {
      const from = options.reference !== undefined ? '--reference' : 'SOC_REFERENCE_DIR'
      throw new InputError(
        'MISSING_FILE',
        `reference directory ${JSON.stringify(explicit)} (from ${from}) does not exist: expected a folder holding data/, seed/ and alaska/`,
      )
    }
    return dir
  }
  const candidates = [
    resolve(cwd, 'reference'),
    resolve(cwd, '..', 'shared'),
    join(PACKAGE_ROOT, 'reference'),
    resolve(PACKAGE_ROOT, '..', 'shared'),
  ]
  for (const c of candidates) if (looksLikeReference(c)) return c
  throw new InputError(
    'MISSING_FILE',
    `no reference directory found (looked in ${candidates.map((c) => JSON.stringify(c)).join(', ')}): pass --reference DIR, set SOC_REFERENCE_DIR, or run "soc data fetch" to download the official files into ./reference`,
  )
}

/** The git-ignored build folder: --build-dir, then SOC_BUILD_DIR, then <package>/build/data. */
export function resolveBuildDir(options: ReferenceOptions = {}): string {
  const env = options.env ?? process.env
  const cwd = options.cwd ?? process.cwd()
  const explicit = options.buildDir ?? env.SOC_BUILD_DIR
  if (explicit !== undefined && explicit !== '') return resolve(cwd, explicit)
  return join(PACKAGE_ROOT, 'build', 'data')
}
