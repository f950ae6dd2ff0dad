/**
 * Confidentiality of published tables: primary suppression (too few employers, or one employer with
 * most of the workers) and complementary suppression, so that no suppressed value can be recovered
 * from the published cells and totals. Pure.
 *
 * A table is a grid of cells with a total column and a total row (`rows` x `cols`, the last row and
 * the last column being the totals). Every line adds up to its total, so a suppressed cell could be
 * derived when its line holds no other unknown. For a two-way table the equations are the incidence
 * matrix of a bipartite graph (a node per row and per column, an edge per suppressed cell): a
 * suppressed cell can be derived exactly when its edge is a bridge of that graph. Complementary
 * suppression therefore closes every bridge into a cycle, choosing the cheapest cells (fewest
 * workers, totals last). A one-way table (a single column with its total) needs two unknowns.
 */

export type SuppressionRule = {
  /** cells with fewer distinct employers are suppressed; default 3 */
  readonly minEmployers: number
  /** cells where one employer has more than this share of the workers are suppressed; default 0.5 */
  readonly maxEmployerShare: number
}

export const DEFAULT_SUPPRESSION_RULE: SuppressionRule = { minEmployers: 3, maxEmployerShare: 0.5 }

export type SuppressionReason = 'employers' | 'dominance' | 'complementary'

export type CellFacts = {
  /** the value published (workers); 0 means an empty cell, which is public and never suppressed */
  readonly value: number
  readonly employers: number
  /** the largest share of the cell's value that one employer holds, 0..1 */
  readonly topShare: number
  /** published elsewhere (its value can be read off another table): never a complementary cell */
  readonly fixed?: boolean
}

/** The primary reason to suppress a cell, or null. */
export function primaryReason(c: CellFacts, rule: SuppressionRule): SuppressionReason | null {
  if (c.value <= 0) return null
  if (c.employers < rule.minEmployers) return 'employers'
  if (c.topShare > rule.maxEmployerShare) return 'dominance'
  return null
}

/**
 * Suppression for a grid: `cells[r][c]` with the totals in the last row and the last column.
 * Returns a grid of reasons (null = published). A grid with one column is a one-way table.
 */
export function suppressTable(
  cells: readonly (readonly CellFacts[])[],
  rule: SuppressionRule = DEFAULT_SUPPRESSION_RULE,
  /** cells already suppressed (by another table that shares them), kept and built on */
  seed?: readonly (readonly (SuppressionReason | null)[])[],
): (SuppressionReason | null)[][] {
  const out: (SuppressionReason | null)[][] = cells.map((row, r) =>
    row.map((c, j) => seed?.[r]?.[j] ?? primaryReason(c, rule)),
  )
  closeGrid(cells, out)
  return out
}

/**
 * Adds complementary cells to `out` (the grid's reasons, primary ones included) until no suppressed
 * cell can be derived from the grid's sums. Changes `out` in place; returns the rows it changed.
 */
