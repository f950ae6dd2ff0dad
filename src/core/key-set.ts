/**
 * A set of person keys (non-negative integers below 2^53) in one Float64Array with open addressing:
 * a membership test over a million keys costs a few nanoseconds, where a JS Set of boxed doubles
 * costs a cache miss or two. Pure.
 */
export type KeySet = {
  has(key: number): boolean
  readonly size: number
  /**
   * the same for the same keys in any order (the size and two 32-bit sums of mixed keys): what is
   * worked out from a set can be reused for an equal one
   */
  readonly digest: string
}

const EMPTY = -1

function slot(key: number, mask: number): number {
  // mix the low and high 32 bits, then a multiplicative hash
  const lo = key >>> 0
  const hi = Math.floor(key / 4294967296) >>> 0
  return Math.imul(lo ^ Math.imul(hi, 0x9e3779b1), 0x85ebca6b) & mask
}

export function createKeySet(keys: Iterable<number>): KeySet {
  const list = Array.isArray(keys) ? (keys as number[]) : [...keys]
  let cap = 16
  while (cap < list.length * 1.5) cap *= 2 // load factor at most 2/3
  const mask = cap - 1
  const table = new Float64Array(cap).fill(EMPTY)
  let size = 0
  let sumA = 0
  let sumB = 0
  for (const k of list) {
    let i = slot(k, mask)
    for (;;) {
      const v = table[i] as number
      if (v === k) break
      if (v === EMPTY) {
        table[i] = k
        size++
        // each key counted once, in an order-free sum of two different mixes of it
        const lo = k >>> 0
        const hi = Math.floor(k / 4294967296) >>> 0
        sumA = (sumA + Math.imul(lo ^ Math.imul(hi, 0x85ebca6b), 0xcc9e2d51)) >>> 0
        sumB = (sumB + Math.imul(hi ^ Math.imul(lo, 0x27d4eb2f), 0x165667b1)) >>> 0
        break
      }
      i = (i + 1) & mask
    }
  }
  return {
    size,
    digest: `${size}:${sumA.toString(16)}:${sumB.toString(16)}`,
    has(key) {
      let i = slot(key, mask)
      for (;;) {
        const v = table[i] as number
        if (v === key) return true
        if (v === EMPTY) return false
        i = (i + 1) & mask
      }
    },
  }
}
