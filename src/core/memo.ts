/**
 * A pure function of an owner object (a taxonomy, a lexicon) and a string, remembered per owner:
 * each owner's answers are kept in a map of at most `max` entries, cleared when it is full (the
 * inputs of a file repeat; an unbounded map would grow with a stream of distinct ones).
 */
export function memoPerOwner<O extends object, V>(
  max: number,
  compute: (owner: O, key: string) => V,
): (owner: O, key: string) => V {
  const byOwner = new WeakMap<O, Map<string, V>>()
  return (owner, key) => {
    let memo = byOwner.get(owner)
    if (memo === undefined) {
      memo = new Map()
      byOwner.set(owner, memo)
    }
    let v = memo.get(key)
    if (v === undefined) {
      v = compute(owner, key)
      if (memo.size >= max) memo.clear()
      memo.set(key, v)
    }
    return v
  }
}
