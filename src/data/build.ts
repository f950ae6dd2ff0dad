/**
 * `soc data build`: check every reference file against the manifest, import it, and compile a
 * snapshot into the build folder. The snapshot (taxonomy.json) is what every command loads; the
 * coder's title list and industry priors go to titles.json; meta.json records what was read, so a
 * changed source file triggers a rebuild.
 */
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Coder } from '../core/coder/coder.ts'
import { createCoder } from '../core/coder/coder.ts'
import type { CoderIndexData } from '../core/coder/index-data.ts'
import { CODER_INDEX_FORMAT, packCoderIndex } from '../core/coder/index-data.ts'
import { normalizeTitle } from '../core/coder/normalize.ts'
import type { Level } from '../core/codes.ts'
import { LEVELS, levelOfDigits, parseCode } from '../core/codes.ts'
import { DataError } from '../core/errors.ts'
import type {
  AlaskaInfo,
  CrossRef,
  Education,
  Employment,
  Entry,
  Snapshot,
  Soc2010Code,
  SourceStamp,
} from '../core/snapshot.ts'
import { SNAPSHOT_FORMAT } from '../core/snapshot.ts'
import { parseCrossRefs } from '../ingest/cross-refs.ts'
import type { CsvRow } from '../ingest/csv.ts'
import { readCsv } from '../ingest/csv.ts'
import type { StatePage } from '../ingest/state-page.ts'
import { parseStatePage } from '../ingest/state-page.ts'
import { buildCoderIndex } from './build-coder.ts'

export type { BuildMeta, BuildOptions } from './build-info.ts'
export { BUILD_FILES, BUILDER_VERSION, projectDataHash } from './build-info.ts'

import type { BuildMeta, BuildOptions } from './build-info.ts'
import { BUILDER_VERSION, projectDataHash } from './build-info.ts'
import type { ManifestFile } from './manifest.ts'
import { readManifest, sha256 } from './manifest.ts'
import { PROJECT_DATA_DIR } from './paths.ts'
import type { TitleRecord, TitlesFile } from './titles.ts'
import { TITLE_SOURCES } from './titles.ts'

export const EXPECTED_COUNTS: Readonly<Record<Exclude<Level, 'extension'>, number>> = {
  major: 23,
  minor: 98,
  broad: 459,
  detailed: 867,
}

export type BuildResult = {
  readonly meta: BuildMeta
  readonly snapshot: Snapshot
  readonly titles: TitlesFile
  readonly coder: CoderIndexData
}

const EDUCATION_RANK: Readonly<Record<string, number>> = {
  'No formal educational credential': 1,
  'High school diploma or equivalent': 2,
  'Some college, no degree': 3,
  'Postsecondary nondegree award': 4,
  "Associate's degree": 5,
  "Bachelor's degree": 6,
  "Master's degree": 7,
  'Doctoral or professional degree': 8,
}

type Loaded = { text: string; stamp: SourceStamp }

/** Read and verify one manifest file. Returns null for an absent optional file. */
function loadSource(file: ManifestFile, options: BuildOptions, warnings: string[]): Loaded | null {
  const full = join(options.reference, file.path)
  let st: ReturnType<typeof statSync>
  try {
    st = statSync(full)
  } catch {
    if (!file.required) return null
    const hint = file.derivedFrom
      ? ' (a CSV made from the agency workbook: "soc data convert" makes it when the workbook is in the reference directory, "soc data fetch" downloads it)'
      : ''
    throw new DataError(
      'MISSING_FILE',
      file.path,
      `file is missing from the reference directory ${JSON.stringify(options.reference)}${hint}`,
    )
  }
  const bytes = readFileSync(full)
  const sum = sha256(bytes)
  if (file.sha256 && sum !== file.sha256) {
    const msg = `checksum mismatch: sha256 ${sum.slice(0, 16)}…, the manifest expects ${file.sha256.slice(0, 16)}… (a changed or corrupted file)`
    if (!options.allowChecksumMismatch)
      throw new DataError(
        'CHECKSUM_MISMATCH',
        file.path,
        `${msg}; pass --allow-changed to build from it anyway`,
      )
    warnings.push(`${file.path}: ${msg}`)
  }
  const text = bytes.toString('utf8')
  if (text.includes('\uFFFD')) throw new DataError('BAD_FILE', file.path, 'not valid UTF-8 text')
  return {
    text,
    stamp: {
      id: file.id,
      path: file.path,
      sha256: sum,
      size: st.size,
      mtimeMs: st.mtimeMs,
      rows: 0,
    },
  }
}

