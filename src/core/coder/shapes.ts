/**
 * Empty arrays of the elements kind a filled one has. V8 gives an empty `[]` the map of an array
 * of small integers; code that reads arrays sometimes empty and sometimes filled then sees two maps
 * and is deoptimised and recompiled for the second ("wrong map"). Made by filling and emptying.
 */

/** an empty array of the elements kind an array of objects has */
export function objectArray<T>(): T[] {
  const a: unknown[] = [null]
  a.pop()
  return a as T[]
}

/** an empty array of numbers of the elements kind a filled one has (doubles) */
export function noNumbers(): number[] {
  const a = [0.5]
  a.pop()
  return a
}