function closeGrid(
  cells: readonly (readonly CellFacts[])[],
  out: readonly (SuppressionReason | null)[][],
): number[] {
  const R = cells.length
  const C = cells[0]?.length ?? 0
  const changed: number[] = []
  if (R === 0 || C === 0) return changed
  const value = (r: number, c: number) => cells[r]?.[c]?.value ?? 0
  const isSet = (r: number, c: number) => out[r]?.[c] != null
  const mark = (r: number, c: number) => {
    const row = out[r]
    if (row && row[c] == null) {
      row[c] = 'complementary'
      if (!changed.includes(r)) changed.push(r)
    }
  }
  // a total costs more to hide than any cell: it is what readers most need
  const BIG = 1e12
  const cost = (r: number, c: number) => {
    if (isSet(r, c)) return 0
    const v = value(r, c)
    if (v <= 0 || cells[r]?.[c]?.fixed) return Number.POSITIVE_INFINITY
    return (r === R - 1 ? BIG : 0) + (c === C - 1 ? BIG : 0) + v
  }
  if (C === 1) {
    // one line: the cells add up to the total; one unknown alone is derivable
    const hidden = out.filter((row) => row[0] != null).length
    if (hidden === 1) {
      let best = -1
      for (let r = 0; r < R; r++)
        if (
          !isSet(r, 0) &&
          cost(r, 0) < Number.POSITIVE_INFINITY &&
          (best < 0 || cost(r, 0) < cost(best, 0))
        )
          best = r
      if (best >= 0) mark(best, 0)
    }
    return changed
  }
  // two-way: close every bridge of the suppressed-cell graph into a 4-cycle
  for (let guard = 0; guard < R * C; guard++) {
    const bridge = findBridge(out, R, C)
    if (!bridge) break
    const [r0, c0] = bridge
    let best: [number, number] | null = null
    let bestCost = Number.POSITIVE_INFINITY
    for (let r = 0; r < R; r++) {
      if (r === r0) continue
      const a = cost(r, c0)
      if (a === Number.POSITIVE_INFINITY) continue
      for (let c = 0; c < C; c++) {
        if (c === c0) continue
        const total = a + cost(r0, c) + cost(r, c)
        if (total < bestCost) {
          bestCost = total
          best = [r, c]
        }
      }
    }
    if (!best) break // cannot happen while the totals hold the cells' sums
    mark(best[0], c0)
    mark(r0, best[1])
    mark(best[0], best[1])
  }
  return changed
}

/** A parent line and the lines of its children (indexes into the hierarchy's lines). */
export type Family = { readonly parent: number; readonly children: readonly number[] }

/**
 * Suppression for tables that may be published together: occupations at every level of the
 * classification and the grand total. Each node of the hierarchy has a line of cells (one per
 * column, the total last), and each family (a group, or the grand total, and its members at one
 * level below it: every table that can be asked for) is a two-way table whose total row is the
 * group's line. Family by family, each seeded with what the others suppressed, cells are added until
 * no family has a suppressed cell that its own sums reveal (the approach of tau-ARGUS's HITAS for
 * hierarchical tables). Every table is then safe on its own, tables agree on what they hide, and a
 * group's line read with its members' gives nothing away. Returns a line of reasons per node
 * (null = published).
 */
export function suppressHierarchy(
  lines: readonly (readonly CellFacts[])[],
  families: readonly Family[],
  rule: SuppressionRule = DEFAULT_SUPPRESSION_RULE,
  /** cells to suppress from the start, besides the primary ones */
  seed?: readonly (readonly (SuppressionReason | null)[])[],
  /**
   * with a seed that was closed already but for some cells added since, the lines of those cells:
   * only their families need another look (default: every line with a suppressed cell)
   */
  changedLines?: readonly number[],
): (SuppressionReason | null)[][] {
  const out = lines.map((line, i) => line.map((c, j) => seed?.[i]?.[j] ?? primaryReason(c, rule)))
  const dirty = new Uint8Array(lines.length)
  if (changedLines) for (const i of changedLines) dirty[i] = 1
  else
    out.forEach((line, i) => {
      if (line.some((x) => x != null)) dirty[i] = 1
    })
  // small families first: what they add is then in place when the large ones are closed, which
  // takes fewer passes. A family need only be looked at again when one of its lines changed.
  const order = [...families].sort((a, b) => a.children.length - b.children.length)
  for (let changed = true; changed; ) {
    changed = false
    for (const f of order) {
      const rows = [...f.children, f.parent]
      if (!rows.some((r) => dirty[r] === 1)) continue
      if (f.children.length > 0) {
        // the family's lines are closed in place (they hold the primary cells already)
        const grid = rows.map((r) => out[r] as (SuppressionReason | null)[])
        for (const i of closeGrid(
          rows.map((r) => lines[r] as CellFacts[]),
          grid,
        )) {
          dirty[rows[i] as number] = 2
          changed = true
        }
        continue
      }
      const line = lineAlone(lines[f.parent] as CellFacts[], out[f.parent] ?? [], rule)
      const have = out[f.parent] as (SuppressionReason | null)[]
      line.forEach((why, c) => {
        if (why != null && have[c] == null) {
          have[c] = why
          dirty[f.parent] = 2
          changed = true
        }
      })
    }
    // lines changed in this pass are looked at in the next one
    for (let i = 0; i < dirty.length; i++) dirty[i] = dirty[i] === 2 ? 1 : 0
  }
  return out
}

