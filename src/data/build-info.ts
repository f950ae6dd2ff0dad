/** What a build is and when it is current: versions, file names, options, the project-data hash. */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { SourceStamp } from '../core/snapshot.ts'
import { sha256 } from './manifest.ts'
import { PROJECT_DATA_DIR } from './paths.ts'

/** Bump when the snapshot's meaning changes, so old builds are rebuilt. */
export const BUILDER_VERSION = 74

/** the files a build writes (meta.json last) */
export const BUILD_FILES = [
  'taxonomy.json',
  'titles.json',
  'coder.json',
  'coder.bin',
  'meta.json',
] as const

export type BuildOptions = {
  readonly reference: string
  readonly buildDir: string
  /** accept files whose checksum differs from the manifest (a newer official release), with a warning */
  readonly allowChecksumMismatch?: boolean
}

export type BuildMeta = {
  readonly builderVersion: number
  /** the formats of the compiled files, so a reader of another format rebuilds */
  readonly formats: { readonly snapshot: number; readonly coder: number }
  readonly reference: string
  readonly builtAt: string
  readonly projectDataHash: string
  readonly sources: readonly SourceStamp[]
  readonly counts: Readonly<Record<string, number>>
  readonly warnings: readonly string[]
  readonly ms: number
}

export const PROJECT_FILES = [
  'manifest.json',
  'alaska-extension-codes.csv',
  'ep-aggregates.csv',
  'lexicon.json',
  'alaska-extension-rules.csv',
  'alaska-titles.csv',
  'supervisors.csv',
]

/** A hash of the project's own data files, so editing them triggers a rebuild. */
export function projectDataHash(): string {
  return sha256(
    PROJECT_FILES.map((f) => readFileSync(join(PROJECT_DATA_DIR, f), 'utf8')).join('\0') +
      BUILDER_VERSION,
  )
}
