/**
 * Plain-text tables for the terminal: a header row, then one row per item, columns padded to their widest cell.
 */

/** One column: its header and how to show an item in it. */
export interface Column<T> {
  readonly header: string;
  readonly cell: (item: T) => string;
  /** Right-aligned (numbers). */
  readonly right?: boolean;
}

/** The table as lines of text. */
export function formatTable<T>(items: readonly T[], columns: readonly Column<T>[]): string {
  const rows = [columns.map((c) => c.header), ...items.map((item) => columns.map((c) => c.cell(item).replace(/[\r\n\t]/g, ' ')))];
  const widths = columns.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  return rows.map((row) => row.map((cell, i) => {
    const last = i === columns.length - 1;
    if (columns[i]!.right) return cell.padStart(widths[i]!);
    return last ? cell : cell.padEnd(widths[i]!);
  }).join('  ')).join('\n');
}