/** A line with no family: its cells add up to its total (the last), as a one-way table. */
function lineAlone(
  line: readonly CellFacts[],
  seed: readonly (SuppressionReason | null)[],
  rule: SuppressionRule,
): (SuppressionReason | null)[] {
  const column = suppressTable(
    line.map((c) => [c]),
    rule,
    seed.map((why) => [why]),
  )
  return column.map((cell) => cell[0] ?? null)
}

/** One suppressed cell whose edge is a bridge (so it can be derived), or null. Tarjan's bridges. */
function findBridge(
  out: readonly (readonly (SuppressionReason | null)[])[],
  R: number,
  C: number,
): [number, number] | null {
  // nodes 0..R-1 rows, R..R+C-1 columns; edges are suppressed cells, as adjacency lists in flat arrays
  const n = R + C
  const start = new Int32Array(n + 1)
  let edges = 0
  for (let r = 0; r < R; r++) {
    const row = out[r] as readonly (SuppressionReason | null)[]
    for (let c = 0; c < C; c++)
      if (row[c] != null) {
        start[r + 1] = (start[r + 1] as number) + 1
        start[R + c + 1] = (start[R + c + 1] as number) + 1
        edges++
      }
  }
  if (edges === 0) return null
  for (let i = 0; i < n; i++) start[i + 1] = (start[i + 1] as number) + (start[i] as number)
  const fill = start.slice(0, n)
  const to = new Int32Array(2 * edges)
  const edgeKey = new Int32Array(2 * edges)
  for (let r = 0; r < R; r++) {
    const row = out[r] as readonly (SuppressionReason | null)[]
    for (let c = 0; c < C; c++)
      if (row[c] != null) {
        const key = r * C + c
        let at = fill[r] as number
        to[at] = R + c
        edgeKey[at] = key
        fill[r] = at + 1
        at = fill[R + c] as number
        to[at] = r
        edgeKey[at] = key
        fill[R + c] = at + 1
      }
  }
  const disc = new Int32Array(n).fill(-1)
  const low = new Int32Array(n)
  // the DFS stack: node, the key of the edge it was reached by, its next neighbour
  const stackNode = new Int32Array(n)
  const stackEdge = new Int32Array(n)
  const stackNext = new Int32Array(n)
  let time = 0
  for (let s = 0; s < n; s++) {
    if (disc[s] !== -1 || start[s] === start[s + 1]) continue
    let depth = 0
    stackNode[0] = s
    stackEdge[0] = -1
    stackNext[0] = start[s] as number
    disc[s] = low[s] = time++
    while (depth >= 0) {
      const u = stackNode[depth] as number
      const next = stackNext[depth] as number
      if (next < (start[u + 1] as number)) {
        stackNext[depth] = next + 1
        const key = edgeKey[next] as number
        if (key === stackEdge[depth]) continue
        const v = to[next] as number
        if (disc[v] === -1) {
          disc[v] = low[v] = time++
          depth++
          stackNode[depth] = v
          stackEdge[depth] = key
          stackNext[depth] = start[v] as number
        } else if ((disc[v] as number) < (low[u] as number)) low[u] = disc[v] as number
      } else {
        depth--
        if (depth >= 0) {
          const p = stackNode[depth] as number
          if ((low[u] as number) < (low[p] as number)) low[p] = low[u] as number
          if ((low[u] as number) > (disc[p] as number)) {
            const pe = stackEdge[depth + 1] as number
            return [Math.floor(pe / C), pe % C]
          }
        }
      }
    }
  }
  return null
}
