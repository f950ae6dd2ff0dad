/**
 * The job-title coder: a title (and optionally an industry and duties) to ranked SOC codes with a
 * calibrated confidence. See DESIGN.md, "How the coder ranks".
 */
import { parseCode } from '../codes.ts'
import { applyCalibration } from './calibrate.ts'
import type {
  CoderIndexData,
  ExtensionRule,
  KnownRankings,
  Lookups,
  MatchKind,
  Nums,
  SupervisorRule,
} from './index-data.ts'
import {
  CODER_INDEX_FORMAT,
  hashText,
  keyTable,
  OFFICIAL_SOURCES,
  SOURCE_AUTHORITY,
  titleForms,
} from './index-data.ts'
import type { Lexicon, NormalizedTitle, TokenRole } from './normalize.ts'
import {
  createLexicon,
  deletions,
  LABEL_WORDS,
  normalizeTitle,
  ROLE_WEIGHT,
  singularize,
} from './normalize.ts'
import { noNumbers, objectArray } from './shapes.ts'

export type CodeQuery = {
  readonly title: string
  /** a NAICS code of 2 to 6 digits */
  readonly industry?: string | null | undefined
  /** what the worker does, free text */
  readonly duties?: string | null | undefined
}

export type CoderOptions = {
  /** how many candidates to return; default 5, range 1..50 */
  readonly k?: number
}

export const defaultCoderOptions = { k: 5 } as const

/** The confidence at or above which a result is `coded`; below it, `review`. */
export const CODED_THRESHOLD = 0.8

export type MatchedTitle = { readonly title: string; readonly source: string }

export type Candidate = {
  readonly code: string
  readonly title: string
  /** the ranking score (higher is better; about 0..1.2) */
  readonly score: number
  /** the calibrated probability that this is the right code */
  readonly confidence: number
  /** the official title that matched, and where it comes from; null when the input was a code */
  readonly matched: MatchedTitle | null
}

export type CodeStatus = 'coded' | 'review' | 'uncodable'

export type GroupLevel = 'broad' | 'minor'

export type GroupGuess = {
  readonly code: string
  readonly level: GroupLevel
  readonly title: string
  readonly confidence: number
}

export type CodeResult = {
  readonly status: CodeStatus
  readonly candidates: readonly Candidate[]
  /** when unsure at six digits: the broad or minor group that is likely */
  readonly group: GroupGuess | null
  /** why a result is uncodable, or notes on the input (industry not recognised ...) */
  readonly notes: readonly string[]
}

export type Coder = {
  code(query: CodeQuery | string, options?: CoderOptions): CodeResult
  /**
   * the raw (uncalibrated) top-1 probability and ranking, and how the top title matches the query:
   * for fitting the calibration
   */
  rank(
    query: CodeQuery | string,
    k: number,
  ): {
    raw: number
    match: MatchKind
    candidates: readonly Candidate[]
    /** per level, the group with the most raw probability over the softmax's candidates */
    groups: Readonly<Record<GroupLevel, { code: string; raw: number } | null>>
  }
  /**
   * For the build: the rankings of these titles as plain queries, to be kept in the index (the
   * coder then answers them without ranking, with the same results)
   */
  knownRankings(titles: readonly string[]): KnownRankings
  /** For the build: the lookups the coder works out from the index, to be kept in it */
  lookups(): Lookups
  /** the NAICS 2022 title an industry code is read as (its own, else its nearest parent's) */
  industryTitle(naics: string): { readonly code: string; readonly title: string } | null
  readonly lexicon: Lexicon
  readonly size: { readonly titles: number; readonly codes: number; readonly words: number }
}

// ---- scoring constants (see DESIGN.md) ----
const FUZZY_CREDIT = 0.8
const PREFIX_CREDIT = 0.8
const SIBLING_CREDIT = 0.55
/** at most this many pieces make a run-together word */
const MAX_PIECES = 7
/** a word written short: each consonant it leaves out divides a candidate's use by this */
const CONTRACTION_SKIP = 10
const VOWELS = new Set(['a', 'e', 'i', 'o', 'u'])
const HEAD_MISS = 0.78
/** a title naming a boss (supervisor, manager, foreman...) when the query names none */
const BOSS_MISS = 0.6
/** a title naming no boss when the query's head is one: a "Roofer Supervisor" is not a roofer */
const BOSS_HEAD_MISS = 0.8
/** heads that name no trade of their own: one stands for another ("Farm Laborer" ~ "Farm Worker", "Kitchen Staff") */
const GENERIC_HEADS = ['worker', 'laborer', 'hand', 'staff', 'person']
/** heads that make a title a first-line supervisor's (a lead is coded with the workers it leads) */
const SUPERVISOR_HEADS = new Set(['supervisor', 'foreman', 'forewoman', 'foreperson'])
/** how sure the workers' ranking must be of whom the supervisor supervises (their codes' share) */
const SUPERVISED_SHARE = 0.7
/** words that make a title a supervisor's or manager's (as normalised) */
const BOSS_WORDS = [
  'supervisor',
  'foreman',
  'forewoman',
  'foreperson',
  'manager',
  'director',
  'superintendent',
  'chief',
  'head',
  'lead',
  'leader',
  'administrator',
  'executive',
  'president',
  'owner',
  'proprietor',
  'principal',
  'coordinator',
  'boss',
  'captain',
  'commander',
  'dean',
  'controller',
  'comptroller',
  'treasurer',
  'overseer',
]
const BOSS_WORD_SET: ReadonlySet<string> = new Set(BOSS_WORDS)
const PART_FACTOR = 0.94
const RESIDUAL_FACTOR = 0.9
const OFFICIAL_WEIGHT = 0.12
// the share of the duties' words found in an occupation's definition
const DUTIES_WEIGHT = 0.2
const INDUSTRY_AFFINITY = 0.05
const EVIDENCE_WEIGHT = 0.05
const PRUNE_SHARE = 0.55
const TITLE_FLOOR = 0.3
// when the best title found scores below WEAK_BEST, or fewer than FEW_CODES codes are found, the
// pruning may have kept out better titles (a rare word found in one title only, "Vineyard Tender" for
// a vineyard maintenance worker): score again without it, with a lower title floor
const WEAK_BEST = 0.5
const FEW_CODES = 3
const RESCAN_FLOOR = 0.1
/** the most confidence a title read by its spelling alone gets */
const SPELLED_CAP = 0.5
/**
 * A title with every word of a query that has level words, the level words too, covers it this much
 * more than one with all but those ("Electrical Journeyman" is an electrician, not the helper that
 * "Electrical Apprentice" is, its "apprentice" dropped; 0.02-0.1 move no dev title nor any figure)
 */
const LEVEL_MATCHED = 0.05
/** rankings kept for titles that normalise alike (least recently used dropped first) */
const CACHE_SIZE = 4096
/** misspelt words a process reads by trying each spelling one edit away, before it indexes deletions */
const SPELLINGS_BEFORE_INDEX = 200
const CONTEXT_BONUS = 0.05
/** occupation size as a prior: this much per nat of national employment (a code 7x larger: +0.019) */
const PRIOR_PER_NAT = 0.01
const INDUSTRY_WEIGHT = 0.08
/** a word that is the head of at least this share of the official titles using it names a worker */
const AGENT_SHARE = 0.4
/** a word that is the head of fewer than this share of the titles using it names no worker */
const NOT_AGENT = 0.2
/** one or two words, then a dash or colon, then the rest */
const DEPARTMENT_FIRST = /^\s*([A-Za-z&]+(?: [A-Za-z&]+)?)\s*(?:\s[-–—]|:)\s+(\S.*)$/
/**
 * A title of few words says little, and its industry and duties more: the industry mix's and the
 * duties' weights are multiplied by 1 + this / (plain words)^2 (x3 for "Foreman", x1.5 for "Line
 * Worker"). A foreman in seafood processing is a production supervisor, a laborer in landscaping a
 * landscaping worker, a technician who repairs furnaces an HVAC mechanic.
 */
const CONTEXT_SHORT = 2
/** how far the industry's mix may move a score: ln(mix share / national share), clipped to this */
const INDUSTRY_CLIP = 3
/** of an industry's mix, the part given to occupations whose titles share its NAICS title's words */
const INDUSTRY_NAMED = 0.6
/** NAICS title words that name no kind of work */
const INDUSTRY_STOP = new Set([
  'service',
  'services',
  'other',
  'all',
  'and',
  'general',
  'miscellaneous',
  'related',
  'activity',
  'activities',
  'support',
  'product',
  'products',
  'manufacturing',
  'manufacturer',
  'store',
  'stores',
  'dealer',
  'dealers',
  'contractor',
  'contractors',
  'industry',
  'industries',
  'merchant',
  'wholesaler',
  'wholesalers',
  'retailer',
  'establishment',
  'operation',
  'operations',
  'goods',
  'except',
  'including',
  'specialty',
  'business',
  'private',
  'public',
  'government',
  'office',
  'offices',
  'center',
  'centers',
])
/**
 * How likely the query's words are among all of a code's titles (a naive Bayes word model, each
 * word's share of the code's title words, smoothed): this much per nat below the most likely code
 * of those ranked, at most NB_CLIP nats. A "Landscape Helper" is likelier a landscaping worker (whose
 * titles say landscape and helper) than a production helper (whose titles never say landscape).
 */
const NB_WEIGHT = 0.01
const NB_ALPHA = 0.1
/** the smoothing's share: as if NB_SPREAD words each had NB_ALPHA more uses */
const NB_SPREAD = 50
const NB_CLIP = 10
/** the most the priors other than size (evidence, official names) can add to a score */
const PRIOR_REACH = EVIDENCE_WEIGHT + OFFICIAL_WEIGHT + 0.01
const TEMPERATURE = 0.045
const SOFTMAX_DEPTH = 12
/** a known ranking's match kind, as stored */
const KNOWN_MATCH: readonly MatchKind[] = ['partial', 'exact', 'official']

/**
 * A vocabulary word a query word is read as, and the credit the reading earns (1: as written).
 * One class, so every match has one shape: the hot loops see one map and stay optimised.
 */
class WordMatch {
  readonly v: number
  readonly credit: number
  constructor(v: number, credit: number) {
    this.v = v
    this.credit = credit
  }
}

/** no match: an empty array of the same elements kind as a filled one (one map for the JIT) */
const NO_MATCHES: readonly WordMatch[] = objectArray<WordMatch>()

type QueryTerm = {
  /** vocab ids with their credit, best first */
  readonly matches: readonly WordMatch[]
  /** the word's weight in the query: idf x role */
  readonly weight: number
  /** the word's role weight in the query */
  readonly role: number
  /** the word's idf (of its best match) */
  readonly idf: number
  /** a level word (Senior, Lead): it adds to the titles that have it, and takes nothing from the others */
  readonly level: boolean
}

/** a numeric column as a typed array: the loaded view itself, or a copy of a built array */
const i32 = (x: Nums): Int32Array => (x instanceof Int32Array ? x : Int32Array.from(x))
const f64 = (x: Nums): Float64Array => (x instanceof Float64Array ? x : Float64Array.from(x))

