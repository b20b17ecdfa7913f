/**
 * Small statistics for the benchmark: medians over rounds and the rotation that gives each method every position.
 */

/** A figure over rounds: its median, its worst and best round, and every value. */
export interface Figures {
  readonly median: number;
  readonly worst: number;
  readonly best: number;
  readonly values: readonly number[];
}

/** The median of `values` (the mean of the two middle ones for an even count); NaN for none. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** `items` rotated left by `round`, so over as many rounds as items each one runs first once. */
export function rotate<T>(items: readonly T[], round: number): T[] {
  const shift = round % items.length;
  return [...items.slice(shift), ...items.slice(0, shift)];
}
