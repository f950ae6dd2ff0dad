/**
 * Cross-references in SOC definitions: the "Includes ..." and "Excludes ..." sentences, and other
 * sentences that send a kind of worker to another code ("... are included in “X” (11-9111)").
 */
import type { CrossRef, CrossRefKind } from '../core/snapshot.ts'

const CODE = /\d{2}-\d{4}/g
const RANGE = /(\d{2}-\d{4})\s+(?:through|to|-|–)\s+(\d{2}-\d{4})/g
const QUOTED = /[“"]([^”"]+)[”"]/g

/** Split a definition into sentences, keeping quoted titles (which may hold periods) intact. */
export function splitSentences(text: string): string[] {
  const out: string[] = []
  let start = 0
  let inQuote = false
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]
    if (ch === '“') inQuote = true
    else if (ch === '”') inQuote = false
    else if (ch === '.' && !inQuote && (i === text.length - 1 || /\s/.test(text[i + 1] ?? ''))) {
      // a period inside "e.g." or an abbreviation followed by a lowercase word does not end a sentence
      const next = text.slice(i + 1).trimStart()[0] ?? ''
      if (next !== '' && /[a-z(]/.test(next)) continue
      out.push(text.slice(start, i + 1).trim())
      start = i + 1
    }
  }
  const rest = text.slice(start).trim()
  if (rest) out.push(rest)
  return out
}

/**
 * The cross-references of one definition. `codesInRange(a, b)` expands "a through b" to the codes
 * between them (the caller knows the taxonomy).
 */
export function parseCrossRefs(
  from: string,
  definition: string,
  codesInRange: (first: string, last: string) => readonly string[],
): CrossRef[] {
  const refs: CrossRef[] = []
  for (const sentence of splitSentences(definition)) {
    const codes = sentence.match(CODE)
    if (!codes) continue
    let kind: CrossRefKind = 'see'
    if (/^Excludes\b/i.test(sentence)) kind = 'excludes'
    else if (/^Includes\b/i.test(sentence)) kind = 'includes'
    const to: string[] = []
    const seen = new Set<string>()
    const add = (c: string): void => {
      if (c !== from && !seen.has(c)) {
        seen.add(c)
        to.push(c)
      }
    }
    let rest = sentence
    for (const m of sentence.matchAll(RANGE)) {
      const first = m[1] as string
      const last = m[2] as string
      add(first)
      for (const c of codesInRange(first, last)) add(c)
      add(last)
      rest = rest.replace(m[0], ' ')
    }
    for (const c of rest.match(CODE) ?? []) add(c)
    if (to.length === 0) continue
    const titles = [...sentence.matchAll(QUOTED)].map((m) => (m[1] as string).trim())
    refs.push({ from, kind, to, titles, text: sentence })
  }
  return refs
}