export function createCoder(data: CoderIndexData): Coder {
  if (data.format !== CODER_INDEX_FORMAT) {
    throw new Error(`coder index format ${data.format}, expected ${CODER_INDEX_FORMAT}`)
  }
  const lex = createLexicon(data.lexicon)
  const nTitles = data.titleText.length
  const nCodes = data.codes.length
  const nVocab = data.vocab.length
  const idf = f64(data.idf)
  const vocabIndex = new Map<string, number>()
  data.vocab.forEach((w, i) => {
    vocabIndex.set(w, i)
  })

  const genericHeads = GENERIC_HEADS.map((w) => vocabIndex.get(w)).filter(
    (v): v is number => v !== undefined,
  )
  const bossWords = new Set<number>()
  for (const w of BOSS_WORDS) {
    const v = vocabIndex.get(w)
    if (v !== undefined) bossWords.add(v)
  }

  // the titles' words as typed arrays (views of coder.bin as loaded; copies of a built index)
  const titleTok = i32(data.tokenIds)
  const titleTokStart = i32(data.tokenOffsets)
  const titleTokEnd = titleTokStart.subarray(1)
  const tokenRoles = i32(data.tokenRoles)
  const headStart = i32(data.headOffsets)
  const headIds = i32(data.headIds)
  const titleCode = i32(data.titleCode)
  const titleSource = i32(data.titleSource)
  const nTokens = titleTok.length
  const isBossWord = new Uint8Array(nVocab)
  for (const v of bossWords) isBossWord[v] = 1
  // postings: vocab id -> titles (with the token's role weight in that title)
  const postStart = new Int32Array(nVocab + 1)
  for (let k = 0; k < nTokens; k++) {
    const at = (titleTok[k] as number) + 1
    postStart[at] = (postStart[at] as number) + 1
  }
  for (let i = 0; i < nVocab; i++)
    postStart[i + 1] = (postStart[i + 1] as number) + (postStart[i] as number)
  const postTitle = new Int32Array(nTokens)
  const postRole = new Float32Array(nTokens)
  const titleTokRole = new Float32Array(nTokens)
  const fill = postStart.slice()
  const titleWeight = new Float64Array(nTitles)
  const bossTitle = new Uint8Array(nTitles)
  for (let t = 0; t < nTitles; t++) {
    const b = titleTokStart[t + 1] as number
    let w = 0
    for (let k = titleTokStart[t] as number; k < b; k++) {
      const v = titleTok[k] as number
      if (isBossWord[v] === 1) bossTitle[t] = 1
      const role = (tokenRoles[k] as number) / 100
      titleTokRole[k] = role
      const at = fill[v] as number
      fill[v] = at + 1
      postTitle[at] = t
      postRole[at] = role
      w += (idf[v] as number) * role
    }
    titleWeight[t] = w
  }
  // a residual "All Other" occupation is for what no specific one covers: its titles count for less
  const residual = data.codeTitles.map((t) => /\ball other\b/i.test(t))
  // the words of each occupation's official names (SOC, direct-match and state titles)
  const official = new Set(OFFICIAL_SOURCES)
  const sourceOfficial = Uint8Array.from(data.sources, (s) => (official.has(s) ? 1 : 0))
  const sourceAuthority = Float64Array.from(data.sources, (s) => SOURCE_AUTHORITY[s] ?? 0.9)
  const officialTitle = new Uint8Array(nTitles)
  const titleAuthority = new Float64Array(nTitles)
  for (let t = 0; t < nTitles; t++) {
    const src = titleSource[t] as number
    officialTitle[t] = sourceOfficial[src] as number
    titleAuthority[t] =
      (sourceAuthority[src] as number) * (residual[titleCode[t] as number] ? RESIDUAL_FACTOR : 1)
  }
  // each code's word model (per word, the codes whose titles use it and how often)
  const wordCodeStart = i32(data.wordCodeOffsets)
  const wordCode = i32(data.wordCodeIds)
  const wordCodeUses = i32(data.wordCodeUses)
  const nbDenominator = Float64Array.from(i32(data.codeWordTotals), (n) =>
    Math.log(n + NB_ALPHA * NB_SPREAD),
  )
  const bestUses = new Float64Array(nCodes)
  // stamps are doubles: an Int32Array would wrap after 2^31 calls of a long-lived coder
  const bestStamp = new Float64Array(nCodes)
  let usesStamp = 0
  /**
   * The log-likelihood of the query's words (each weighted by its role, by its best match) under
   * each code's word model, for the codes given.
   */
  const wordLikelihood = (codes: readonly number[], qterms: readonly QueryTerm[]): Float64Array => {
    const out = new Float64Array(codes.length)
    const nc = codes.length
    for (const term of qterms) {
      if (term.matches.length === 0) continue
      // the codes asked about, marked: each one's best use of the term's matches
      const stamp = ++usesStamp
      for (let i = 0; i < nc; i++) {
        const c = codes[i] as number
        bestStamp[c] = stamp
        bestUses[c] = 0
      }
      for (let mi = 0; mi < term.matches.length; mi++) {
        const match = term.matches[mi] as WordMatch
        const credit = match.credit
        const start = wordCodeStart[match.v] as number
        const end = wordCodeStart[match.v + 1] as number
        if (end - start > 16 * nc) {
          // a common word: look each code up among its codes (in order) instead of reading them all
          for (let i = 0; i < nc; i++) {
            const c = codes[i] as number
            let lo = start
            let hi = end - 1
            while (lo <= hi) {
              const mid = (lo + hi) >> 1
              const x = wordCode[mid] as number
              if (x < c) lo = mid + 1
              else if (x > c) hi = mid - 1
              else {
                const u = (wordCodeUses[mid] as number) * credit
                if (u > (bestUses[c] as number)) bestUses[c] = u
                break
              }
            }
          }
        } else
          for (let e = start; e < end; e++) {
            const c = wordCode[e] as number
            if (bestStamp[c] !== stamp) continue
            const u = (wordCodeUses[e] as number) * credit
            if (u > (bestUses[c] as number)) bestUses[c] = u
          }
      }
      for (let i = 0; i < nc; i++) {
        const c = codes[i] as number
        const lp = Math.log((bestUses[c] as number) + NB_ALPHA) - (nbDenominator[c] as number)
        out[i] = (out[i] as number) + term.role * lp
      }
    }
    return out
  }
  /** the calibration curve for a result whose top title matches the query so */
  const curveFor = (match: MatchKind) => {
    const cal = data.calibration
    if (match === 'official' && cal?.official) return cal.official
    if (match !== 'partial' && cal?.exact) return cal.exact
    return cal
  }
  const codeWords = data.codes.map(() => new Set<number>())
  for (let t = 0; t < nTitles; t++) {
    if (officialTitle[t] !== 1) continue
    const words = codeWords[titleCode[t] as number] as Set<number>
    for (let k = titleTokStart[t] as number; k < (titleTokStart[t + 1] as number); k++) {
      words.add(titleTok[k] as number)
    }
  }
  // the same words as flat typed arrays, and a stamp per word: membership without hashing
  const codeWordStart = new Int32Array(nCodes + 1)
  codeWords.forEach((w, c) => {
    codeWordStart[c + 1] = (codeWordStart[c] as number) + w.size
  })
  const codeWordIds = new Int32Array(codeWordStart[nCodes] as number)
  codeWords.forEach((w, c) => {
    let k = codeWordStart[c] as number
    for (const v of w) codeWordIds[k++] = v
  })
  const wordMark = new Float64Array(nVocab)
  let wordMarkStamp = 0
  // the title words of each code's definition, with their idf over the definitions
  const defStart = i32(data.defOffsets)
  const defIds = i32(data.defIds)
  const defIdf = f64(data.defIdf)
  /**
   * The share of the query's weight found among code c's words (ids[start[c]] .. ids[start[c+1]]).
   * A word weighs its weight in the query or, given idfs, its role x the idf of its best match.
   */
  function cover(
    start: Int32Array,
    ids: Int32Array,
    idfs: Float64Array | null,
    c: number,
    qterms: readonly QueryTerm[],
  ): number {
    if (qterms.length === 0) return 0
    const m = ++wordMarkStamp
    const end = start[c + 1] as number
    for (let k = start[c] as number; k < end; k++) wordMark[ids[k] as number] = m
    let hit = 0
    let all = 0
    for (const term of qterms) {
      const v0 = term.matches[0]?.v
      const w =
        idfs === null ? term.weight : term.role * (v0 === undefined ? 1 : (idfs[v0] as number))
      all += w
      for (let mi = 0; mi < term.matches.length; mi++) {
        const match = term.matches[mi] as WordMatch
        if (wordMark[match.v] === m) {
          hit += w * match.credit
          break
        }
      }
    }
    return all > 0 ? hit / all : 0
  }
  /** the share of the query's weight found among the words of the code's official names */
  const officialCover = (c: number, qterms: readonly QueryTerm[]) =>
    cover(codeWordStart, codeWordIds, null, c, qterms)
  /** the share of the duties' words (by their idf over definitions) the code's definition uses */
  const definitionCover = (c: number, qterms: readonly QueryTerm[]) =>
    cover(defStart, defIds, defIdf, c, qterms)
  // the typed arrays above hold the titles' words now: let a built index's arrays go
  data = {
    ...data,
    tokenIds: [],
    tokenRoles: [],
    tokenOffsets: [],
    headIds: [],
    headOffsets: [],
    wordCodeOffsets: [],
    wordCodeIds: [],
    wordCodeUses: [],
    codeWordTotals: [],
  }
  const employment = f64(data.employment)
  const totalEmployment = employment.reduce((a, b) => a + b, 0) || 1
  const logEmp = Float64Array.from(employment, (e) => Math.log(1 + e))
  // how far size alone can lift one code over another
  const sizeReach = PRIOR_PER_NAT * (Math.max(...logEmp) - Math.min(...logEmp))
  const codeIndex = new Map(data.codes.map((c, i) => [c, i]))
  const medianIdf = [...idf].sort((a, b) => a - b)[Math.floor(nVocab * 0.6)] ?? 3
  const supervisorRules = data.supervisors ?? []
  const extensionsByParent = new Map<number, ExtensionRule[]>()
  for (const e of data.extensions) {
    const p = codeIndex.get(e.parent) as number
    extensionsByParent.set(p, [...(extensionsByParent.get(p) ?? []), e])
  }

  // lazily built lookups for truncations and word forms
  // the vocabulary sorted as strings (word ids), compiled by the build or sorted on first use
  let vocabOrder: Int32Array | null =
    data.vocabOrder.length === nVocab ? i32(data.vocabOrder) : null
  function sortedVocab(): Int32Array {
    if (vocabOrder) return vocabOrder
    const order = Int32Array.from(data.vocab, (_, v) => v)
    order.sort((a, b) => {
      const x = data.vocab[a] as string
      const y = data.vocab[b] as string
      return x < y ? -1 : x > y ? 1 : 0
    })
    vocabOrder = order
    return order
  }
  let stems: Map<string, number[]> | null = null
  const vocabDf = new Int32Array(nVocab)
  for (let v = 0; v < nVocab; v++)
    vocabDf[v] = (postStart[v + 1] as number) - (postStart[v] as number)

  function stemMap(): Map<string, number[]> {
    if (stems) return stems
    stems = new Map()
    for (let v = 0; v < nVocab; v++) {
      const s = stemOf(data.vocab[v] as string)
      const l = stems.get(s)
      if (l) l.push(v)
      else stems.set(s, [v])
    }
    return stems
  }

  /** Vocab ids for one query word: itself, else a near spelling, else (last word) a completion. */
  const resolved = new Map<string, readonly WordMatch[]>()
  /** resolveWord, remembered (bounded): titles repeat their words */
  function resolve(word: string, isLast: boolean): readonly WordMatch[] {
    const key = isLast ? `${word}$` : word
    let r = resolved.get(key)
    if (r === undefined) {
      r = resolveWord(word, isLast)
      if (resolved.size >= 50000) resolved.clear()
      resolved.set(key, r)
    }
    return r
  }

  /** the commonest known word that starts with this one (-1 if none) */
  function commonestCompletion(word: string): number {
    const order = sortedVocab()
    const word$ = (i: number) => data.vocab[order[i] as number] as string
    let lo = 0
    let hi = order.length
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if (word$(mid) < word) lo = mid + 1
      else hi = mid
    }
    let bestV = -1
    let bestF = -1
    for (let i = lo; i < order.length && word$(i).startsWith(word); i++) {
      const v = order[i] as number
      if ((vocabDf[v] as number) > bestF) {
        bestF = vocabDf[v] as number
        bestV = v
      }
    }
    return bestV
  }

  function resolveWord(word: string, isLast: boolean): readonly WordMatch[] {
    const out: WordMatch[] = []
    const exact = vocabIndex.get(word)
    if (exact !== undefined) out.push(new WordMatch(exact, 1))
    else if (/^[a-z]+$/.test(word) && word.length >= 3) {
      // a word without vowels is written short ("Dshwshr", "Frklft Opr", "Pyrl Clerk"), not misspelt
      const short = !/[aeiou]/.test(word)
      let bestV = short ? contraction(word) : -1
      // a misspelling: one edit away (insertion, deletion, substitution, transposition)
      if (bestV < 0 && word.length >= 4) bestV = nearWithinOne(word)
      if (bestV < 0 && word.length >= 7) bestV = nearWithinTwo(word)
      if (bestV >= 0) out.push(new WordMatch(bestV, FUZZY_CREDIT))
    }
    if (exact === undefined && word.length >= (isLast ? 3 : 4)) {
      // a truncated last word ("Installation & Remo"), or one cut short by the employer ("Purc
      // Manager", "Reha Counselor"): the commonest completion. A word may be cut short as well as
      // misspelt ("Benefits Mana": "manga" is one letter away, "manager" its commonest completion):
      // both readings then, the commoner first
      const p = commonestCompletion(word)
      const f = out[0]
      if (p >= 0 && p !== f?.v) {
        const m = new WordMatch(p, PREFIX_CREDIT)
        if (f === undefined || (vocabDf[p] as number) > (vocabDf[f.v] as number)) out.unshift(m)
        else out.push(m)
      }
    }
    // else a word of 4+ letters written short with some vowels ("Hsekpr", "Payrl", "Deckhd")
    if (exact === undefined && out.length === 0 && word.length >= 4 && /^[a-z]+$/.test(word)) {
      const v = contraction(word)
      if (v >= 0) out.push(new WordMatch(v, FUZZY_CREDIT))
    }
    // other forms of the same word (processor / processing) count for less
    if (out.length > 0) {
      const base = out[0] as WordMatch
      const sib = stemMap().get(stemOf(data.vocab[base.v] as string)) ?? []
      for (const v of sib)
        if (v !== base.v) out.push(new WordMatch(v, base.credit * SIBLING_CREDIT))
    }
    return out
  }

  /**
   * The known word (of 4+ letters) one edit away: a letter left out (the commonest slip: "Pedler"
   * is a peddler, not a peeler, "Sentor" a senator, not a senior), else two letters swapped
   * ("Logding" is lodging, not logging), else one changed, else one added;
   * among those, the one the most titles use (the first in the vocabulary on a tie; -1 if none).
   * An index of the vocabulary's deletions answers in a few us; it is compiled by the build, and
   * a coder without it looks up each spelling one edit away (some 60 us a word) for its first few
   * misspelt words before it builds the index (some 50 ms).
   */
  function nearWithinOne(word: string): number {
    let best = -1
    let bestF = -1
    let bestSlip = 4
    const n = word.length
    const take = (v: number) => {
      const f = vocabDf[v] as number
      const slip = slipOf(word, data.vocab[v] as string)
      if (slip < bestSlip || (slip === bestSlip && (f > bestF || (f === bestF && v < best)))) {
        best = v
        bestF = f
        bestSlip = slip
      }
    }
    if (deletionIndex !== null || ++misspelt > SPELLINGS_BEFORE_INDEX) {
      // symmetric deletions: a known word sharing a deletion with the word, or being one of its
      // deletions, or having it as one of its own, is within one edit if the distance says so
      // (which also rules out words whose deletions only share a hash)
      const dm = deletionsIndex()
      const check = (text: string) => {
        const h = hashText(text)
        let lo = 0
        let hi = dm.hashes.length
        while (lo < hi) {
          const mid = (lo + hi) >> 1
          if ((dm.hashes[mid] as number) < h) lo = mid + 1
          else hi = mid
        }
        for (let i = lo; i < dm.hashes.length && dm.hashes[i] === h; i++) {
          const v = dm.ids[i] as number
          if (editDistance(word, data.vocab[v] as string) <= 1) take(v)
        }
      }
      for (const d of deletions(word)) {
        check(d)
        const v = vocabIndex.get(d)
        if (v !== undefined && d.length >= 4) take(v)
      }
      check(word)
      return best
    }
    // (the word is letters a-z, so every spelling made from it is too)
    const consider = (w: string) => {
      if (w.length < 4) return
      const v = vocabIndex.get(w)
      if (v !== undefined) take(v)
    }
    for (let i = 0; i <= n; i++) {
      const head = word.slice(0, i)
      const tail = word.slice(i)
      if (i < n) consider(head + tail.slice(1))
      if (i < n - 1) consider(head + (tail[1] as string) + (tail[0] as string) + tail.slice(2))
      for (let c = 97; c <= 122; c++) {
        const ch = String.fromCharCode(c)
        consider(head + ch + tail)
        if (i < n && ch !== tail[0]) consider(head + ch + tail.slice(1))
      }
    }
    return best
  }
  let misspelt = 0
  // the vocabulary's deletions (compiled by the build, else made when first needed)
  let deletionIndex: { hashes: Int32Array; ids: Int32Array } | null = data.deletionHashes.length
    ? { hashes: i32(data.deletionHashes), ids: i32(data.deletionIds) }
    : null
  /** every one-letter deletion of each known word of 4+ letters a-z, by hash, with its word */
  function deletionsIndex(): { hashes: Int32Array; ids: Int32Array } {
    if (deletionIndex) return deletionIndex
    const hashes: number[] = []
    const ids: number[] = []
    for (let v = 0; v < nVocab; v++) {
      const w = data.vocab[v] as string
      if (w.length < 4 || !/^[a-z]+$/.test(w)) continue
      for (const d of new Set(deletions(w))) {
        hashes.push(hashText(d))
        ids.push(v)
      }
    }
    const order = Int32Array.from(hashes, (_, i) => i).sort(
      (a, b) =>
        (hashes[a] as number) - (hashes[b] as number) || (ids[a] as number) - (ids[b] as number),
    )
    deletionIndex = {
      hashes: Int32Array.from(order, (i) => hashes[i] as number),
      ids: Int32Array.from(order, (i) => ids[i] as number),
    }
    return deletionIndex
  }

  let wordUses: Float64Array | null = data.wordUse.length === nVocab ? f64(data.wordUse) : null
  /**
   * How many workers' job titles use each word, roughly: over the titles using it, each code's
   * employment shared among its titles ("janitor" is in 5 titles, "jointer" in 11, but janitors are
   * 2 million and jointers a few thousand)
   */
  function wordUse(): Float64Array {
    if (wordUses) return wordUses
    const perCode = new Float64Array(nCodes)
    for (let t = 0; t < nTitles; t++) {
      const c = titleCode[t] as number
      perCode[c] = (perCode[c] as number) + 1
    }
    wordUses = new Float64Array(nVocab)
    for (let v = 0; v < nVocab; v++) {
      let use = 0
      for (let p = postStart[v] as number; p < (postStart[v + 1] as number); p++) {
        const c = titleCode[postTitle[p] as number] as number
        use += (employment[c] as number) / (perCode[c] as number)
      }
      wordUses[v] = use
    }
    return wordUses
  }
  /** the known words that pass a test, by their first letter */
  function byFirstLetter(test: (w: string) => boolean): Map<string, number[]> {
    const out = new Map<string, number[]>()
    for (let v = 0; v < nVocab; v++) {
      const w = data.vocab[v] as string
      if (!test(w)) continue
      const l = out.get(w[0] as string)
      if (l) l.push(v)
      else out.set(w[0] as string, [v])
    }
    return out
  }
  let byFirst: Map<string, number[]> | null = null
  /**
   * The known word a word written short stands for ("dshwshr" dishwasher, "frklft" forklift, "pyrl"
   * payroll, "jntr" janitor, "hskg" housekeeping): one starting with the same letter and holding the
   * short word's letters in order, a doubled letter as one, and no consonant after its last letter
   * ("grnd" is not a grinder). Of those, the one most used (wordUse), each consonant left out dividing
   * its use by CONTRACTION_SKIP ("Dvr" is a driver, not a diver; "Srvr" a server, not a supervisor:
   * y is a consonant here). -1 if none.
   */
  function contraction(word: string): number {
    if (!byFirst) byFirst = byFirstLetter((w) => w.length >= 4 && /^[a-z]+$/.test(w))
    if (/[aeiou]/.test(word)) return contractionOf(word, true).v
    // no vowel: the word's consonants, all of them to its last ("grnd" is not a grinder); a plural's
    // s was taken off before ("Wrhs" reached here as "wrh", which is not a "wreath")
    const a = contractionOf(word, false)
    const b = contractionOf(`${word}s`, false)
    return b.score > a.score ? b.v : a.v
  }
  /** the best word for a short form, and its score (-1 and 0 if none) */
  function contractionOf(word: string, clipped: boolean): { v: number; score: number } {
    let best = -1
    let bestScore = 0
    for (const v of byFirst?.get(word[0] as string) ?? []) {
      const w = data.vocab[v] as string
      if (w.length <= word.length) continue
      // the short word's letters in order; count the consonants passed over (a doubled one once)
      let i = 1
      let skipped = 0
      let after = false
      for (let j = 1; j < w.length; j++) {
        const c = w[j] as string
        if (i < word.length && c === word[i]) i++
        else if (!VOWELS.has(c) && c !== w[j - 1]) {
          skipped++
          after = i === word.length
        }
      }
      if (i < word.length || (after && !clipped)) continue
      const score = (wordUse()[v] as number) / CONTRACTION_SKIP ** skipped
      if (score > bestScore) {
        bestScore = score
        best = v
      }
    }
    return { v: best, score: bestScore }
  }

  let byPrefix: Map<string, number[]> | null = null
  /** A word two edits away, among words of similar length sharing the first letter. */
  function nearWithinTwo(word: string): number {
    if (!byPrefix) byPrefix = byFirstLetter((w) => w.length >= 6)
    let best = -1
    let bestF = -1
    for (const v of byPrefix.get(word[0] as string) ?? []) {
      const w = data.vocab[v] as string
      if (Math.abs(w.length - word.length) > 2) continue
      if ((vocabDf[v] as number) > bestF && boundedLevenshtein(word, w, 2) <= 2) {
        best = v
        bestF = vocabDf[v] as number
      }
    }
    return best
  }

  /**
   * An unknown run-together word as known words of 3+ letters each (and stop words between), the
   * fewest that make it, at most MAX_PIECES ("cartpusher"; "foodservicemanager", written
   * "FoodServiceManager"); of equal counts, the split whose rarest piece is the most used. null if
   * none.
   */
  function splitCompound(word: string): number[] | null {
    if (word.length < 6 || word.length > 64 || !/^[a-z]+$/.test(word)) return null
    const n = word.length
    // best[i]: the best split of the first i letters (pieces, the smallest piece's use, the ids)
    const best: ({ pieces: number; use: number; ids: number[] } | null)[] = [
      { pieces: 0, use: Number.POSITIVE_INFINITY, ids: [] },
    ]
    for (let i = 1; i <= n; i++) {
      let b: { pieces: number; use: number; ids: number[] } | null = null
      for (let j = Math.max(0, i - 24); j <= i - 2; j++) {
        const prev = best[j]
        if (!prev || prev.pieces >= MAX_PIECES) continue
        const piece = word.slice(j, i)
        // a stop word between ("ComputerAndInformation...") counts as a piece but is no word
        const stop = j > 0 && i < n && lex.stopWords.has(piece)
        // (a plural inside: "MedicalSecretariesAnd...": the index has the singular)
        const v =
          stop || piece.length < 3
            ? undefined
            : (vocabIndex.get(piece) ?? vocabIndex.get(singularize(piece, lex)))
        if (v === undefined && !stop) continue
        const pieces = prev.pieces + 1
        const use = v === undefined ? prev.use : Math.min(prev.use, vocabDf[v] as number)
        if (!b || pieces < b.pieces || (pieces === b.pieces && use > b.use))
          b = { pieces, use, ids: v === undefined ? prev.ids : [...prev.ids, v] }
      }
      best.push(b)
    }
    const all = best[n]
    return all && all.ids.length >= 2 ? all.ids : null
  }

  // two generations: a hit in the older one moves to the newer; when the newer is full it becomes
  // the older and the oldest is dropped whole (least recently used, without per-entry upkeep)
  let cache = new Map<string, Ranked>()
  let olderCache = new Map<string, Ranked>()
  // each industry's mix of occupations (by code index), worked out on first use
  const mixCache = new Map<string, Float64Array | null>()

  // scratch space, reused by every query (the coder is synchronous)
  const acc = new Float64Array(nTitles)
  const ctx = new Float64Array(nTitles)
  const seenQuery = new Float64Array(nTitles)
  const seenTerm = new Float64Array(nTitles)
  let stamp = 0
  // per code, for one rank() call: best score, its title, and the evidence of the other titles
  const codeStamp = new Float64Array(nCodes)
  const codeBest = new Float64Array(nCodes)
  const codeBestTitle = new Int32Array(nCodes)
  const codeEvidence = new Float64Array(nCodes)
  let rankStamp = 0
  let touchedCodes: number[] = []
  const touched = new Int32Array(nTitles)

  const headMark = new Float64Array(nVocab)
  let headMarkStamp = 0
  // per word, the share of the official titles using it whose head it is (levelNounAfterAgent)
  let agentShares: Float64Array | null =
    data.headShare.length === nVocab ? f64(data.headShare) : null

  // the rankings worked out at build time, by normalised title (found through knownIndexOf)
  const knownStart = i32(data.knownOffsets)
  const knownCodes = i32(data.knownCodes)
  const knownTitles = i32(data.knownTitles)
  const knownTotals = f64(data.knownTotals)
  const knownMatch = i32(data.knownMatch)
  // the known keys' table (compiled by the build, else made when first needed)
  let knownTable: { starts: Int32Array; table: Int32Array } | null = data.knownKeyTable.length
    ? { starts: i32(data.knownKeyStarts), table: i32(data.knownKeyTable) }
    : null

  /**
   * Each call's stamps (seenTerm) are q x STAMP_STRIDE + the term's index, its context terms' from
   * half the stride: room for any title's words (300 characters make at most 150) and any context
   * (24 duties words and an industry title), so one call's stamps never equal another's.
   */
  const STAMP_STRIDE = 1024
  /** Score every title sharing a word with the query, keeping each code's best. */
  function scoreTitles(
    terms: readonly QueryTerm[],
    headSet: ReadonlySet<number>,
    context: readonly QueryTerm[],
    factor: number,
    boss: boolean,
    prune = true,
  ): void {
    const q = ++stamp
    // the titles this call reached, in a buffer kept across calls
    let nTouched = 0
    let wq = 0
    let wLevel = 0
    for (const term of terms) {
      wq += term.weight
      if (term.level) wLevel += term.weight
    }
    if (wq <= 0) return
    // the query's weight a title must cover: level words only add ("Senior Cook" covers "Cook"), and
    // only to a title with every other word: they are looked for after the others, in the titles
    // found ("Lead Manager" is no nearer to "Lead Condominium Manager" for its "lead")
    const levelsAfter = wLevel > 0 && wq - wLevel > 0
    const wCover = levelsAfter ? wq - wLevel : wq
    // a title with the level words too is a little closer ("Electrical Journeyman", not "Electrical Apprentice")
    const fullCover = levelsAfter ? 1 + LEVEL_MATCHED : 1
    // (role weights are stored as 32-bit floats: a title with every word is short by some 1e-8)
    const wqFull = wq * (1 - 1e-6)
    const wCoverFull = wCover * (1 - 1e-6)
    // most informative words first; once what is left of the query cannot lift a new title to
    // half the best coverage so far, common words only add to titles already found
    const order = terms
      .map((_, i) => i)
      .filter((i) => !levelsAfter || !(terms[i] as QueryTerm).level)
      .sort((x, y) => (terms[y] as QueryTerm).weight - (terms[x] as QueryTerm).weight)
    let remaining = wCover
    let maxAcc = 0
    for (const ti of order) {
      const term = terms[ti] as QueryTerm
      const termStamp = q * STAMP_STRIDE + ti
      const allowNew = !prune || remaining >= PRUNE_SHARE * maxAcc
      const gain = term.idf
      for (let mi = 0; mi < term.matches.length; mi++) {
        const match = term.matches[mi] as WordMatch
        const v = match.v
        const credit = match.credit
        const end = postStart[v + 1] as number
        if (!allowNew && nTouched * 4 < end - (postStart[v] as number)) {
          // a common word that may only add to titles already found: look in those titles
          for (let i = 0; i < nTouched; i++) {
            const t = touched[i] as number
            if (seenTerm[t] === termStamp) continue
            const tEnd = titleTokEnd[t] as number
            for (let k = titleTokStart[t] as number; k < tEnd; k++) {
              if (titleTok[k] !== v) continue
              seenTerm[t] = termStamp
              const r = titleTokRole[k] as number
              const a = (acc[t] as number) + credit * gain * Math.min(term.role, r)
              acc[t] = a
              if (a > maxAcc) maxAcc = a
              break
            }
          }
          continue
        }
        for (let p = postStart[v] as number; p < end; p++) {
          const t = postTitle[p] as number
          if (seenTerm[t] === termStamp) continue
          if (seenQuery[t] !== q) {
            if (!allowNew) continue
            seenQuery[t] = q
            acc[t] = 0
            ctx[t] = 0
            touched[nTouched++] = t
          }
          seenTerm[t] = termStamp
          // a level word on either side counts as a level word
          const r = postRole[p] as number
          const a = (acc[t] as number) + credit * gain * Math.min(term.role, r)
          acc[t] = a
          if (a > maxAcc) maxAcc = a
        }
      }
      remaining -= term.weight
    }
    if (levelsAfter)
      for (let ti = 0; ti < terms.length; ti++) {
        const term = terms[ti] as QueryTerm
        if (!term.level) continue
        const termStamp = q * STAMP_STRIDE + ti
        for (let i = 0; i < nTouched; i++) {
          const t = touched[i] as number
          if (seenTerm[t] === termStamp || (acc[t] as number) < wCoverFull) continue
          const tEnd = titleTokEnd[t] as number
          for (let mi = 0; mi < term.matches.length && seenTerm[t] !== termStamp; mi++) {
            const match = term.matches[mi] as WordMatch
            for (let k = titleTokStart[t] as number; k < tEnd; k++) {
              if (titleTok[k] !== match.v) continue
              seenTerm[t] = termStamp
              const r = titleTokRole[k] as number
              acc[t] = (acc[t] as number) + match.credit * term.idf * Math.min(term.role, r)
              break
            }
          }
        }
      }
    for (let ci = 0; ci < context.length; ci++) {
      const term = context[ci] as QueryTerm
      const termStamp = q * STAMP_STRIDE + STAMP_STRIDE / 2 + ci
      for (let mi = 0; mi < term.matches.length; mi++) {
        const match = term.matches[mi] as WordMatch
        const v = match.v
        const credit = match.credit
        const end = postStart[v + 1] as number
        for (let p = postStart[v] as number; p < end; p++) {
          const t = postTitle[p] as number
          if (seenQuery[t] !== q || seenTerm[t] === termStamp) continue
          seenTerm[t] = termStamp
          ctx[t] = (ctx[t] as number) + credit * (idf[v] as number) * (postRole[p] as number)
        }
      }
    }
    const checkHeads = headSet.size > 0
    let bossHead = false
    for (const v of headSet) if (isBossWord[v] === 1) bossHead = true
    const hm = ++headMarkStamp
    for (const v of headSet) headMark[v] = hm
    // a title covering far less of the query than the best one cannot rank near the top
    const floor = (prune ? TITLE_FLOOR : RESCAN_FLOOR) * Math.min(maxAcc, wq)
    for (let i = 0; i < nTouched; i++) {
      const t = touched[i] as number
      const a = acc[t] as number
      if (a < floor) continue
      const cq = a >= wqFull ? fullCover : a >= wCoverFull ? 1 : a / wCover
      // words of the title that the industry or duties explain count as matched for the title
      const x = ctx[t] as number
      const tw = titleWeight[t] as number
      const ct = a + x >= tw ? 1 : (a + x) / tw
      let s = cq * (0.55 + 0.45 * ct)
      if (checkHeads) {
        let hit = false
        const end = headStart[t + 1] as number
        for (let h = headStart[t] as number; h < end; h++) {
          if (headMark[headIds[h] as number] === hm) {
            hit = true
            break
          }
        }
        if (!hit) s *= HEAD_MISS
      }
      if (!boss && bossTitle[t] === 1) s *= BOSS_MISS
      else if (bossHead && bossTitle[t] === 0) s *= BOSS_HEAD_MISS
      if (x > 0) s *= 1 + CONTEXT_BONUS * Math.min(1, x / tw)
      s *= (titleAuthority[t] as number) * factor
      const c = titleCode[t] as number
      if (codeStamp[c] !== rankStamp) {
        codeStamp[c] = rankStamp
        codeBest[c] = s
        codeBestTitle[c] = t
        codeEvidence[c] = 0
        touchedCodes.push(c)
      } else {
        const best = codeBest[c] as number
        if (s > best) {
          codeEvidence[c] = (codeEvidence[c] as number) + best * best
          codeBest[c] = s
          codeBestTitle[c] = t
        } else codeEvidence[c] = (codeEvidence[c] as number) + s * s
      }
    }
  }

  return {
    lexicon: lex,
    size: { titles: nTitles, codes: nCodes, words: nVocab },
    rank: (query, k) => {
      const r = rank(query, k)
      return { ...r, groups: { broad: bestGroup(r, 'broad'), minor: bestGroup(r, 'minor') } }
    },
    knownRankings,
    lookups: () => ({
      wordUse: wordUse(),
      headShare: agentShare(),
      vocabOrder: sortedVocab(),
      deletionHashes: deletionsIndex().hashes,
      deletionIds: deletionsIndex().ids,
    }),
    industryTitle(naics) {
      const code = typeof naics === 'string' ? naicsCodeIn(naics) : null
      return code === null ? null : naicsTitle(code)
    },
    code(query, options = {}) {
      const k = clampK(options.k ?? defaultCoderOptions.k)
      const r = rank(query, k)
      return finish(r, k)
    },
  }

  type Ranked = {
    raw: number
    /** how the top title matches the query */
    match: MatchKind
    /** no word of the title (other than levels) is in the official titles: read by spelling alone */
    spelled: boolean
    candidates: Candidate[]
    /** the softmax's candidates (code indexes), at least the k shown, and their probabilities */
    codes: number[]
    /** the best title of each of those codes (-1: none) */
    titles: number[]
    /** the totals the softmax was taken over (empty where no softmax made the ranking) */
    totals: number[]
    probs: number[]
    uncodable: string | null
    notes: string[]
  }

  function uncodable(why: string, notes: string[]): Ranked {
    return {
      raw: 0,
      match: 'partial',
      spelled: false,
      candidates: [],
      codes: [],
      titles: [],
      totals: noNumbers(),
      probs: noNumbers(),
      uncodable: why,
      notes,
    }
  }

  function terms(
    n: NormalizedTitle,
    roleScale: number,
  ): { terms: QueryTerm[]; heads: Set<number>; known: number; readAs: string[] } {
    const out = objectArray<QueryTerm>()
    const heads = new Set<number>()
    let known = 0
    // words other than levels found as written (or as two known words run together); when there is
    // none, what the title is read as comes from spelling alone
    let exactWords = 0
    const readAs: string[] = []
    n.tokens.forEach((tok, i) => {
      const role = ROLE_WEIGHT[n.roles[i] ?? 'word'] * roleScale
      let matches = resolve(tok, i === n.tokens.length - 1)
      if (matches.length === 0) {
        const pair = splitCompound(tok)
        if (pair) {
          for (const v of pair) {
            out.push({
              matches: [new WordMatch(v, 1)],
              weight: (idf[v] as number) * role,
              role,
              idf: idf[v] as number,
              level: n.roles[i] === 'level',
            })
            if (n.heads.includes(tok) && v === pair[pair.length - 1]) heads.add(v)
          }
          known++
          if (n.roles[i] !== 'level') exactWords++
          return
        }
      }
      matches = matches.length ? matches : NO_MATCHES
      if (matches.length) known++
      const first = matches[0]
      if (first && first.credit === 1) {
        if (n.roles[i] !== 'level') exactWords++
      } else if (first) readAs.push(`"${tok}" as "${data.vocab[first.v]}"`)
      const v0 = matches[0]?.v
      const wIdf = v0 === undefined ? medianIdf * 0.7 : (idf[v0] as number)
      out.push({ matches, weight: wIdf * role, role, idf: wIdf, level: n.roles[i] === 'level' })
      if (n.heads.includes(tok))
        for (const m of matches) if (m.credit >= SIBLING_CREDIT * 0.8) heads.add(m.v)
    })
    if (genericHeads.some((v) => heads.has(v))) for (const v of genericHeads) heads.add(v)
    return { terms: out, heads, known, readAs: exactWords === 0 ? readAs : [] }
  }

  function rank(input: CodeQuery | string, k: number): Ranked & { candidates: Candidate[] } {
    let query: CodeQuery = typeof input === 'string' ? { title: input } : input
    const notes: string[] = []
    // an industry written as a file or form gives it ("NAICS 311712", "311712.0", "311712 - Seafood
    // Canning", "31-33"): its code (and the result says how it was read)
    let industryRead: string | null = null
    if (typeof query.industry === 'string') {
      const written = query.industry.trim()
      const code = naicsCodeIn(written)
      if (code !== null && code !== written) {
        industryRead = `industry ${JSON.stringify(written)} read as ${code}`
        query = { title: query.title, industry: code, duties: query.duties }
      }
    }
    const title = typeof query.title === 'string' ? query.title : ''
    const trimmed = title.trim()
    const empty = (why: string) => uncodable(why, notes)
    if (trimmed === '') return empty('empty title')
    // (tested without copying the title: most titles fail at their first letter)
    if (/^[\d\s]+$/.test(trimmed) && /^\d{2,6}$/.test(trimmed.replace(/\s/g, ''))) {
      return empty(`"${trimmed}" is a number (a NAICS industry code?), not a job title`)
    }
    // a title with no digit cannot be a code: skip the grammar (and its error message)
    const asCode = /\d/.test(trimmed) ? parseCode(trimmed) : null
    if (asCode?.ok) {
      const c = codeIndex.get(asCode.value.code)
      if (c !== undefined) return codeAlone(c)
    }
    // a SOC code written in the title ("Cook (35-2014)"): the words are ranked without it, then
    // the code is weighed against them
    const named = /\d{2}\D?\d{4}/.test(trimmed) ? namedCode(trimmed) : null
    const written = named ? title.replace(named.text, ' ') : title
    let words = departmentLast(written)
    let n = normalizeTitle(words, lex)
    if (n.tokens.length === 0)
      return named
        ? codeAlone(named.code)
        : empty(
            n.dropped.length > 0
              ? `only words that say nothing of the work (${n.dropped.map((w) => JSON.stringify(w)).join(', ')}): no occupation to code`
              : 'no words to code',
          )
    // the normalised title's key, and its known ranking's index (-1: none), found once per key
    let nkey = keyOf(n)
    let known = knownIndexOf(nkey)
    // "Dish-washer", "House Keeper": one word written in halves (never so in an official title,
    // whose known ranking is looked up first)
    const joined = known >= 0 ? words : joinHalves(words)
    if (joined !== words) {
      words = joined
      n = normalizeTitle(words, lex)
      nkey = keyOf(n)
      known = knownIndexOf(nkey)
    }
    const agentLead = levelNounAfterAgent(n)
    if (agentLead !== null) {
      n = normalizeTitle(words, lex, agentLead)
      nkey = keyOf(n)
      known = knownIndexOf(nkey)
    }
    // "Tarining Specialist": a misspelt word with one reading is that word (and the result says so)
    let readAs: string | null = null
    if (known < 0) {
      const read = readMisspelt(n)
      if (read !== null) {
        n = read.title
        nkey = keyOf(n)
        known = knownIndexOf(nkey)
        readAs = `read ${[...read.words].map(([a, b]) => `"${a}" as "${b}"`).join(', ')}`
      }
    }
    // an official title as a plain query: its ranking was worked out at build time
    const plain = !hasText(query.industry) && !hasText(query.duties)
    let ranked = plain
      ? (knownRankingAt(known, k) ?? knownWithLevels(n, k) ?? knownAfterLeading(n, k))
      : null
    if (ranked === null) {
      // titles that normalise alike ("Seasonal Cook II", "COOK") are ranked once
      const key = `${k}|${query.industry ?? ''}|${query.duties ?? ''}|${nkey}`
      ranked = cache.get(key) ?? olderCache.get(key) ?? null
      if (ranked) {
        if (!cache.has(key)) remember(key, ranked)
      } else {
        ranked = rankNormalized(n, query, k, notes)
        remember(key, ranked)
      }
    }
    if (named) ranked = withNamedCode(ranked, named.code)
    // (a ranking may be cached, or known: the notes go on a copy)
    if (readAs !== null) ranked = withNote(ranked, readAs)
    return industryRead === null ? ranked : withNote(ranked, industryRead)
  }

  /** a ranking with one more note (every field written out, in one order: one shape for the JIT) */
  function withNote(r: Ranked, note: string): Ranked {
    return {
      raw: r.raw,
      match: r.match,
      spelled: r.spelled,
      candidates: r.candidates,
      codes: r.codes,
      titles: r.titles,
      totals: r.totals,
      probs: r.probs,
      uncodable: r.uncodable,
      notes: [...r.notes, note],
    }
  }

  /**
   * A word the index lacks that has one reading, the same words as that word's own (a misspelling
   * one or two edits away, a word cut short or written without vowels, and none of those readings
   * beside another: "Tarining Specialist", "Benefits Mana"), is that word, in a title with some
   * other word as written: its ranking is the word's, found among the known rankings or cached
   * with it. (A title of such words alone is read by its spelling: a guess, and said to be one.)
   * Returns the title so read and the words read, or null when no word is read so.
   */
  function readMisspelt(
    n: NormalizedTitle,
  ): { title: NormalizedTitle; words: ReadonlyMap<string, string> } | null {
    let read: Map<string, string> | null = null
    let asWritten = false
    for (let i = 0; i < n.tokens.length; i++) {
      const tok = n.tokens[i] as string
      if (vocabIndex.has(tok)) {
        if (n.roles[i] !== 'level') asWritten = true
        continue
      }
      const isLast = i === n.tokens.length - 1
      const ms = resolve(tok, isLast)
      const first = ms[0]
      if (first === undefined) continue
      const word = data.vocab[first.v] as string
      // (two words of the title read alike: left as they are)
      if (n.tokens.includes(word) || (read !== null && [...read.values()].includes(word)))
        return null
      const own = resolve(word, isLast)
      if (own.length !== ms.length) continue
      let same = true
      for (let j = 0; j < ms.length && same; j++) {
        const a = ms[j] as WordMatch
        const b = own[j] as WordMatch
        same = a.v === b.v && a.credit === first.credit * b.credit
      }
      if (!same) continue
      read ??= new Map()
      read.set(tok, word)
    }
    if (read === null || !asWritten) return null
    const words = read
    const readTitle = (x: NormalizedTitle): NormalizedTitle => ({
      tokens: x.tokens.map((t) => words.get(t) ?? t),
      roles: x.roles,
      heads: x.heads.map((t) => words.get(t) ?? t),
      parts: x.parts.length ? x.parts.map(readTitle) : x.parts,
      dropped: x.dropped,
    })
    return { title: readTitle(n), words }
  }

  /**
   * A word written in two halves, with a hyphen or a space ("Dish-washer", "House Keeper", "Fire
   * Fighter"), that the official titles write as one word and never as the two side by side, is
   * that word: "House-keeper" read "house" and "keeper" and went to Animal Caretakers. "Line
   * Worker" (29 titles say "lineworker", 22 "line worker"), "Power-Line" and "De-Icer" stay apart,
   * and so every official title reads as it was indexed.
   */
  function joinHalves(title: string): string {
    // words and what stands between them: two words with only a hyphen or a space between (their
    // case kept: capitals say which words are acronyms)
    const parts = title.split(/([^A-Za-z]+)/)
    let changed = false
    for (let i = 0; i + 2 < parts.length; i += 2) {
      const between = parts[i + 1]
      if (between !== ' ' && between !== '-') continue
      const a = (parts[i] as string).toLowerCase()
      const b = (parts[i + 2] as string).toLowerCase()
      if (a.length < 2 || b.length < 2) continue
      // (a stop word is no half: "GM at Denali" is not "gmat")
      if (lex.stopWords.has(a) || lex.stopWords.has(b)) continue
      if (!vocabIndex.has(a + b) || sideBySide(a, b)) continue
      parts.splice(i, 3, `${parts[i]}${parts[i + 2]}`)
      changed = true
    }
    return changed ? parts.join('') : title
  }
  /** do the official titles have these two words side by side (as written or singular)? */
  function sideBySide(a: string, b: string): boolean {
    for (const x of new Set([a, singularize(a, lex)]))
      for (const y of new Set([b, singularize(b, lex)])) {
        const va = vocabIndex.get(x)
        const vb = vocabIndex.get(y)
        if (va !== undefined && vb !== undefined && adjacentInTitles(va, vb)) return true
      }
    return false
  }
  /** has some official title word a just before word b? (over the titles of a, scanned) */
  function adjacentInTitles(a: number, b: number): boolean {
    for (let p = postStart[a] as number; p < (postStart[a + 1] as number); p++) {
      const t = postTitle[p] as number
      const end = (titleTokEnd[t] as number) - 1
      for (let k = titleTokStart[t] as number; k < end; k++)
        if (titleTok[k] === a && titleTok[k + 1] === b) return true
    }
    return false
  }

  /**
   * "Housekeeping - Room Attendant", "Kitchen: Cook": a department of one or two words before a dash
   * or colon, and a job after it whose head names a worker, is written as the job with the
   * department in brackets ("Room Attendant (Housekeeping)"): the job's noun is the head. Not when
   * the first part names a worker itself ("Nurse - Pediatrics", "Auditor - Night").
   */
  function departmentLast(title: string): string {
    // (most titles have no dash or colon)
    if (!title.includes(':') && !/\s[-–—]/.test(title)) return title
    const m = DEPARTMENT_FIRST.exec(title)
    if (!m) return title
    const written = (m[1] as string).toLowerCase()
    // (a form's label, "Job Title: Cook", is the normaliser's to leave out; and most first parts
    // name a worker, "Cook - Night Shift": known before normalising anything)
    for (const w of written.split(' '))
      if (LABEL_WORDS.has(w) || headShare(w) >= NOT_AGENT) return title
    const dept = normalizeTitle(m[1] as string, lex)
    if (dept.tokens.length === 0) return title
    // (not the worker the normaliser adds for a non-agent head: "housekeeping", "housekeeper")
    for (const t of dept.tokens) if (written.includes(t) && headShare(t) >= NOT_AGENT) return title
    const job = normalizeTitle(m[2] as string, lex)
    if (job.heads.length !== 1 || headShare(job.heads[0] as string) < AGENT_SHARE) return title
    return `${m[2]} (${m[1]})`
  }

  /**
   * A level noun heading a title after a word that names a worker is a level word, as it is before
   * one: a "Production Engineer Lead" is a lead production engineer, not a production lead (the
   * lexicon's levelNouns make "Team Lead" and "Department Head" heads). Which words name a worker
   * the official titles say: a word that is their head in at least 40% of the titles using it
   * (engineer 98%, teacher 95%, cook 90%; team 12%, shift, line, production 0-1%). "Principal" stays
   * the head after any word ("Assistant Principal"). Returns the level noun to read as a level word.
   */
  function levelNounAfterAgent(n: NormalizedTitle): string | null {
    if (n.heads.length !== 1) return null
    const h = n.heads[0] as string
    if (h === 'principal' || !lex.levelNouns.has(h)) return null
    const at = n.tokens.indexOf(h)
    if (at < 1 || n.roles[at - 1] !== 'word') return null
    return headShare(n.tokens[at - 1] as string) >= AGENT_SHARE ? h : null
  }
  /** the share of the official titles using this word whose head it is (0 for an unknown word) */
  function headShare(word: string): number {
    const v = vocabIndex.get(word)
    return v === undefined ? 0 : (agentShare()[v] as number)
  }
  /** per word, the share of the official titles using it whose head it is (worked out on first use) */
  function agentShare(): Float64Array {
    if (agentShares) return agentShares
    const uses = new Float64Array(nVocab)
    const asHead = new Float64Array(nVocab)
    const seen = new Float64Array(nVocab).fill(-1)
    for (let t = 0; t < nTitles; t++) {
      for (let k = titleTokStart[t] as number; k < (titleTokEnd[t] as number); k++) {
        const v = titleTok[k] as number
        if (seen[v] !== t) uses[v] = (uses[v] as number) + 1
        seen[v] = t
      }
      for (let h = headStart[t] as number; h < (headStart[t + 1] as number); h++) {
        const v = headIds[h] as number
        asHead[v] = (asHead[v] as number) + 1
      }
    }
    agentShares = new Float64Array(nVocab)
    for (let v = 0; v < nVocab; v++)
      agentShares[v] = (uses[v] as number) > 0 ? (asHead[v] as number) / (uses[v] as number) : 0
    return agentShares
  }

  /** A title that is a SOC code, and nothing else. */
  function codeAlone(c: number): Ranked {
    const cand: Candidate = {
      code: data.codes[c] as string,
      title: data.codeTitles[c] as string,
      score: 1,
      confidence: 0.99,
      matched: null,
    }
    return {
      raw: 0.99,
      match: 'official',
      spelled: false,
      candidates: [cand],
      codes: [c],
      titles: [-1],
      totals: noNumbers(),
      probs: [0.99],
      uncodable: null,
      notes: ['the title is a SOC code'],
    }
  }

  /** An official title as a result's reason: its text and where it comes from. */
  function matchedTitle(t: number): { title: string; source: string } {
    return {
      title: data.titleText[t] as string,
      source: data.sources[titleSource[t] as number] as string,
    }
  }

  /** The first SOC code written in a title that the coder may return, and the text it was. */
  function namedCode(text: string): { code: number; text: string } | null {
    for (const m of text.matchAll(
      /(?<![\d.])\d{2}[-\u2010\u2011\u2013 ]?\d{4}(?:\.\d{2})?(?![\d])/g,
    )) {
      const parsed = parseCode(m[0])
      const c = parsed.ok ? codeIndex.get(parsed.value.code) : undefined
      if (c !== undefined) return { code: c, text: m[0] }
    }
    return null
  }

  /**
   * The code the title names goes first. Its words agree when the code is among their candidates:
   * then it is as sure as a code typed alone; else it goes to review, with both said.
   */
  function withNamedCode(r: Ranked, c: number): Ranked {
    // no words to weigh it against: the code alone
    if (r.uncodable) return codeAlone(c)
    const code = data.codes[c] as string
    const at = r.codes.indexOf(c)
    const agree = at >= 0 && at < 5
    const wordsTop = r.candidates[0]
    const confidence = agree ? 0.99 : 0.5
    const t = agree ? (r.titles[at] ?? -1) : -1
    const named: Candidate = {
      code,
      title: data.codeTitles[c] as string,
      score: r.candidates[at]?.score ?? 1,
      confidence,
      // the words' own match says why, when they agree (its confidence is then calibrated as an
      // official match's); else there is no match to show, and the 0.5 stands
      matched: t >= 0 ? matchedTitle(t) : null,
    }
    // the others share what is left, in proportion (over the whole softmax, not the k shown)
    const others = r.candidates.filter((x) => x.code !== code)
    const otherMass = r.probs.reduce((a, p, i) => (r.codes[i] === c ? a : a + p), 0)
    const scale = otherMass > 0 ? (1 - confidence) / otherMass : 0
    const rest = others.map((x) => candidate(x, x.confidence * scale))
    const note = agree
      ? `the title names SOC code ${code}, and its words agree`
      : wordsTop
        ? `the title names SOC code ${code}, but its words suggest ${wordsTop.code} ${wordsTop.title}`
        : `the title names SOC code ${code}`
    // (every field written out, in the order of the other rankings: one shape for the JIT)
    return {
      raw: confidence,
      match: 'official',
      spelled: false,
      candidates: [named, ...rest],
      codes: [c, ...r.codes.filter((x) => x !== c)],
      titles: [t, ...r.titles.filter((_, i) => r.codes[i] !== c)],
      totals: noNumbers(),
      probs: [confidence, ...r.probs.filter((_, i) => r.codes[i] !== c).map((p) => p * scale)],
      uncodable: null,
      notes: [...r.notes, note],
    }
  }

  function remember(key: string, ranked: Ranked): void {
    cache.set(key, ranked)
    if (cache.size >= CACHE_SIZE / 2) {
      olderCache = cache
      cache = new Map()
    }
  }

  function rankNormalized(
    n: NormalizedTitle,
    query: CodeQuery,
    k: number,
    notes: string[],
  ): Ranked {
    const empty = (why: string) => uncodable(why, notes)
    const main = terms(n, 1)
    if (n.roles.every((r) => r === 'level'))
      return empty('only a level or grade ("Senior", "Lead", "II"): no occupation to code')
    if (main.known === 0) return empty('no word of the title is known to the index')
    const spelled = main.readAs.length > 0
    if (spelled)
      notes.push(
        `no word of the title is in the official titles; read by its spelling: ${main.readAs.join(', ')}`,
      )
    // context: the industry's NAICS title, and the duties
    const context = objectArray<QueryTerm>()
    let sector: string | null = null
    let industryTerms = objectArray<QueryTerm>()
    const industry = typeof query.industry === 'string' ? query.industry.trim() : ''
    if (industry) {
      if (!/^\d{2,6}$/.test(industry))
        notes.push(
          `industry ${JSON.stringify(industry)} ignored: expected a NAICS code of 2 to 6 digits`,
        )
      else {
        sector = sectorOf(industry)
        const nt = naicsTitle(industry)
        if (nt) {
          industryTerms = contextTerms(nt.title)
          context.push(...industryTerms)
        } else notes.push(`industry ${industry} is not a NAICS 2022 code; only its sector is used`)
      }
    }
    let dutyTerms = objectArray<QueryTerm>()
    if (typeof query.duties === 'string' && query.duties.trim()) {
      dutyTerms = contextTerms(query.duties.slice(0, 2000)).slice(0, 24)
      context.push(...dutyTerms)
    }
    rankStamp++
    touchedCodes = []
    const partTerms = objectArray<ReturnType<typeof terms>>()
    for (const part of n.parts) partTerms.push(terms(part, 1))
    // does the title name a boss anywhere (as a word is read: "Manger", a truncated "Mana")? then
    // supervisors' and managers' titles are fair game
    const namesBoss = (ts: readonly QueryTerm[]) =>
      ts.some((term) => {
        const m = term.matches[0]
        return m !== undefined && bossWords.has(m.v)
      })
    const boss = namesBoss(main.terms) || partTerms.some((pt) => namesBoss(pt.terms))
    const scoreAll = (prune: boolean) => {
      scoreTitles(main.terms, main.heads, context, 1, boss, prune)
      for (let i = 0; i < partTerms.length; i++) {
        const pt = partTerms[i] as (typeof partTerms)[number]
        if (pt.known) scoreTitles(pt.terms, pt.heads, context, PART_FACTOR, boss, prune)
      }
      let m = 0
      for (const c of touchedCodes) if ((codeBest[c] as number) > m) m = codeBest[c] as number
      return m
    }
    let maxScore = scoreAll(true)
    if (maxScore < WEAK_BEST || touchedCodes.length < FEW_CODES) {
      rankStamp++
      touchedCodes = []
      maxScore = scoreAll(false)
    }
    if (touchedCodes.length === 0) return empty('no official title shares a word with this one')
    // only codes near the best can reach the top; fill up to what the caller needs
    const need = Math.max(k, SOFTMAX_DEPTH)
    // the industry's and the duties' weight: more for a title of few words
    const plainWords = Math.max(1, n.roles.filter((r) => r === 'word').length)
    const contextWeight = 1 + CONTEXT_SHORT / (plainWords * plainWords)
    // the priors add at most this much: codes further below the best cannot overtake it
    const reach =
      PRIOR_REACH +
      sizeReach +
      (industry ? INDUSTRY_AFFINITY + INDUSTRY_WEIGHT * contextWeight : 0) +
      (dutyTerms.length ? DUTIES_WEIGHT * contextWeight : 0)
    let pool = touchedCodes.filter((c) => (codeBest[c] as number) >= maxScore - reach)
    if (pool.length < need) pool = topByScore(touchedCodes, need)
    // level words say nothing of the occupation: the official names and word models are asked of the rest
    const coreTerms = main.terms.some((t) => t.level)
      ? main.terms.filter((t) => !t.level)
      : main.terms
    // priors: occupation size, and the industry's mix of occupations
    const mix = industry && sector ? industryMix(industry, sector) : null
    const ranked: RankedCode[] = []
    for (const c of pool) {
      const emp = employment[c] as number
      const score = codeBest[c] as number
      let total =
        score +
        EVIDENCE_WEIGHT * Math.min(1, (codeEvidence[c] as number) / 3) +
        PRIOR_PER_NAT * (logEmp[c] as number) +
        OFFICIAL_WEIGHT * officialCover(c, coreTerms) +
        INDUSTRY_AFFINITY * officialCover(c, industryTerms) +
        DUTIES_WEIGHT * contextWeight * definitionCover(c, dutyTerms)
      if (mix) {
        const ratio = Math.log(((mix[c] as number) + 1e-5) / (emp / totalEmployment + 1e-5))
        total +=
          (INDUSTRY_WEIGHT *
            contextWeight *
            Math.max(-INDUSTRY_CLIP, Math.min(INDUSTRY_CLIP, ratio))) /
          INDUSTRY_CLIP
      }
      ranked.push({ code: c, score, title: codeBestTitle[c] as number, total })
    }
    // the codes' word models: each below the likeliest loses NB_WEIGHT a nat
    const likelihood = wordLikelihood(
      ranked.map((r) => r.code),
      coreTerms,
    )
    let likeliest = Number.NEGATIVE_INFINITY
    for (const x of likelihood) if (x > likeliest) likeliest = x
    ranked.forEach((r, i) => {
      r.total += NB_WEIGHT * Math.max(-NB_CLIP, (likelihood[i] as number) - likeliest)
    })
    ranked.sort((a, b) => b.total - a.total || a.code - b.code)
    // (unless the title is an official title as it stands: "Drilling Foreman", "Cargo Supervisor")
    // ("Senior Cargo Supervisor" too: a level word the title lacks does not make it another title)
    if (ranked[0] && !exactTitle(ranked[0].title, main.terms, true))
      supervisorOfWorkers(ranked, n, query)
    promoteExtensions(ranked, n, query, industry)
    const top = ranked.slice(0, Math.max(k, SOFTMAX_DEPTH))
    const first = top[0]
    const match: MatchKind =
      first === undefined || !exactTitle(first.title, main.terms)
        ? 'partial'
        : officialTitle[first.title] === 1
          ? 'official'
          : 'exact'
    return softmax(
      top.map((r) => r.code),
      top.map((r) => r.title),
      top.map((r) => r.total),
      match,
      spelled,
      k,
      notes,
    )
  }

  /** A ranking from its candidates' codes, best titles and totals (best first): the softmax over them. */
  function softmax(
    codes: number[],
    titles: number[],
    totals: number[],
    match: MatchKind,
    spelled: boolean,
    k: number,
    notes: string[],
  ): Ranked {
    const best = totals[0] ?? 0
    const exps = totals.map((t) => Math.exp((t - best) / TEMPERATURE))
    const sum = exps.reduce((a, b) => a + b, 0)
    const probs = exps.map((e) => e / sum)
    const candidates: Candidate[] = []
    for (let i = 0; i < Math.min(k, codes.length); i++) {
      const c = codes[i] as number
      candidates.push({
        code: data.codes[c] as string,
        title: data.codeTitles[c] as string,
        score: round(totals[i] as number),
        confidence: probs[i] as number,
        matched: matchedTitle(titles[i] as number),
      })
    }
    return {
      raw: probs[0] ?? 0,
      match,
      spelled,
      candidates,
      codes,
      titles,
      totals,
      probs,
      uncodable: null,
      notes,
    }
  }

  /** the index of this normalised title's known ranking, -1 when it has none */
  function knownIndexOf(key: string): number {
    if (knownStart.length < 2) return -1
    if (!knownTable) {
      const t = keyTable(data.knownKeys.split('\n'))
      knownTable = { starts: Int32Array.from(t.starts), table: t.table }
    }
    const { starts, table } = knownTable
    const mask = table.length - 1
    for (let at = hashText(key) & mask; table[at] !== 0; at = (at + 1) & mask) {
      const i = (table[at] as number) - 1
      const from = starts[i] as number
      if (
        (starts[i + 1] as number) - from - 1 === key.length &&
        data.knownKeys.startsWith(key, from)
      )
        return i
    }
    return -1
  }
  /**
   * A word of how the job is staffed or when it is worked (lexicon leadingWords) before an official
   * title ("Relief Cook", "Float Nurse", "Contract Food Service Manager", "Summer Cook"), the two
   * not an official title together: the title ranks as the official one (its match partial). Null
   * when that does not hold.
   */
  function knownAfterLeading(n: NormalizedTitle, k: number): Ranked | null {
    const first = n.tokens[0]
    if (n.parts.length > 0 || n.tokens.length < 2 || first === undefined) return null
    if (!lex.leadingWords.has(first) || n.roles[0] !== 'word') return null
    if (n.heads.includes(first)) return null
    const rest = tokensKept(n, (i) => i > 0)
    return knownRankingAt(knownIndexOf(keyOf(rest)), k, 'partial') ?? knownWithLevels(rest, k)
  }

  /** the title with only the tokens a test keeps (their roles with them; heads, parts as they are) */
  function tokensKept(n: NormalizedTitle, keep: (i: number) => boolean): NormalizedTitle {
    const tokens: string[] = []
    const roles: TokenRole[] = []
    for (let i = 0; i < n.tokens.length; i++) {
      if (!keep(i)) continue
      tokens.push(n.tokens[i] as string)
      roles.push(n.roles[i] as TokenRole)
    }
    return { tokens, roles, heads: n.heads, parts: n.parts, dropped: n.dropped }
  }

  /**
   * An official title with level words ("Senior Condominium Manager", "Production Engineer Lead"):
   * level words add only to the titles with every other word, so when no official title has them
   * with its other words, the title ranks as those words alone, known from the build. Its match is
   * partial: no official title is the title as written. Null when that does not hold.
   */
  function knownWithLevels(n: NormalizedTitle, k: number): Ranked | null {
    if (n.parts.length > 0 || !n.roles.includes('level')) return null
    const core = tokensKept(n, (i) => n.roles[i] !== 'level')
    if (core.tokens.length === 0 || n.heads.some((h) => !core.tokens.includes(h))) return null
    const at = knownIndexOf(keyOf(core))
    if (at < 0) return null
    // the level words' forms, and the titles of the other word found in fewest titles
    const main = terms(n, 1)
    const levelWords: number[] = []
    let rarest: QueryTerm | null = null
    let rarestPostings = Number.POSITIVE_INFINITY
    for (const term of main.terms) {
      if (term.level) {
        // (a level word that names a boss, "Lead", lets supervisors' titles in)
        if (bossWords.has(term.matches[0]?.v ?? -1)) return null
        for (const m of term.matches) levelWords.push(m.v)
        continue
      }
      let postings = 0
      for (const m of term.matches)
        postings += (postStart[m.v + 1] as number) - (postStart[m.v] as number)
      if (postings < rarestPostings) {
        rarest = term
        rarestPostings = postings
      }
    }
    if (rarest === null) return null
    for (const m of rarest.matches) for (const v of levelWords) if (shareTitle(m.v, v)) return null
    return knownRankingAt(at, k, 'partial')
  }

  /** is there an official title with both words? (postings are in title order: each title of the
   * rarer word is looked for in the other's by bisection, from where the last was found) */
  function shareTitle(a: number, b: number): boolean {
    let lo = postStart[a] as number
    let hi = postStart[a + 1] as number
    let from = postStart[b] as number
    let to = postStart[b + 1] as number
    if (hi - lo > to - from) [lo, hi, from, to] = [from, to, lo, hi]
    for (let p = lo; p < hi; p++) {
      const t = postTitle[p] as number
      let l = from
      let h = to
      while (l < h) {
        const mid = (l + h) >> 1
        if ((postTitle[mid] as number) < t) l = mid + 1
        else h = mid
      }
      if (l < to && postTitle[l] === t) return true
      from = l
    }
    return false
  }

  /**
   * The ranking worked out at build time for a normalised title as a plain query (no industry, no
   * duties), by its index (knownIndexOf), for k up to SOFTMAX_DEPTH; null for -1. (match: how the
   * title as written matches, when it is not the known title itself)
   */
  function knownRankingAt(i: number, k: number, match?: MatchKind): Ranked | null {
    if (i < 0 || k > SOFTMAX_DEPTH) return null
    const a = knownStart[i] as number
    const b = knownStart[i + 1] as number
    // (copied by a loop: Array.from on a typed array's view goes through its iterator)
    const codes: number[] = []
    const titles: number[] = []
    const totals = noNumbers()
    for (let j = a; j < b; j++) {
      codes.push(knownCodes[j] as number)
      titles.push(knownTitles[j] as number)
      totals.push(knownTotals[j] as number)
    }
    return softmax(
      codes,
      titles,
      totals,
      match ?? (KNOWN_MATCH[knownMatch[i] as number] as MatchKind),
      false,
      k,
      [],
    )
  }

  /**
   * The known rankings of these titles (for the build): each one's ranking as a plain query, keyed
   * by its normalised form, when it is codable without notes (a title with digits is left out).
   */
  function knownRankings(texts: readonly string[]): KnownRankings {
    const keys: string[] = []
    const offsets = [0]
    const codes: number[] = []
    const titles: number[] = []
    const totals: number[] = []
    const matches: number[] = []
    const seen = new Set<string>()
    for (const text of texts) {
      if (/\d/.test(text)) continue
      for (const n of titleForms(text, lex)) {
        if (n.tokens.length === 0) continue
        const key = keyOf(n)
        if (seen.has(key)) continue
        seen.add(key)
        const notes: string[] = []
        const r = rankNormalized(n, { title: text }, SOFTMAX_DEPTH, notes)
        if (r.uncodable || r.spelled || notes.length > 0) continue
        keys.push(key)
        codes.push(...r.codes)
        titles.push(...r.titles)
        totals.push(...r.totals)
        offsets.push(codes.length)
        matches.push(KNOWN_MATCH.indexOf(r.match))
      }
    }
    const table = keyTable(keys)
    return {
      knownKeys: keys.join('\n'),
      knownKeyStarts: table.starts,
      knownKeyTable: table.table,
      knownOffsets: offsets,
      knownCodes: codes,
      knownTitles: titles,
      knownTotals: totals,
      knownMatch: matches,
    }
  }

  /**
   * Has title t exactly the query's words (each as written, none left over on either side)? With
   * levels, a level word of the query that the title lacks is not counted against it.
   */
  function exactTitle(t: number, qterms: readonly QueryTerm[], levels = false): boolean {
    const a = titleTokStart[t] as number
    const b = titleTokEnd[t] as number
    if (!levels && b - a !== qterms.length) return false
    let found = 0
    for (const term of qterms) {
      const m = term.matches[0]
      let hit = false
      // (a level word the title lacks is not counted against it, known to the index or not)
      if (m !== undefined && m.credit === 1)
        for (let k = a; k < b && !hit; k++) hit = titleTok[k] === m.v
      if (hit) found++
      else if (!levels || !term.level) return false
    }
    return found === b - a
  }

  /** The n codes with the best scores (a bounded insertion sort: n is small). */
  function topByScore(codes: readonly number[], n: number): number[] {
    const out: number[] = []
    for (const c of codes) {
      const sc = codeBest[c] as number
      if (out.length === n && sc <= (codeBest[out[n - 1] as number] as number)) continue
      let i = out.length < n ? out.length : n - 1
      if (out.length < n) out.push(c)
      while (i > 0 && (codeBest[out[i - 1] as number] as number) < sc) {
        out[i] = out[i - 1] as number
        i--
      }
      out[i] = c
    }
    return out
  }

  function finish(r: Ranked, k: number): CodeResult {
    if (r.uncodable)
      return { status: 'uncodable', candidates: [], group: null, notes: [r.uncodable, ...r.notes] }
    // the top candidate's probability is calibrated; the rest share what remains, in proportion
    const raw1 = r.candidates[0]?.confidence ?? 0
    let conf1 = r.candidates[0]?.matched === null ? raw1 : applyCalibration(curveFor(r.match), raw1)
    let rest = raw1 < 1 ? (1 - conf1) / (1 - raw1) : 0
    // the held-out titles the curves are fitted on are spelt right: a title read by its spelling
    // alone (a German "Kellner", waiter, read as "keller") is a guess, never coded without review;
    // the others lose as much (what is left is the chance that the reading is wrong: "Dshwshr" had
    // Dishwashers and Food Preparation Workers at 50% each)
    if (r.spelled && conf1 > SPELLED_CAP) {
      rest *= SPELLED_CAP / conf1
      conf1 = SPELLED_CAP
    }
    const candidates = r.candidates
      .slice(0, k)
      .map((c, i) => candidate(c, round(i === 0 ? conf1 : Math.min(conf1, c.confidence * rest))))
    const top = candidates[0]
    const conf = top?.confidence ?? 0
    let group: GroupGuess | null = null
    // a title read by its spelling alone is not sure of its group either
    if (top && conf < CODED_THRESHOLD && !r.spelled) group = guessGroup(r)
    return {
      status: conf >= CODED_THRESHOLD ? 'coded' : 'review',
      candidates,
      group,
      notes: r.notes,
    }
  }

  /** The group of a level with the most raw probability over the softmax's candidates. */
  function bestGroup(r: Ranked, level: GroupLevel): { code: string; raw: number } | null {
    // over every candidate of the softmax, not just the k shown: the guess does not depend on k
    const sums = new Map<string, number>()
    r.codes.forEach((ci, i) => {
      const g = (level === 'broad' ? data.codeBroad : data.codeMinor)[ci]
      if (g) sums.set(g, (sums.get(g) ?? 0) + (r.probs[i] as number))
    })
    let best: { code: string; raw: number } | null = null
    for (const [code, raw] of sums) if (!best || raw > best.raw) best = { code, raw }
    return best
  }

  /** The broad (else minor) group likely enough to name, with its calibrated confidence. */
  function guessGroup(r: Ranked): GroupGuess | null {
    for (const level of ['broad', 'minor'] as const) {
      const best = bestGroup(r, level)
      if (!best) continue
      // each level has its own curve, fitted on held-out titles (else the top-1 curve)
      const conf = applyCalibration(data.calibration?.[level] ?? data.calibration, best.raw)
      if (conf >= CODED_THRESHOLD) {
        return {
          code: best.code,
          level,
          title: data.groupTitles[best.code] ?? '',
          confidence: round(conf),
        }
      }
    }
    return null
  }

  function promoteExtensions(
    ranked: RankedCode[],
    n: NormalizedTitle,
    query: CodeQuery,
    industry: string,
  ): void {
    const words = new Set(n.tokens)
    const duties =
      typeof query.duties === 'string'
        ? normalizeTitle(query.duties.slice(0, 2000), lex).tokens
        : []
    for (const d of duties) words.add(d)
    // a keyword, and the extension among the first five: it goes before the codes the state
    // prefers it over ("Owner & CEO" is a small-business owner, not a chief executive)
    const first = ranked[0]
    for (const rule of data.extensions) {
      if (!first || !rule.over?.includes(data.codes[first.code] as string)) continue
      if (!rule.keywords.some((w) => words.has(w))) continue
      const e = codeIndex.get(rule.code) as number
      const at = ranked.findIndex((x) => x.code === e)
      if (at <= 0 || at >= 5) continue
      putFirst(ranked, at)
      return
    }
    for (let i = 0; i < Math.min(ranked.length, 5); i++) {
      const r = ranked[i] as (typeof ranked)[number]
      const rules = extensionsByParent.get(r.code)
      if (!rules) continue
      for (const rule of rules) {
        const byIndustry = industry !== '' && rule.naics.some((p) => industry.startsWith(p))
        const byWord = rule.keywords.some((w) => words.has(w))
        if (!byIndustry && !byWord) continue
        const e = codeIndex.get(rule.code) as number
        const existing = ranked.findIndex((x) => x.code === e)
        let at: number
        if (existing >= 0 && existing < i)
          at = existing // above its parent on its own titles already
        else {
          if (existing >= 0) ranked.splice(existing, 1)
          at = ranked.indexOf(r)
          ranked.splice(at, 0, { code: e, score: r.score, title: r.title, total: r.total + 0.001 })
        }
        // in the extension's industry, the state's code goes first when it is among the first three
        // (a "processor" in seafood processing is 51-3022.05, whatever machine-operator title ties)
        if (byIndustry && at > 0 && at < 3) putFirst(ranked, at)
        return
      }
    }
  }

  /**
   * "Cook Supervisor", "Mechanic Foreman": SOC classes first-line supervisors by the workers they
   * supervise. The rest of the title is ranked as the workers' title; the supervisors' code of
   * those workers (data/supervisors.csv, longest prefix) goes first when it is a candidate.
   */
  function supervisorOfWorkers(ranked: RankedCode[], n: NormalizedTitle, query: CodeQuery): void {
    if (supervisorRules.length === 0 || !n.heads.some((h) => SUPERVISOR_HEADS.has(h))) return
    const rest = n.tokens.filter((t, i) => n.roles[i] === 'word' && !BOSS_WORD_SET.has(t))
    if (rest.length === 0) return
    // the workers' likeliest codes, by the supervisors' code each maps to (longest prefix)
    const w = rank({ title: rest.join(' '), industry: query.industry }, 1)
    const mass = new Map<string, number>()
    w.codes.forEach((c, i) => {
      const code = data.codes[c] as string
      let best: SupervisorRule | null = null
      for (const r of supervisorRules)
        if (code.startsWith(r.workers) && r.workers.length > (best?.workers.length ?? 0)) best = r
      if (best) mass.set(best.supervisor, (mass.get(best.supervisor) ?? 0) + (w.probs[i] ?? 0))
    })
    let chosen: string | null = null
    for (const [code, m] of mass)
      if (m >= SUPERVISED_SHARE && (chosen === null || m > (mass.get(chosen) as number)))
        chosen = code
    const s = chosen === null ? undefined : codeIndex.get(chosen)
    // (not when it is first already, or not a candidate)
    const at = s === undefined ? -1 : ranked.findIndex((r) => r.code === s)
    if (at > 0) putFirst(ranked, at)
  }

  function contextTerms(text: string): QueryTerm[] {
    const n = normalizeTitle(text, lex)
    const out = objectArray<QueryTerm>()
    for (const tok of n.tokens) {
      // the word and its other forms ("landscaping" also finds "landscape")
      const matches = resolve(tok, false)
      const v = matches[0]?.v
      if (v !== undefined)
        out.push({
          matches,
          weight: idf[v] as number,
          role: 1,
          idf: idf[v] as number,
          level: false,
        })
    }
    return out
  }

  /** The NAICS title of a code, or of its nearest parent that has one, with the code it belongs to. */
  function naicsTitle(code: string): { code: string; title: string } | null {
    for (let len = code.length; len >= 2; len--) {
      const title = data.naicsTitles[code.slice(0, len)]
      if (title) return { code: code.slice(0, len), title }
    }
    return null
  }

  function sectorOf(naics: string): string {
    const two = naics.slice(0, 2)
    if (two === '32' || two === '33') return '31'
    if (two === '45') return '44'
    if (two === '49') return '48'
    if (two === '92') return '99'
    return two
  }

  /**
   * The industry's mix of occupations (shares by code): its sector's mix from OEWS, with part of it
   * moved to the occupations whose titles share the words of the industry's own NAICS title (in
   * "Landscaping Services" the landscapers, not the sector's janitors and guards).
   */
  function industryMix(industry: string, sector: string): Float64Array | null {
    const hit = mixCache.get(industry)
    if (hit !== undefined) return hit
    const shares = data.sectors[sector]
    let mix: Float64Array | null = null
    if (shares) {
      // the sector's share of employment per code (the mix is cached per industry: no second cache)
      mix = new Float64Array(nCodes)
      for (let i = 0; i < shares.pairs.length; i += 2)
        mix[shares.pairs[i] as number] = (shares.pairs[i + 1] as number) / shares.total
      // an extension stands in for its parent here too, as it does for the national employment
      // (else it had no share in any industry: the largest penalty the industry can give)
      for (const e of data.extensions) {
        const c = codeIndex.get(e.code) as number
        if ((mix[c] as number) === 0) mix[c] = mix[codeIndex.get(e.parent) as number] as number
      }
      const title = (naicsTitle(industry)?.title ?? '').replace(/\(?\bexcept\b[^)]*\)?/gi, ' ')
      const words = contextTerms(title).filter(
        (t) => !INDUSTRY_STOP.has(data.vocab[t.matches[0]?.v as number] as string),
      )
      // each code's affinity: the share of the title's words found in the code's titles
      const affinity = new Float64Array(nCodes)
      const has = new Float64Array(nCodes)
      let all = 0
      for (const term of words) {
        has.fill(0)
        for (let mi = 0; mi < term.matches.length; mi++) {
          const match = term.matches[mi] as WordMatch
          const v = match.v
          const credit = match.credit
          for (let p = postStart[v] as number; p < (postStart[v + 1] as number); p++) {
            const c = titleCode[postTitle[p] as number] as number
            if (credit > (has[c] as number)) has[c] = credit
          }
        }
        for (let c = 0; c < nCodes; c++)
          affinity[c] = (affinity[c] as number) + term.idf * (has[c] as number)
        all += term.idf
      }
      let named = 0
      for (let c = 0; c < nCodes; c++) {
        affinity[c] = all > 0 ? ((affinity[c] as number) / all) * ((mix[c] as number) + 1e-4) : 0
        named += affinity[c] as number
      }
      if (named > 0)
        for (let c = 0; c < nCodes; c++)
          mix[c] =
            (1 - INDUSTRY_NAMED) * (mix[c] as number) +
            (INDUSTRY_NAMED * (affinity[c] as number)) / named
    }
    if (mixCache.size >= 1024) mixCache.clear()
    mixCache.set(industry, mix)
    return mix
  }
}

