/** The compiled reference data: the shape `soc data build` writes and `loadSnapshot` reads. */
import type { Level } from './codes.ts'

export const SNAPSHOT_FORMAT = 1

export type Education = {
  /** typical education needed for entry, as BLS words it */
  readonly typical: string
  /** 1 (no formal credential) .. 8 (doctoral or professional degree); used by the coding rules */
  readonly rank: number
  readonly experience: string
  readonly training: string
  /** the EP aggregate the values came from, when the code has no line of its own (e.g. 13-1020) */
  readonly aggregate: string | null
}

export type Employment = {
  /** national employment, 2024 (BLS Employment Projections), in jobs */
  readonly employment2024: number | null
  /** projected national employment, 2034, in jobs */
  readonly employment2034: number | null
  /** median annual wage in dollars, May 2024 (OEWS; EP when OEWS has none) */
  readonly medianWage: number | null
  /** true when the median is the top-coded value ($239,200 or more) */
  readonly medianWageTopCoded: boolean
  /** the EP/OEWS aggregate code whose figures these are, shared with its other codes */
  readonly aggregate: string | null
  /** the codes that share the aggregate's figures (empty when the code has its own line) */
  readonly aggregateCodes: readonly string[]
}

export type AlaskaInfo = {
  readonly status: 'current' | 'legacy'
  readonly socVersion: '2010' | '2018'
  readonly industry: string | null
  readonly summary: string
  /** for a legacy code: the SOC 2018 detailed codes its SOC 2010 parent became */
  readonly successors: readonly string[]
  readonly onStatePage: boolean
}

export type Entry = {
  readonly code: string
  readonly level: Level
  readonly title: string
  readonly parent: string | null
  /** the BLS definition (for an extension: the state's description or our summary) */
  readonly definition: string
  /** the state's description where the state page has one */
  readonly stateDescription: string | null
  /** the title the state page uses when it differs from BLS */
  readonly stateTitle: string | null
  /** the state page's broad-group heading for the entry */
  readonly stateBroadGroup: string | null
  /** example titles: the state page's when it has them, else the BLS illustrative examples */
  readonly examples: readonly string[]
  readonly examplesSource: 'state' | 'bls' | null
  readonly alaska: AlaskaInfo | null
  readonly education: Education | null
  readonly employment: Employment | null
  /** Census 2018 occupation code covering the entry */
  readonly census: { readonly code: string; readonly title: string } | null
  /** CIP 2020 programs that lead to the occupation */
  readonly cip: readonly string[]
  /** O*NET-SOC 2019 occupations within a detailed code (besides the .00 one) */
  readonly onet: readonly { readonly code: string; readonly title: string }[]
  /** position in the state page's order (page entries first, then the rest in SOC order) */
  readonly order: number
}

export type CrossRefKind = 'includes' | 'excludes' | 'see'

export type CrossRef = {
  readonly from: string
  readonly kind: CrossRefKind
  /** the codes named, ranges expanded to the detailed codes they span */
  readonly to: readonly string[]
  /** the titles quoted for those codes, as the definition writes them */
  readonly titles: readonly string[]
  /** the sentence the reference came from */
  readonly text: string
}

export type Soc2010Code = {
  readonly title: string
  readonly successors: readonly string[]
}

export type SourceStamp = {
  readonly id: string
  readonly path: string
  readonly sha256: string
  readonly size: number
  readonly mtimeMs: number
  readonly rows: number
}

export type Snapshot = {
  readonly format: number
  readonly builtAt: string
  readonly reference: string
  readonly sources: readonly SourceStamp[]
  readonly projectData: string
  readonly entries: readonly Entry[]
  readonly crossRefs: readonly CrossRef[]
  /** every SOC 2010 detailed code with its SOC 2018 successors */
  readonly soc2010: Readonly<Record<string, Soc2010Code>>
  /** NAICS 2022 codes (2 to 6 digits, and the ranges 31-33, 44-45, 48-49) with titles */
  readonly naics: Readonly<Record<string, string>>
  /** CIP 2020 codes with titles (only those that the crosswalk uses) */
  readonly cipTitles: Readonly<Record<string, string>>
  /** the intro and coding rules of the state page, as parsed */
  readonly statePage: {
    readonly intro: readonly string[]
    readonly sections: readonly { readonly heading: string; readonly codes: readonly string[] }[]
  } | null
  readonly warnings: readonly string[]
}
