/** The coder's compiled inputs (build/data/titles.json): every official title and the employment priors. */
import type { CoderInput } from '../core/coder/index-data.ts'

export const TITLE_SOURCES = [
  'soc',
  'dmtf',
  'dmtf-example',
  'onet-alternate',
  'onet-short',
  'onet-reported',
  'onet-alternate-multi',
  'onet-reported-featured',
  'state-example',
  'alaska',
] as const

export type TitleSource = (typeof TITLE_SOURCES)[number]

/** [title, code, index into TITLE_SOURCES] */
export type TitleRecord = readonly [string, string, number]

export type TitlesFile = {
  readonly format: number
  readonly sources: readonly string[]
  readonly titles: readonly TitleRecord[]
  /** national employment 2024 per detailed code (aggregates split evenly) */
  readonly national: Readonly<Record<string, number>>
  /** OEWS May 2024 employment by NAICS sector (11, 21, ... 31, 44, 48, 99) and detailed code */
  readonly sectors: CoderInput['sectors']
  /** O*NET-SOC 2010 code -> O*NET-SOC 2019 codes */
  readonly onet2010: Readonly<Record<string, readonly string[]>>
}