/** a code as ranked: its best title's score, that title, and its total with the priors */
type RankedCode = { code: number; score: number; title: number; total: number }

/** A candidate with another confidence, every field written out (one object shape for the JIT). */
function candidate(c: Candidate, confidence: number): Candidate {
  return { code: c.code, title: c.title, score: c.score, confidence, matched: c.matched }
}

/**
 * Put ranked[at] first, a thousandth above the code that was first: how a rule (the state's
 * extension, the supervisors of the workers named) overrides the scores.
 */
function putFirst(ranked: RankedCode[], at: number): void {
  const top = ranked[0] as RankedCode
  const [x] = ranked.splice(at, 1)
  if (x) ranked.unshift({ code: x.code, score: x.score, title: x.title, total: top.total + 0.001 })
}

/**
 * Which slip makes the misspelt word from the known one (one edit apart), commonest first: 0 a
 * letter left out, 1 two letters swapped, 2 one changed, 3 one added.
 */
function slipOf(word: string, known: string): number {
  if (known.length > word.length) return 0
  if (known.length < word.length) return 3
  let i = 0
  while (i < word.length && word[i] === known[i]) i++
  return word[i] === known[i + 1] && word[i + 1] === known[i] ? 1 : 2
}

/**
 * The NAICS code in an industry as files and forms write it: "311712", "NAICS 311712", "311712.0"
 * (a spreadsheet's number), "311712 - Seafood Canning", "31-33" (a sector's range: its first two
 * digits); null when there is none.
 */
