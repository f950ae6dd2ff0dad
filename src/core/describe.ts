/** An entry described for display: breadcrumb, links both ways, education, employment, nearest codes. */
import { nearestCodes } from './check-code.ts'
import type { Entry } from './snapshot.ts'
import type { Taxonomy } from './taxonomy.ts'

/** The whole description of an entry, as `soc show --json` and `GET /api/codes/{code}` give it. */
export function describeEntry(t: Taxonomy, e: Entry) {
  const refs = t.crossRefs(e.code)
  const chain = t.ancestors(e.code)
  return {
    code: e.code,
    level: e.level,
    title: e.title,
    parent: e.parent,
    broadGroup: chain.find((a) => a.level === 'broad')?.code ?? null,
    breadcrumb: chain.map((a) => ({ code: a.code, level: a.level, title: a.title })),
    reportable: t.isReportable(e.code),
    alaska: e.alaska,
    description: e.stateDescription ?? e.definition,
    nationalDefinition: e.definition,
    stateDescription: e.stateDescription,
    stateTitle: e.stateTitle,
    examples: e.examples,
    examplesSource: e.examplesSource,
    children: t.children(e.code).map((c) => ({ code: c.code, level: c.level, title: c.title })),
    crossReferences: {
      outgoing: refs.outgoing.map((r) => ({ kind: r.kind, codes: r.to, text: r.text })),
      incoming: refs.incoming.map((r) => ({ kind: r.kind, from: r.from, text: r.text })),
    },
    education: e.education,
    employment: e.employment,
    census: e.census,
    onet: e.onet,
    cip: e.cip.map((c) => ({ code: c, title: t.snapshot.cipTitles[c] ?? null })),
    confusedWith: confusedWith(t, e),
  }
}

/**
 * Codes people confuse with this one: those its definition excludes or that exclude it, then its
 * siblings in the broad group, then the nearest codes by digits.
 */
export function confusedWith(
  t: Taxonomy,
  e: Entry,
): { code: string; title: string; why: string }[] {
  const out = new Map<string, { code: string; title: string; why: string }>()
  const add = (code: string, why: string) => {
    const x = t.get(code)
    if (!x || x.code === e.code || out.has(x.code) || !t.isReportable(x.code)) return
    out.set(x.code, { code: x.code, title: x.title, why })
  }
  const refs = t.crossRefs(e.code)
  for (const r of refs.outgoing)
    if (r.kind === 'excludes') for (const c of r.to) add(c, 'excluded by its definition')
  for (const r of refs.incoming)
    if (r.kind === 'excludes') add(r.from, 'its definition excludes this one')
  for (const s of t.siblings(e.code)) add(s.code, 'same broad group')
  for (const n of nearestCodes(e.code, t, 3)) add(n.code, 'nearby code')
  return [...out.values()].slice(0, 8)
}
