/**
 * Byte sizes written by people: `8388608`, `8MiB`, `8 MB`, `1.5GiB`.
 */

/**
 * Parses a byte size; returns undefined for anything that is not a non-negative size. Units, any case: none or `B`;
 * `k`, `m`, `g`, `t` with or without `B` (powers of 1000); `KiB`, `MiB`, `GiB`, `TiB` (powers of 1024).
 */
export function parseByteSize(text: string | number | null | undefined): number | undefined {
  if (typeof text === 'number') return Number.isFinite(text) && text >= 0 ? Math.floor(text) : undefined;
  const match = text ? /^\s*(\d+(?:\.\d+)?)\s*(?:([kmgt])(ib|b)?|b)?\s*$/i.exec(text) : null;
  if (!match) return undefined;
  const power = ' kmgt'.indexOf(match[2]?.toLowerCase() ?? ' ');
  return Math.floor(Number(match[1]) * (match[3]?.toLowerCase() === 'ib' ? 1024 : 1000) ** power);
}

/** Formats bytes for people, in binary units: `8.0 MiB`. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}
