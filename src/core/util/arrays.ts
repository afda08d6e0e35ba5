// Array helpers that stay correct at any size.

/**
 * Appends every element of `items` to `target`. `target.push(...items)` passes each element as an
 * argument and overflows the stack above about 125,000 of them (a `route -n` of 130,000 rows).
 */
export function appendAll<T>(target: T[], items: readonly T[]): void {
  for (const item of items) target.push(item);
}

/** The least and greatest of `values` (`[Infinity, -Infinity]` when empty), without spreading them. */
export function minMax(values: Iterable<number>): [number, number] {
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return [min, max];
}
