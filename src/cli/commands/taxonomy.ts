/** soc show / list / rules / check-code */
import { checkCode } from '../../core/check-code.ts'
import { describeEntry } from '../../core/describe.ts'
import { NotFoundError } from '../../core/errors.ts'
import { CODING_RULES } from '../../core/rules.ts'
import type { Entry } from '../../core/snapshot.ts'
import type { Taxonomy, TreeNode } from '../../core/taxonomy.ts'
import { openTaxonomy } from '../context.ts'
import type { Io } from '../io.ts'
import type { ParsedArgs } from '../main.ts'
import { UsageError } from '../main.ts'

const json = (io: Io, value: unknown): void => io.stdout(`${JSON.stringify(value, null, 2)}\n`)

function entryOrThrow(t: Taxonomy, code: string): Entry {
  const e = t.get(code)
  if (e) return e
  const v = checkCode(code, t)
  throw new NotFoundError(
    v.message,
    v.suggestions.map((s) => s.code),
  )
}

export async function runShow(args: ParsedArgs, io: Io): Promise<number> {
  const code = args.positionals[0]
  if (code === undefined || args.positionals.length > 1)
    throw new UsageError('show takes one code, e.g. soc show 11-1021')
  const t = await openTaxonomy(args, io)
  const e = entryOrThrow(t, code)
  const d = describeEntry(t, e)
  if (args.json) {
    json(io, d)
    return 0
  }
  const lines: string[] = []
  lines.push(d.breadcrumb.map((b) => `${b.code} ${b.title}`).join(' > '))
  lines.push('')
  if (d.broadGroup) lines.push(`Broad Group: ${t.get(d.broadGroup)?.title ?? d.broadGroup}`)
  lines.push(
    `SOC Code: ${e.code} ${e.stateTitle ?? e.title}${e.alaska ? `   [Alaska ${e.alaska.status} code]` : ''}`,
  )
  lines.push(`Level: ${e.level}${d.reportable ? ' (reportable)' : ' (not reportable)'}`)
  if (e.alaska?.status === 'legacy')
    lines.push(
      `Legacy SOC 2010 code: report ${e.alaska.successors[0]} instead${e.alaska.successors.length > 1 ? ` (best match by title; other successors: ${e.alaska.successors.slice(1).join(', ')})` : ''}`,
    )
  if (d.description) lines.push('SOC Description', wrap(d.description))
  if (d.examples.length > 0) lines.push('SOC Example', wrap(d.examples.join(', ')))
  if (d.children.length > 0) {
    lines.push('Contains')
    for (const c of d.children) lines.push(`  ${c.code} ${c.title}`)
  }
  for (const r of d.crossReferences.outgoing)
    lines.push(
      `${r.kind === 'see' ? 'See also' : r.kind[0]?.toUpperCase() + r.kind.slice(1)}: ${r.codes.join(', ')}`,
    )
  const inc = [...new Set(d.crossReferences.incoming.map((r) => `${r.from} (${r.kind})`))]
  if (inc.length > 0) lines.push(`Referenced by: ${inc.join(', ')}`)
  if (e.education)
    lines.push(
      `Typical education: ${e.education.typical}; experience: ${e.education.experience}; training: ${e.education.training}`,
    )
  if (e.employment) {
    const emp = e.employment.employment2024
    const wage = e.employment.medianWage
    const shared = e.employment.aggregate
      ? ` (figures for ${e.employment.aggregate}, shared with ${e.employment.aggregateCodes.join(', ')})`
      : ''
    lines.push(
      `National employment 2024: ${emp === null ? 'n/a' : thousands(emp)}; median annual wage: ${wage === null ? 'n/a' : `$${thousands(wage)}${e.employment.medianWageTopCoded ? ' or more' : ''}`}${shared}`,
    )
  }
  io.stdout(`${lines.join('\n')}\n`)
  return 0
}

/** 1234567 -> "1,234,567" without Intl, whose first use costs ~14 ms of a cold start. */
function thousands(n: number): string {
  return String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',')
}

function wrap(text: string, width = 100): string {
  const out: string[] = []
  let line = ''
  for (const word of text.split(' ')) {
    if (line && line.length + word.length + 1 > width) {
      out.push(line)
      line = word
    } else line = line ? `${line} ${word}` : word
  }
  if (line) out.push(line)
  return out.map((l) => `  ${l}`).join('\n')
}

function flatten(
  nodes: readonly TreeNode[],
  out: { code: string; level: string; title: string; parent: string | null }[],
  parent: string | null,
): void {
  for (const n of nodes) {
    out.push({ code: n.code, level: n.level, title: n.title, parent })
    flatten(n.children, out, n.code)
  }
}

function printTree(nodes: readonly TreeNode[], io: Io, depth = 0): void {
  for (const n of nodes) {
    io.stdout(
      `${'  '.repeat(depth)}${n.code} ${n.title}${n.level === 'extension' ? '  [Alaska]' : ''}\n`,
    )
    printTree(n.children, io, depth + 1)
  }
}

export async function runList(args: ParsedArgs, io: Io): Promise<number> {
  if (args.positionals.length > 1)
    throw new UsageError('list takes at most one group code, e.g. soc list 11-0000')
  const t = await openTaxonomy(args, io)
  const group = args.positionals[0]
  if (group !== undefined) {
    const e = entryOrThrow(t, group)
    const tree = t.tree(e.code)
    if (args.json) {
      const nodes: { code: string; level: string; title: string; parent: string | null }[] = []
      flatten(tree, nodes, e.parent)
      json(io, { group: e.code, nodes, tree })
    } else printTree(tree, io)
    return 0
  }
  if (args.all) {
    const nodes: { code: string; level: string; title: string; parent: string | null }[] = []
    flatten(t.tree(), nodes, null)
    if (args.json) json(io, { counts: t.counts(), nodes })
    else printTree(t.tree(), io)
    return 0
  }
  const majors = t.majorGroups().map((m) => ({
    code: m.code,
    title: m.title,
    reportable: t.groupEntries(m.code).filter((x) => t.isReportable(x.code)).length,
  }))
  if (args.json) json(io, majors)
  else for (const m of majors) io.stdout(`${m.code}  ${m.title} (${m.reportable} codes)\n`)
  return 0
}

export async function runRules(args: ParsedArgs, io: Io): Promise<number> {
  if (args.json) json(io, CODING_RULES)
  else for (const r of CODING_RULES) io.stdout(`${r.title}\n${wrap(r.text)}\n\n`)
  return 0
}

export async function runCheckCode(args: ParsedArgs, io: Io): Promise<number> {
  if (args.positionals.length === 0)
    throw new UsageError('check-code takes one or more codes, e.g. soc check-code 11-1021 15-1132')
  const t = await openTaxonomy(args, io)
  const verdicts = args.positionals.map((c) => checkCode(c, t))
  if (args.json) json(io, verdicts)
  else {
    for (const v of verdicts) {
      io.stdout(`${v.ok ? 'ok     ' : 'not ok '} ${v.message}\n`)
      if (!v.ok && v.suggestions.length > 0 && v.kind !== 'unknown') {
        for (const s of v.suggestions) io.stdout(`          ${s.code} ${s.title}\n`)
      }
    }
  }
  return verdicts.every((v) => v.ok) ? 0 : 1
}
