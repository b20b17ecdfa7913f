/**
 * The query of a records request (`/objects?prefix=...`). A module of its own: only the records calls use it, and the
 * one-file bundle loads it on first use.
 */

/** `?a=1&b=2` of the defined entries, or an empty string. */
export function queryString(params: Record<string, string | number | undefined>): string {
  const entries = Object.entries(params).filter((entry): entry is [string, string | number] => entry[1] !== undefined && entry[1] !== '');
  return entries.length ? `?${new URLSearchParams(entries.map(([k, v]) => [k, String(v)]))}` : '';
}
