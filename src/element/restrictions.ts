/**
 * The element's restrictions on what may be added: `accept`, `max-file-size`, `max-files`. Pure functions.
 */
import type { Formats } from './i18n/formats.ts';
import type { UploaderStrings } from './i18n/uploader-strings.ts';

/** What the element's attributes allow. */
export interface Restrictions {
  /** As in `<input accept>`: extensions (`.mseed`), MIME types (`text/plain`) and wildcards (`image/*`); empty: all. */
  readonly accept: string;
  /** Largest file in bytes; undefined: no limit. */
  readonly maxFileSize: number | undefined;
  /** Most files in the list at once; undefined: no limit. */
  readonly maxFiles: number | undefined;
}

/** True when `file` matches `accept` (empty accepts everything). */
export function accepts(accept: string, file: { readonly name: string; readonly type: string }): boolean {
  const tokens = accept.split(',').map((t) => t.trim().toLowerCase()).filter(Boolean);
  if (tokens.length === 0) return true;
  const name = file.name.toLowerCase();
  const type = file.type.toLowerCase();
  return tokens.some((token) => {
    if (token.startsWith('.')) return name.endsWith(token);
    if (token.endsWith('/*')) return type.startsWith(token.slice(0, -1));
    return type === token;
  });
}

/** The reason a file may not be added (in the element's language), or undefined. `queued` is how many files the list holds already. */
export function restrictionProblem(
  file: { readonly name: string; readonly type: string; readonly size: number },
  restrictions: Restrictions,
  queued: number,
  texts: Pick<UploaderStrings, 'notAccepted' | 'tooLarge' | 'tooMany'>,
  f: Formats,
): string | undefined {
  if (!accepts(restrictions.accept, file)) return texts.notAccepted(restrictions.accept);
  if (restrictions.maxFileSize !== undefined && file.size > restrictions.maxFileSize) return texts.tooLarge(restrictions.maxFileSize, f);
  if (restrictions.maxFiles !== undefined && queued >= restrictions.maxFiles) return texts.tooMany(restrictions.maxFiles, f);
  return undefined;
}
