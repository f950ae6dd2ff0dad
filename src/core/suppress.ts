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
): (SuppressionReason | null)[][] {
  const R = cells.length
  const C = cells[0]?.length ?? 0
  const out: (SuppressionReason | null)[][] = cells.map((row) =>
    row.map((c) => primaryReason(c, rule)),
  )
  if (R === 0 || C === 0) return out
  const value = (r: number, c: number) => cells[r]?.[c]?.value ?? 0
  const isSet = (r: number, c: number) => out[r]?.[c] != null
  const mark = (r: number, c: number) => {
    const row = out[r]
    if (row && row[c] == null) row[c] = 'complementary'
  }
  // a total costs more to hide than any cell: it is what readers most need
  const BIG = 1e12
  const cost = (r: number, c: number) => {
    if (isSet(r, c)) return 0
    const v = value(r, c)
    if (v <= 0) return Number.POSITIVE_INFINITY
    return (r === R - 1 ? BIG : 0) + (c === C - 1 ? BIG : 0) + v
  }
  if (C === 1) {
    // one line: the cells add up to the total; one unknown alone is derivable
    const hidden = out.filter((row) => row[0] != null).length
    if (hidden === 1) {
      let best = -1
      for (let r = 0; r < R; r++)
        if (!isSet(r, 0) && value(r, 0) > 0 && (best < 0 || cost(r, 0) < cost(best, 0))) best = r
      if (best >= 0) mark(best, 0)
    }
    return out
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
  return out
}

/** One suppressed cell whose edge is a bridge (so it can be derived), or null. Tarjan's bridges. */
function findBridge(
  out: readonly (readonly (SuppressionReason | null)[])[],
  R: number,
  C: number,
): [number, number] | null {
  // nodes 0..R-1 rows, R..R+C-1 columns; edges are suppressed cells
  const n = R + C
  const adj: [number, number, number][][] = Array.from({ length: n }, () => [])
  let edges = 0
  for (let r = 0; r < R; r++)
    for (let c = 0; c < C; c++)
      if (out[r]?.[c] != null) {
        adj[r]?.push([R + c, r, c])
        adj[R + c]?.push([r, r, c])
        edges++
      }
  if (edges === 0) return null
  const disc = new Int32Array(n).fill(-1)
  const low = new Int32Array(n)
  let time = 0
  for (let s = 0; s < n; s++) {
    if (disc[s] !== -1 || (adj[s]?.length ?? 0) === 0) continue
    // iterative DFS: [node, parent edge key, next neighbour index]
    const stack: [number, number, number][] = [[s, -1, 0]]
    disc[s] = low[s] = time++
    while (stack.length) {
      const top = stack[stack.length - 1] as [number, number, number]
      const [u, pe] = top
      const list = adj[u] ?? []
      if (top[2] < list.length) {
        const [v, r, c] = list[top[2]++] as [number, number, number]
        const key = r * C + c
        if (key === pe) continue
        if (disc[v] === -1) {
          disc[v] = low[v] = time++
          stack.push([v, key, 0])
        } else low[u] = Math.min(low[u] as number, disc[v] as number)
      } else {
        stack.pop()
        const parent = stack[stack.length - 1]
        if (parent) {
          const p = parent[0]
          low[p] = Math.min(low[p] as number, low[u] as number)
          if ((low[u] as number) > (disc[p] as number)) return [Math.floor(pe / C), pe % C]
        }
      }
    }
  }
  return null
}