export function naicsCodeIn(text: string): string | null {
  const t = text.trim()
  const range = /^(?:(31)\s*[-–]\s*33|(44)\s*[-–]\s*45|(48)\s*[-–]\s*49)$/.exec(t)
  if (range) return (range[1] ?? range[2] ?? range[3]) as string
  const m =
    /^(?:naics(?:\s+code)?\s*[:#]?\s*)?(\d{2,6})(?:\.0+)?(?:(?:\s*[-–—:|,]\s*|\s+)(?=\D).*)?$/i.exec(
      t,
    )
  return m ? (m[1] as string) : null
}

/** a string with more than blanks (an industry or duties given) */
function hasText(x: unknown): boolean {
  return typeof x === 'string' && x.trim() !== ''
}

function clampK(k: number): number {
  return Number.isFinite(k) ? Math.max(1, Math.min(50, Math.floor(k))) : defaultCoderOptions.k
}

function round(x: number): number {
  return Math.round(x * 10000) / 10000
}

/** Damerau-Levenshtein distance, capped: returns 2 for anything beyond 1. */
function editDistance(a: string, b: string): number {
  if (a === b) return 0
  if (Math.abs(a.length - b.length) > 1) return 2
  let i = 0
  while (i < a.length && i < b.length && a[i] === b[i]) i++
  const ra = a.slice(i)
  const rb = b.slice(i)
  if (ra.length === rb.length) {
    if (ra.slice(1) === rb.slice(1)) return 1 // substitution
    if (ra.length >= 2 && ra[0] === rb[1] && ra[1] === rb[0] && ra.slice(2) === rb.slice(2))
      return 1 // transposition
    return 2
  }
  if (ra.length > rb.length) return ra.slice(1) === rb ? 1 : 2
  return rb.slice(1) === ra ? 1 : 2
}

/** A crude stem that only groups word forms for partial credit (never merges them outright). */
export function stemOf(w: string): string {
  if (w.length <= 5) return w
  return w
    .replace(/([^s])s$/, '$1')
    .replace(
      /(ings?|ers?|ors?|ions?|ments?|ists?|ians?|ives?|ic|ical|orial|ial|al|ance|ence|ant|ent|ed|y)$/,
      '',
    )
    .slice(0, 8)
}

/** Levenshtein distance, giving up (returning max + 1) once it exceeds max. */
export function boundedLevenshtein(a: string, b: string, max: number): number {
  const n = b.length
  let prev = Array.from({ length: n + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const cur = [i]
    let rowMin = i
    for (let j = 1; j <= n; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      const v = Math.min(
        (prev[j] as number) + 1,
        (cur[j - 1] as number) + 1,
        (prev[j - 1] as number) + cost,
      )
      cur.push(v)
      if (v < rowMin) rowMin = v
    }
    if (rowMin > max) return max + 1
    prev = cur
  }
  return prev[n] as number
}

/** How rankings are keyed: a normalised title's words with their roles, its heads and its parts. */
export function keyOf(n: NormalizedTitle): string {
  const one = (x: NormalizedTitle) =>
    `${x.tokens.map((t, i) => `${t}:${x.roles[i]}`).join(' ')}>${x.heads.join(' ')}`
  return n.parts.length ? `${one(n)}/${n.parts.map(one).join('/')}` : one(n)
}
