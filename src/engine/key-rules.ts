/**
 * Rules for object keys, shared by the engine (to reject a file before any request) and the reference server.
 */

/** S3's limit on a key, in UTF-8 bytes. */
export const MAX_KEY_BYTES = 1024;

const encoder = new TextEncoder();
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]/;

/**
 * Returns why `key` is not an acceptable object key, or undefined when it is. Keys are `/`-separated paths with no
 * leading `/`, no empty, `.` or `..` segment, no control character or backslash, not ending in `/`, in Unicode NFC,
 * and at most 1024 bytes in UTF-8.
 */
export function keyProblem(key: string): string | undefined {
  if (key.length === 0) return 'the key is empty';
  if (encoder.encode(key).length > MAX_KEY_BYTES) return `the key is longer than ${MAX_KEY_BYTES} bytes in UTF-8`;
  if (CONTROL_CHARACTERS.test(key)) return 'the key contains a control character';
  if (key.includes('\\')) return 'the key contains a backslash; use / to separate folders';
  if (key.startsWith('/')) return 'the key starts with /';
  if (key.endsWith('/')) return 'the key ends with / (that is a prefix, not a key)';
  if (key !== key.normalize('NFC')) return 'the key is not in Unicode normal form C';
  for (const segment of key.split('/')) {
    if (segment === '') return 'the key has an empty path segment (//)';
    if (segment === '.' || segment === '..') return `the key has a "${segment}" path segment`;
  }
  return undefined;
}

/** The key with control characters escaped and cut to a readable length, for messages. */
export function printableKey(key: string): string {
  const escaped = key.replace(new RegExp(CONTROL_CHARACTERS.source, 'g'), (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return escaped.length > 120 ? `${escaped.slice(0, 117)}...` : escaped;
}

/**
 * The key a file is stored under. `destination` is a prefix when it ends with `/` (the file's relative path, or its
 * name, is appended), a full key otherwise, or empty (the relative path alone). Names are normalised to NFC.
 */
export function keyFor(destination: string, relativePath: string): string {
  const path = relativePath.normalize('NFC');
  if (!destination) return path;
  return destination.endsWith('/') ? `${destination.normalize('NFC')}${path}` : destination.normalize('NFC');
}
