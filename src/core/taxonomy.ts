/** The taxonomy API: lookups over the compiled snapshot. Pure; build once, then read-only. */
import type { Level } from './codes.ts'
import { parseCode } from './codes.ts'
import type { CrossRef, Entry, Snapshot, Soc2010Code } from './snapshot.ts'

export type TreeNode = {
  readonly code: string
  readonly level: Level
  readonly title: string
  readonly children: readonly TreeNode[]
}

export type CrossRefs = {
  /** references this entry's definition makes */
  readonly outgoing: readonly CrossRef[]
  /** references other definitions make to this entry (or to a group containing it) */
  readonly incoming: readonly CrossRef[]
}

export type LevelCounts = Readonly<Record<Level, number>>

export type Taxonomy = {
  readonly snapshot: Snapshot
  /** every entry in SOC order (extensions right after their parent) */
  readonly entries: readonly Entry[]
  /** the entry for a canonical code, or undefined; accepts any form parseCode accepts */
  get(code: string): Entry | undefined
  has(code: string): boolean
  parent(code: string): Entry | undefined
  /** direct children, in page order */
  children(code: string): readonly Entry[]
  /** major > minor > broad > detailed (> extension), ending with the entry itself */
  ancestors(code: string): readonly Entry[]
  /** the other children of the entry's parent, in page order */
  siblings(code: string): readonly Entry[]
  /** the 23 major groups, as in the state page's drop-down */
  majorGroups(): readonly Entry[]
  /** the reportable entries (detailed and extension) under a group, in the state page's order */
  groupEntries(code: string): readonly Entry[]
  /** a group as a tree, children in page order */
  tree(code?: string): readonly TreeNode[]
  crossRefs(code: string): CrossRefs
  /** SOC 2010 code, when the code was a SOC 2010 detailed code */
  soc2010(code: string): Soc2010Code | undefined
  naicsTitle(code: string): string | undefined
  counts(): LevelCounts
  /** detailed codes and current Alaska extensions: what an employer may report */
  isReportable(code: string): boolean
  /** the reportable codes, in SOC order */
  reportableCodes(): readonly string[]
}

function canonical(code: string): string {
  const r = parseCode(code)
  return r.ok ? r.value.code : code
}

export function createTaxonomy(snapshot: Snapshot): Taxonomy {
  const byCode = new Map<string, Entry>()
  const kids = new Map<string, Entry[]>()
  for (const e of snapshot.entries) byCode.set(e.code, e)
  for (const e of snapshot.entries) {
    if (e.parent === null) continue
    let list = kids.get(e.parent)
    if (!list) {
      list = []
      kids.set(e.parent, list)
    }
    list.push(e)
  }
  for (const list of kids.values()) list.sort((a, b) => a.order - b.order)
  const majors = snapshot.entries.filter((e) => e.level === 'major')

  const outgoing = new Map<string, CrossRef[]>()
  const incoming = new Map<string, CrossRef[]>()
  for (const ref of snapshot.crossRefs) {
    push(outgoing, ref.from, ref)
    for (const to of new Set(ref.to)) push(incoming, to, ref)
  }

  const get = (code: string): Entry | undefined => byCode.get(code) ?? byCode.get(canonical(code))
  const children = (code: string): readonly Entry[] => {
    const e = get(code)
    return e ? (kids.get(e.code) ?? []) : []
  }
  const ancestors = (code: string): readonly Entry[] => {
    const chain: Entry[] = []
    let e = get(code)
    while (e) {
      chain.unshift(e)
      e = e.parent === null ? undefined : byCode.get(e.parent)
    }
    return chain
  }
  const isReportable = (code: string): boolean => {
    const e = get(code)
    if (!e) return false
    if (e.level === 'detailed') return true
    return e.level === 'extension' && e.alaska?.status === 'current'
  }
  const toTree = (e: Entry): TreeNode => ({
    code: e.code,
    level: e.level,
    title: e.title,
    children: (kids.get(e.code) ?? []).map(toTree),
  })
  const leavesOf = (e: Entry, out: Entry[]): void => {
    for (const c of kids.get(e.code) ?? []) {
      if (c.level === 'detailed' || c.level === 'extension') out.push(c)
      leavesOf(c, out)
    }
  }
  let countsCache: LevelCounts | null = null
  let reportable: readonly string[] | null = null

  return {
    snapshot,
    entries: snapshot.entries,
    get,
    has: (code) => get(code) !== undefined,
    parent: (code) => {
      const e = get(code)
      return e?.parent ? byCode.get(e.parent) : undefined
    },
    children,
    ancestors,
    siblings: (code) => {
      const e = get(code)
      if (!e) return []
      const list = e.parent === null ? majors : (kids.get(e.parent) ?? [])
      return list.filter((s) => s.code !== e.code)
    },
    majorGroups: () => majors,
    groupEntries: (code) => {
      const e = get(code)
      if (!e) return []
      const out: Entry[] = []
      leavesOf(e, out)
      return out.sort((a, b) => a.order - b.order)
    },
    tree: (code) => {
      if (code === undefined) return majors.map(toTree)
      const e = get(code)
      return e ? [toTree(e)] : []
    },
    crossRefs: (code) => {
      const chain = ancestors(code)
      const self = chain[chain.length - 1]
      if (!self) return { outgoing: [], incoming: [] }
      const inc: CrossRef[] = []
      for (const a of chain) for (const r of incoming.get(a.code) ?? []) inc.push(r)
      return { outgoing: outgoing.get(self.code) ?? [], incoming: inc }
    },
    soc2010: (code) => snapshot.soc2010[canonical(code)],
    naicsTitle: (code) => snapshot.naics[code.trim()],
    counts: () => {
      if (!countsCache) {
        const c: Record<Level, number> = { major: 0, minor: 0, broad: 0, detailed: 0, extension: 0 }
        for (const e of snapshot.entries) c[e.level]++
        countsCache = c
      }
      return countsCache
    },
    isReportable,
    reportableCodes: () => {
      if (!reportable)
        reportable = snapshot.entries.filter((e) => isReportable(e.code)).map((e) => e.code)
      return reportable
    },
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key)
  if (list) list.push(value)
  else map.set(key, [value])
}
