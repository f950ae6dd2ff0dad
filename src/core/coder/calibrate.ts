/** Calibration: isotonic regression (pool adjacent violators) from raw scores to observed accuracy. */

export type Calibration = { readonly x: readonly number[]; readonly y: readonly number[] }

/**
 * Fit a non-decreasing map from raw probability to the share right, from (raw, right) pairs
 * (right: true/false, or the probability of being right).
 * Returns knots (the mean raw value of each pooled block, and its accuracy).
 */
export function fitIsotonic(
  points: readonly (readonly [number, boolean | number])[],
  minBlock = 20,
): Calibration {
  const sorted = [...points].sort((a, b) => a[0] - b[0])
  type Block = { sumX: number; sumY: number; n: number }
  // points at the same raw value are one block before any merging: the order of tied points
  // means nothing (when merging looked at a tie's first point alone, the fit depended on the order
  // the points came in)
  const tied: Block[] = []
  let prevX = Number.NaN
  for (const [x, ok] of sorted) {
    const y = typeof ok === 'number' ? ok : ok ? 1 : 0
    const last = tied[tied.length - 1]
    const same = x === prevX
    prevX = x
    if (last && same) {
      last.sumX += x
      last.sumY += y
      last.n++
    } else tied.push({ sumX: x, sumY: y, n: 1 })
  }
  const blocks: Block[] = []
  for (const t of tied) {
    blocks.push(t)
    // merge while the last block violates monotonicity or is too small to trust
    while (blocks.length > 1) {
      const b = blocks[blocks.length - 1] as Block
      const a = blocks[blocks.length - 2] as Block
      if (a.sumY / a.n >= b.sumY / b.n || a.n < minBlock) {
        a.sumX += b.sumX
        a.sumY += b.sumY
        a.n += b.n
        blocks.pop()
      } else break
    }
  }
  // a small last block joins its neighbour
  while (blocks.length > 1 && (blocks[blocks.length - 1] as Block).n < minBlock) {
    const b = blocks.pop() as Block
    const a = blocks[blocks.length - 1] as Block
    a.sumX += b.sumX
    a.sumY += b.sumY
    a.n += b.n
  }
  // re-run the violator pass after the merges
  const out: Block[] = []
  for (const b of blocks) {
    out.push({ ...b })
    while (out.length > 1) {
      const y = out[out.length - 1] as Block
      const x = out[out.length - 2] as Block
      if (x.sumY / x.n >= y.sumY / y.n) {
        x.sumX += y.sumX
        x.sumY += y.sumY
        x.n += y.n
        out.pop()
      } else break
    }
  }
  return {
    x: out.map((b) => round(b.sumX / b.n)),
    y: out.map((b) => round(b.sumY / b.n)),
  }
}

/** Map a raw value through the fitted knots (linear between knots, flat beyond them). */
export function applyCalibration(cal: Calibration | null, raw: number): number {
  if (!cal || cal.x.length === 0) return raw
  const { x, y } = cal
  if (raw <= (x[0] as number)) return y[0] as number
  const last = x.length - 1
  if (raw >= (x[last] as number)) return y[last] as number
  let lo = 0
  let hi = last
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1
    if ((x[mid] as number) <= raw) lo = mid
    else hi = mid
  }
  const x0 = x[lo] as number
  const x1 = x[hi] as number
  const t = x1 === x0 ? 0 : (raw - x0) / (x1 - x0)
  return (y[lo] as number) + t * ((y[hi] as number) - (y[lo] as number))
}

/** Expected calibration error over equal-width bins of confidence. */
export function expectedCalibrationError(
  points: readonly (readonly [number, boolean])[],
  bins = 10,
): number {
  const sums = Array.from({ length: bins }, () => ({ conf: 0, ok: 0, n: 0 }))
  for (const [c, ok] of points) {
    const b = sums[Math.min(bins - 1, Math.floor(c * bins))] as {
      conf: number
      ok: number
      n: number
    }
    b.conf += c
    b.ok += ok ? 1 : 0
    b.n++
  }
  let ece = 0
  for (const b of sums) if (b.n) ece += (b.n / points.length) * Math.abs(b.conf / b.n - b.ok / b.n)
  return ece
}

function round(x: number): number {
  return Math.round(x * 10000) / 10000
}