function table(file: ManifestFile, loaded: Loaded): readonly CsvRow[] {
  const { rows } = readCsv(loaded.text, {
    name: file.path,
    unwrapFormulas: file.id === 'cip-codes',
    relaxQuotes: file.id === 'cip-codes',
    ...(file.columns ? { columns: file.columns } : {}),
  })
  const [min, max] = file.rows ?? [1, Number.POSITIVE_INFINITY]
  if (rows.length < min || rows.length > max) {
    throw new DataError(
      'BAD_FILE',
      file.path,
      `has ${rows.length} data rows, expected ${min === max ? min : `${min} to ${max}`} (truncated or a different file?)`,
    )
  }
  ;(loaded.stamp as { rows: number }).rows = rows.length
  return rows
}

const clean = (s: string | undefined): string =>
  (s ?? '')
    .replace(/[\u00a0\s]+/g, ' ')
    .replace(/\u2010/g, '-')
    .trim()

function num(s: string | undefined): number | null {
  const t = clean(s).replace(/,/g, '')
  if (t === '' || !/^-?\d+(\.\d+)?$/.test(t)) return null
  return Number(t)
}

type MutableEntry = { -readonly [K in keyof Entry]: Entry[K] }

export function buildSnapshot(options: BuildOptions): BuildResult {
  const t0 = performance.now()
  const manifest = readManifest()
  const warnings: string[] = []
  const stamps: SourceStamp[] = []
  const files = new Map<string, { file: ManifestFile; loaded: Loaded | null }>()
  for (const file of manifest.files) {
    if (!file.columns && file.id !== 'alaska-soc-page') continue // agency originals: fetched, not read
    const loaded = loadSource(file, options, warnings)
    files.set(file.id, { file, loaded })
    if (loaded) stamps.push(loaded.stamp)
  }
  const rowsOf = (id: string): readonly CsvRow[] => {
    const f = files.get(id)
    if (!f?.loaded) return []
    return table(f.file, f.loaded)
  }

  // 1. SOC 2018 definitions: hierarchy from file order and the group column
  const entries: MutableEntry[] = []
  const byCode = new Map<string, MutableEntry>()
  const stack: Partial<Record<Level, string>> = {}
  const parentLevel: Record<Level, Level | null> = {
    major: null,
    minor: 'major',
    broad: 'minor',
    detailed: 'broad',
    extension: 'detailed',
  }
  const defFile = 'data/bls_soc2018/soc_2018_definitions.csv'
  rowsOf('soc-definitions').forEach((row, i) => {
    const group = clean(row.soc_group).toLowerCase() as Level
    const code = clean(row.soc_code)
    const line = i + 2
    if (!(group in EXPECTED_COUNTS))
      throw new DataError(
        'BAD_FILE',
        defFile,
        `line ${line}: unknown soc_group ${JSON.stringify(row.soc_group)}, expected Major, Minor, Broad or Detailed`,
      )
    const p = parseCode(code)
    if (!p.ok || p.value.level === 'extension')
      throw new DataError('BAD_FILE', defFile, `line ${line}: invalid code ${JSON.stringify(code)}`)
    if (byCode.has(code))
      throw new DataError('BAD_FILE', defFile, `line ${line}: duplicate code ${code}`)
    const pl = parentLevel[group]
    const parent = pl ? (stack[pl] ?? null) : null
    if (pl && !parent)
      throw new DataError(
        'BAD_FILE',
        defFile,
        `line ${line}: ${group} ${code} comes before any ${pl} group`,
      )
    stack[group] = code
    // a new group closes every open group below it
    for (const lower of LEVELS.slice(LEVELS.indexOf(group) + 1)) delete stack[lower]
    if (group !== levelOfDigits(code.replace('-', '')))
      warnings.push(
        `${defFile} line ${line}: ${code} is marked ${group} but its digits read as ${levelOfDigits(code.replace('-', ''))}`,
      )
    const e: MutableEntry = {
      code,
      level: group,
      title: clean(row.soc_title),
      parent,
      definition: clean(row.soc_definition),
      stateDescription: null,
      stateTitle: null,
      stateBroadGroup: null,
      examples: [],
      examplesSource: null,
      alaska: null,
      education: null,
      employment: null,
      census: null,
      cip: [],
      onet: [],
      order: 0,
    }
    entries.push(e)
    byCode.set(code, e)
  })
  const counts: Record<string, number> = { major: 0, minor: 0, broad: 0, detailed: 0 }
  for (const e of entries) counts[e.level] = (counts[e.level] ?? 0) + 1
  for (const [lvl, n] of Object.entries(EXPECTED_COUNTS)) {
    if (counts[lvl] !== n)
      throw new DataError(
        'BAD_FILE',
        defFile,
        `has ${counts[lvl]} ${lvl} groups, SOC 2018 has ${n}`,
      )
  }
  const detailedCodes = entries.filter((e) => e.level === 'detailed').map((e) => e.code)
  const detailedUnder = (code: string): string[] => {
    const out: string[] = []
    const walk = (c: string): void => {
      for (const e of entries)
        if (e.parent === c) e.level === 'detailed' ? out.push(e.code) : walk(e.code)
    }
    walk(code)
    return out
  }

  // 2. cross-references
  const crossRefs: CrossRef[] = []
  const inRange = (a: string, b: string): string[] => detailedCodes.filter((c) => c > a && c < b)
  for (const e of entries) {
    if (!e.definition) continue
    for (const ref of parseCrossRefs(e.code, e.definition, inRange)) {
      const unknown = ref.to.filter((c) => !byCode.has(c))
      if (unknown.length > 0)
        warnings.push(
          `${e.code}: cross-reference to unknown code${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}`,
        )
      crossRefs.push({ ...ref, to: ref.to.filter((c) => byCode.has(c)) })
    }
  }

  // 3. Direct Match Title File
  const titles: TitleRecord[] = []
  const src = (s: (typeof TITLE_SOURCES)[number]): number => TITLE_SOURCES.indexOf(s)
  for (const e of entries) if (e.level === 'detailed') titles.push([e.title, e.code, src('soc')])
  for (const row of rowsOf('soc-direct-match')) {
    const code = clean(row.soc_2018_code)
    const e = byCode.get(code)
    const t = clean(row.direct_match_title)
    if (e?.level !== 'detailed' || !t) {
      if (t) warnings.push(`direct match title ${JSON.stringify(t)}: unknown code ${code}`)
      continue
    }
    const illustrative = clean(row.illustrative_example).toLowerCase() === 'x'
    if (illustrative) (e.examples as string[]).push(t)
    titles.push([t, code, src(illustrative ? 'dmtf-example' : 'dmtf')])
  }
  for (const e of entries) if (e.examples.length > 0) e.examplesSource = 'bls'

  // 4. SOC 2010 -> 2018
  const soc2010: Record<string, { title: string; successors: string[] }> = {}
  for (const row of rowsOf('soc-2010-2018')) {
    const from = clean(row.soc_2010_code)
    const to = clean(row.soc_2018_code)
    if (!byCode.has(to)) {
      warnings.push(`SOC 2010 crosswalk: ${from} maps to unknown 2018 code ${to}`)
      continue
    }
    const rec = (soc2010[from] ??= {
      title: clean(row.soc_2010_title).replace(/\s*\(#\)$/, ''),
      successors: [],
    })
    if (!rec.successors.includes(to)) rec.successors.push(to)
  }

  // 5. O*NET: occupations within detailed codes, alternate and reported titles
  for (const row of rowsOf('onet-occupations')) {
    const code = clean(row.Code)
    const base = code.slice(0, 7)
    const e = byCode.get(base)
    if (!e) {
      warnings.push(`O*NET occupation ${code}: no SOC 2018 code ${base}`)
      continue
    }
    if (!code.endsWith('.00'))
      (e.onet as { code: string; title: string }[]).push({ code, title: clean(row.Title) })
  }
  for (const row of rowsOf('onet-alternate-titles')) {
    const code = clean(row['O*NET-SOC Code']).slice(0, 7)
    if (!byCode.has(code)) continue
    const t = clean(row['Job Title'])
    // a title that several O*NET sources report is better established
    const sources = clean(row['Source(s)'])
      .split(',')
      .filter((x) => x.trim()).length
    if (t) titles.push([t, code, src(sources >= 2 ? 'onet-alternate-multi' : 'onet-alternate')])
    const short = clean(row['Short Title'])
    if (short) titles.push([short, code, src('onet-short')])
  }
  for (const row of rowsOf('onet-reported-titles')) {
    const code = clean(row['O*NET-SOC Code']).slice(0, 7)
    const t = clean(row['Reported Job Title'])
    // the reported titles O*NET shows in My Next Move are its pick of the common ones
    const featured = clean(row['Shown in My Next Move']) === 'Y'
    if (byCode.has(code) && t)
      titles.push([t, code, src(featured ? 'onet-reported-featured' : 'onet-reported')])
  }
  const onet2010: Record<string, string[]> = {}
  for (const row of rowsOf('onet-2010-2019')) {
    const from = clean(row['O*NET-SOC 2010 Code'])
    const to = clean(row['O*NET-SOC 2019 Code'])
    ;(onet2010[from] ??= []).push(to)
  }

  // 6. EP aggregates, education, employment, wages
  const aggregates = new Map<string, string[]>()
  const aggFile = readCsv(readFileSync(join(PROJECT_DATA_DIR, 'ep-aggregates.csv'), 'utf8'), {
    name: 'data/ep-aggregates.csv',
    columns: ['aggregate_code', 'soc_2018_codes'],
  })
  for (const row of aggFile.rows) {
    const codes = clean(row.soc_2018_codes).split(' ')
    for (const c of codes)
      if (!byCode.has(c))
        throw new DataError(
          'BAD_DATA',
          'data/ep-aggregates.csv',
          `aggregate ${row.aggregate_code} lists unknown code ${c}`,
        )
    aggregates.set(clean(row.aggregate_code), codes)
  }
  const spread = (code: string): { codes: string[]; aggregate: string | null } => {
    const agg = aggregates.get(code)
    if (agg) return { codes: agg, aggregate: code }
    return { codes: byCode.get(code)?.level === 'detailed' ? [code] : [], aggregate: null }
  }
  const employment = new Map<
    string,
    {
      e24: number | null
      e34: number | null
      wage: number | null
      top: boolean
      agg: string | null
    }
  >()
  for (const row of rowsOf('ep-projections')) {
    if (clean(row['Occupation type']) !== 'Line item') continue
    const code = clean(row['2024 National Employment Matrix code'])
    const { codes, aggregate } = spread(code)
    if (codes.length === 0) {
      warnings.push(
        `EP projections: line item ${code} is neither a detailed code nor a known aggregate`,
      )
      continue
    }
    const typical = clean(row['Typical education needed for entry'])
    const rank = EDUCATION_RANK[typical]
    if (rank === undefined)
      warnings.push(`EP projections: ${code} has unknown education ${JSON.stringify(typical)}`)
    const thousands = (s: string | undefined): number | null => {
      const n = num(s)
      return n === null ? null : Math.round(n * 1000)
    }
    for (const c of codes) {
      const e = byCode.get(c) as MutableEntry
      const edu: Education = {
        typical,
        rank: rank ?? 0,
        experience: clean(row['Work experience in a related occupation']),
        training: clean(
          row['Typical on-the-job training needed to attain competency in the occupation'],
        ),
        aggregate,
      }
      e.education = edu
      employment.set(c, {
        e24: thousands(row['Employment, 2024']),
        e34: thousands(row['Employment, 2034']),
        wage: num(row['Median annual wage, dollars, 2024[1]']),
        top: clean(row['Median annual wage, dollars, 2024[1]']).startsWith('>'),
        agg: aggregate,
      })
    }
  }
  const oewsWage = new Map<string, { wage: number | null; top: boolean; emp: number | null }>()
  for (const row of rowsOf('oews-national')) {
    if (clean(row.O_GROUP) !== 'detailed') continue
    const code = clean(row.OCC_CODE)
    const raw = clean(row.A_MEDIAN)
    for (const c of spread(code).codes)
      oewsWage.set(c, {
        wage: raw === '#' ? 239200 : num(raw),
        top: raw === '#',
        emp: num(row.TOT_EMP),
      })
  }
  for (const e of entries) {
    if (e.level !== 'detailed') continue
    const ep = employment.get(e.code)
    const oe = oewsWage.get(e.code)
    if (!ep && !oe) continue
    const agg = ep?.agg ?? null
    const emp: Employment = {
      employment2024: ep?.e24 ?? null,
      employment2034: ep?.e34 ?? null,
      medianWage: oe?.wage ?? ep?.wage ?? null,
      medianWageTopCoded: oe?.top ?? ep?.top ?? false,
      aggregate: agg,
      aggregateCodes: agg ? (aggregates.get(agg) ?? []) : [],
    }
    e.employment = emp
  }

  // 7. Census 2018 occupation codes (patterns like 13-20XX and broad codes cover several codes)
  for (const row of rowsOf('census-occ-codes')) {
    if (clean(row.row_type) !== 'occupation') continue
    const soc = clean(row.soc_2018_code)
    const census = { code: clean(row.census_2018_code), title: clean(row.census_2018_title) }
    if (soc === 'none' || soc === '') continue
    let codes: string[]
    if (soc.includes('X')) {
      const re = new RegExp(`^${soc.replace(/X/g, '\\d')}$`)
      codes = detailedCodes.filter((c) => re.test(c))
    } else if (byCode.get(soc)?.level === 'detailed') codes = [soc]
    else codes = detailedUnder(soc)
    if (codes.length === 0)
      warnings.push(`Census occupation ${census.code}: SOC ${soc} matches no code`)
    for (const c of codes) {
      const e = byCode.get(c) as MutableEntry
      if (!e.census) e.census = census
    }
  }

  // 8. CIP 2020 <-> SOC 2018 and CIP titles
  const cipTitles: Record<string, string> = {}
  for (const row of rowsOf('cip-codes')) {
    const code = clean(row.CIPCode)
    if (/^\d{2}\.\d{4}$/.test(code)) cipTitles[code] = clean(row.CIPTitle).replace(/\.$/, '')
  }
  for (const row of rowsOf('cip-soc')) {
    const cip = clean(row.CIP2020Code)
    const e = byCode.get(clean(row.SOC2018Code))
    if (!e) continue
    if (!e.cip.includes(cip)) (e.cip as string[]).push(cip)
    if (!cipTitles[cip]) cipTitles[cip] = clean(row.CIP2020Title).replace(/\.$/, '')
  }

  // 9. NAICS 2022
  const naics: Record<string, string> = {}
  for (const row of rowsOf('naics-codes')) {
    const code = clean(row.naics_2022_code)
    const title = clean(row.naics_2022_title)
    naics[code] = title
    const range = /^(\d{2})-(\d{2})$/.exec(code)
    if (range) for (let s = Number(range[1]); s <= Number(range[2]); s++) naics[String(s)] = title
  }

  // 10. Alaska extension codes: the project's list, merged with a longer list in the reference dir
  const extRows = new Map<string, CsvRow>()
  const extColumns = ['code', 'title', 'parent_code', 'soc_version', 'status']
  for (const row of readCsv(
    readFileSync(join(PROJECT_DATA_DIR, 'alaska-extension-codes.csv'), 'utf8'),
    { name: 'data/alaska-extension-codes.csv', columns: extColumns },
  ).rows) {
    extRows.set(clean(row.code), row)
  }
  for (const row of rowsOf('alaska-extensions'))
    extRows.set(clean(row.code), { ...extRows.get(clean(row.code)), ...row })
  const extensions: MutableEntry[] = []
  for (const [code, row] of extRows) {
    const where = `Alaska extension ${code}`
    const p = parseCode(code)
    if (!p.ok || p.value.level !== 'extension')
      throw new DataError(
        'BAD_DATA',
        'alaska extension codes',
        `${JSON.stringify(code)} is not an extension code (NN-NNNN.NN)`,
      )
    const parentCode = clean(row.parent_code) || p.value.base
    const version = clean(row.soc_version) === '2010' ? '2010' : '2018'
    const status = clean(row.status) === 'legacy' ? 'legacy' : 'current'
    let parent = byCode.get(parentCode)
    let successors: string[] = []
    if (version === '2010') {
      successors = soc2010[parentCode]?.successors ?? []
      if (successors.length === 0)
        warnings.push(`${where}: SOC 2010 parent ${parentCode} has no SOC 2018 successor`)
      // keep it under its parent when the parent code still exists in 2018, else under the first successor
      if (parent?.level !== 'detailed') parent = byCode.get(successors[0] ?? '')
    }
    if (parent?.level !== 'detailed') {
      warnings.push(`${where}: parent ${parentCode} is not a SOC 2018 detailed code; skipped`)
      continue
    }
    const alaska: AlaskaInfo = {
      status,
      socVersion: version,
      industry: clean(row.industry) || null,
      summary: clean(row.summary),
      successors: status === 'legacy' ? (successors.length > 0 ? successors : [parent.code]) : [],
      onStatePage: false,
    }
    const e: MutableEntry = {
      code,
      level: 'extension',
      title: clean(row.title),
      parent: parent.code,
      definition: alaska.summary,
      stateDescription: null,
      stateTitle: null,
      stateBroadGroup: null,
      examples: [],
      examplesSource: null,
      alaska,
      education: parent.education,
      employment: null,
      census: parent.census,
      cip: parent.cip,
      onet: [],
      order: 0,
    }
    extensions.push(e)
    byCode.set(code, e)
    titles.push([e.title, code, src('alaska')])
  }
  // insert each extension right after its parent (and the parent's earlier extensions)
  for (const ext of extensions) {
    const at = entries.findIndex((x) => x.code === ext.parent)
    let i = at + 1
    while (i < entries.length && (entries[i] as MutableEntry).level === 'extension') i++
    entries.splice(i, 0, ext)
  }

  // 11. the state page: overlay descriptions and examples, cross-check against BLS
  let page: StatePage | null = null
  const pageFile = files.get('alaska-soc-page')
  if (pageFile?.loaded) {
    page = parseStatePage(pageFile.loaded.text)
    pageFile.loaded.stamp = { ...pageFile.loaded.stamp, rows: page.entries.length }
    stamps.splice(
      stamps.findIndex((s) => s.id === 'alaska-soc-page'),
      1,
      pageFile.loaded.stamp,
    )
    for (const w of page.warnings) warnings.push(`state page ${w}`)
    for (const pe of page.entries) {
      const where = `state page line ${pe.line} (${pe.code})`
      const e = byCode.get(pe.code)
      if (!e) {
        const base = byCode.get(pe.code.slice(0, 7))
        warnings.push(
          `${where}: ${base ? `extension ${pe.code} of ${base.code} is not in the extension list; add it to data/alaska-extension-codes.csv` : 'no such SOC 2018 code'}`,
        )
        continue
      }
      const detailed = e.level === 'extension' ? byCode.get(e.parent ?? '') : e
      const broad = detailed ? byCode.get(detailed.parent ?? '') : undefined
      if (pe.broadGroup && broad && norm(pe.broadGroup) !== norm(broad.title)) {
        warnings.push(
          `${where}: broad group ${JSON.stringify(pe.broadGroup)} differs from BLS ${broad.code} ${JSON.stringify(broad.title)}`,
        )
      }
      if (norm(pe.title) !== norm(e.title)) {
        warnings.push(
          `${where}: title ${JSON.stringify(pe.title)} differs from ${JSON.stringify(e.title)}`,
        )
        e.stateTitle = pe.title
      }
      e.stateBroadGroup = pe.broadGroup
      if (pe.description) {
        e.stateDescription = pe.description
        if (e.level === 'extension') e.definition = pe.description
      }
      if (pe.examples.length > 0) {
        e.examples = pe.examples
        e.examplesSource = 'state'
        for (const t of pe.examples) titles.push([t, e.code, src('state-example')])
      }
      if (e.alaska) e.alaska = { ...e.alaska, onStatePage: true }
    }
  }

  // 12. page order: the state page's entries in its order, the others after the page entry before them
  const pageIndex = new Map<string, number>()
  page?.entries.forEach((pe, i) => pageIndex.set(pe.code, i + 1))
  let last = 0
  let step = 0
  entries.forEach((e) => {
    const p = pageIndex.get(e.code)
    if (p !== undefined) {
      last = p
      step = 0
      e.order = p * 10000
    } else {
      step++
      e.order = last * 10000 + step
    }
  })

  // 13. industry priors for the coder: employment by NAICS sector x detailed code
  const sectors: Record<string, { title: string; total: number; codes: Record<string, number> }> =
    {}
  for (const row of rowsOf('oews-sector')) {
    const group = clean(row.O_GROUP)
    const sector = clean(row.NAICS)
    const s = (sectors[sector] ??= { title: clean(row.NAICS_TITLE), total: 0, codes: {} })
    const emp = num(row.TOT_EMP)
    if (group === 'total' && emp !== null) s.total = emp
    if (group !== 'detailed' || emp === null) continue
    const { codes } = spread(clean(row.OCC_CODE))
    for (const c of codes) s.codes[c] = Math.round(emp / codes.length)
  }

  const snapshot: Snapshot = {
    format: SNAPSHOT_FORMAT,
    builtAt: new Date().toISOString(),
    reference: options.reference,
    sources: stamps,
    projectData: projectDataHash(),
    entries,
    crossRefs,
    soc2010: soc2010 as Record<string, Soc2010Code>,
    naics,
    cipTitles,
    statePage: page ? { intro: page.intro, sections: page.sections } : null,
    warnings,
  }
  const national: Record<string, number> = {}
  for (const e of entries) {
    const n = e.employment?.employment2024
    if (e.level === 'detailed' && n)
      national[e.code] = e.employment?.aggregate
        ? Math.round(n / (e.employment.aggregateCodes.length || 1))
        : n
  }
  const titlesFile: TitlesFile = {
    format: SNAPSHOT_FORMAT,
    sources: TITLE_SOURCES,
    titles,
    national,
    sectors,
    onet2010,
  }
  const allCounts: Record<string, number> = {
    ...counts,
    extension: extensions.length,
    titles: titles.length,
    crossRefs: crossRefs.length,
  }
  const meta: BuildMeta = {
    builderVersion: BUILDER_VERSION,
    formats: { snapshot: SNAPSHOT_FORMAT, coder: CODER_INDEX_FORMAT },
    reference: options.reference,
    builtAt: snapshot.builtAt,
    projectDataHash: snapshot.projectData,
    sources: stamps,
    counts: allCounts,
    warnings,
    ms: Math.round(performance.now() - t0),
  }
  const coder = buildCoderIndex(snapshot, titlesFile)
  orderSuccessorsByTitle(snapshot, createCoder(coder))
  return {
    meta: { ...meta, ms: Math.round(performance.now() - t0) },
    snapshot,
    titles: titlesFile,
    coder,
  }
}

/**
 * A legacy Alaska code's SOC 2010 parent may have split into several SOC 2018 codes: put first the
 * one whose titles best match the legacy code's title (25-3099.01 Substitute Teachers -> 25-3031).
 */
function orderSuccessorsByTitle(snapshot: Snapshot, coder: Coder): void {
  const byCode = new Map(snapshot.entries.map((e) => [e.code, e]))
  const words = (t: string) => new Set(normalizeTitle(t, coder.lexicon).tokens)
  for (const e of snapshot.entries) {
    const a = e.alaska
    if (a?.status !== 'legacy' || a.successors.length < 2) continue
    const mine = words(e.title)
    // overlap of the official titles' words (Dice), then the coder's ranking of the title
    const dice = (code: string) => {
      const theirs = words(byCode.get(code)?.title ?? '')
      let shared = 0
      for (const w of mine) if (theirs.has(w)) shared++
      return (2 * shared) / (mine.size + theirs.size || 1)
    }
    const ranked = coder.rank(e.title, 50).candidates.map((c) => c.code.slice(0, 7))
    const pos = (c: string) => {
      const i = ranked.indexOf(c)
      return i < 0 ? Number.MAX_SAFE_INTEGER : i
    }
    ;(a as unknown as { successors: string[] }).successors = [...a.successors].sort(
      (x, y) => dice(y) - dice(x) || pos(x) - pos(y),
    )
  }
}

function norm(s: string): string {
  return s
    .toLowerCase()
    .replace(/[’'`]/g, "'")
    .replace(/[-‐–\s]+/g, ' ')
    .replace(/\bfirst line\b/g, 'first line')
    .trim()
}

/** Write a build atomically: each file goes to a temporary name first, meta.json last. */
export function writeBuild(buildDir: string, result: BuildResult): void {
  mkdirSync(buildDir, { recursive: true })
  const put = (name: string, value: unknown): void => {
    const tmp = join(buildDir, `.${name}.${process.pid}.tmp`)
    writeFileSync(tmp, value instanceof Uint8Array ? value : JSON.stringify(value))
    renameSync(tmp, join(buildDir, name))
  }
  put('taxonomy.json', result.snapshot)
  put('titles.json', result.titles)
  const coder = packCoderIndex(result.coder)
  put('coder.bin', coder.bin)
  put('coder.json', coder.json)
  put('meta.json', result.meta)
}
