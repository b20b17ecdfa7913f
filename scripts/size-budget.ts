/**
 * The size budget of what a page downloads: gzipped sizes of the built files, compared with the limits the README
 * states. Sizes are gzip level 9 (as `gzip -9` and most CDNs' precompression), in kB of 1000 bytes.
 */
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

/** One measured file. */
export interface MeasuredEntry {
  /** What it is, for people ("element bundle, without the worker"). */
  readonly label: string;
  readonly file: string;
  readonly bytes: number;
  readonly gzipBytes: number;
  /** Most gzipped bytes allowed; none: shown, not limited. */
  readonly budgetBytes?: number | undefined;
}

/** The limits: element bundle 30 kB, engine alone 12 kB (gzipped). */
export const BUDGET_BYTES = { element: 30_000, engine: 12_000 } as const;

/** Gzipped size of a file's contents. */
export function gzipSize(contents: Uint8Array | string): number {
  return gzipSync(contents, { level: 9 }).length;
}

/** Measures `file`. */
export function measure(label: string, file: string, budgetBytes?: number): MeasuredEntry {
  const contents = readFileSync(file);
  return { label, file, bytes: contents.length, gzipBytes: gzipSize(contents), budgetBytes };
}

/** Bytes as kB with one decimal. */
export function kB(bytes: number): string {
  return `${(bytes / 1000).toFixed(1)} kB`;
}

/** A table of the entries, one line each. */
export function sizeTable(entries: readonly MeasuredEntry[]): string {
  const width = Math.max(...entries.map((e) => e.label.length));
  return entries.map((e) => `${e.label.padEnd(width)}  ${kB(e.gzipBytes).padStart(8)} gzipped  ${kB(e.bytes).padStart(9)} raw`
    + `${e.budgetBytes === undefined ? '' : `  (budget ${kB(e.budgetBytes)}${e.gzipBytes > e.budgetBytes ? ', OVER' : ''})`}  ${e.file}`).join('\n');
}

/** The entries past their budget, each as a sentence; empty when all fit. */
export function overBudget(entries: readonly MeasuredEntry[]): string[] {
  return entries.filter((e) => e.budgetBytes !== undefined && e.gzipBytes > e.budgetBytes)
    .map((e) => `${e.label} is ${kB(e.gzipBytes)} gzipped, over its budget of ${kB(e.budgetBytes!)} (${e.file})`);
}
