/**
 * What `dropoff upload -s SRC… -d DEST [-r]` sends where, after the seed CLI's rules:
 * - DEST ending in `/` is a prefix: a file source goes to `DEST<file name>`; a folder source's files go to
 *   `DEST<path relative to that folder>` (the folder's own name is not part of the key, so `-s data/ -d data/ -r`
 *   keeps `data/a.mseed` as `data/a.mseed`).
 * - Without `-r` only a folder's top-level files are taken; with `-r`, every file below it.
 * - DEST not ending in `/` is the key of the one file sent (a folder, several files, or none are usage errors).
 * - `-s -` reads standard input, which needs a key (not a prefix) and no other source.
 * Everything is checked before any byte is sent.
 */
import { lstat, readdir, stat } from 'node:fs/promises';
import { basename, join, relative, sep } from 'node:path';
import { keyFor, keyProblem } from '../engine/key-rules.ts';
import { UsageError } from './usage-error.ts';

/** One file to send. */
export interface PlannedFile {
  /** Where it is on disk. */
  readonly path: string;
  /** The object key. */
  readonly key: string;
  /** Its size in bytes when listed. */
  readonly size: number;
  /** Its modification time when listed (ms). */
  readonly lastModified: number;
}

/** What the command will send. */
export type UploadPlan =
  | { readonly kind: 'files'; readonly files: readonly PlannedFile[]; readonly skipped: readonly string[] }
  | { readonly kind: 'stdin'; readonly key: string };

/** Plans the upload; throws UsageError for any source or destination that cannot be used as asked. */
export async function planUpload(sources: readonly string[], destination: string, recursive: boolean): Promise<UploadPlan> {
  if (sources.length === 0) throw new UsageError('Give at least one source with -s PATH (a file, a folder, or - for standard input).');
  if (!destination) throw new UsageError('Give a destination with -d: a key, or a prefix ending in /.');
  const isPrefix = destination.endsWith('/');
  if (sources.includes('-')) {
    if (sources.length > 1) throw new UsageError('-s - (standard input) cannot be combined with other sources.');
    if (isPrefix) throw new UsageError(`Standard input has no file name: -d must be a key, not the prefix "${destination}".`);
    const problem = keyProblem(destination);
    if (problem) throw new UsageError(`-d "${destination}" cannot be a key: ${problem}.`);
    return { kind: 'stdin', key: destination };
  }
  if (isPrefix && destination !== '/' && keyProblem(destination.slice(0, -1))) {
    throw new UsageError(`-d "${destination}" cannot be a prefix: ${keyProblem(destination.slice(0, -1))}.`);
  }
  const files: PlannedFile[] = [];
  const skipped: string[] = [];
  for (const source of sources) {
    let info;
    try {
      info = await stat(source);
    } catch (error) {
      throw new UsageError(`The source ${source} cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).`);
    }
    if (info.isFile()) {
      files.push({ path: source, key: keyFor(destination, basename(source)), size: info.size, lastModified: Math.trunc(info.mtimeMs) });
    } else if (info.isDirectory()) {
      if (!isPrefix) throw new UsageError(`${source} is a folder: -d must be a prefix ending in / (e.g. -d "${destination}/").`);
      for await (const found of walk(source, recursive, skipped)) {
        const path = relative(source, found.path).split(sep).join('/');
        files.push({ path: found.path, key: keyFor(destination, path), size: found.size, lastModified: found.lastModified });
      }
    } else {
      throw new UsageError(`The source ${source} is neither a file nor a folder.`);
    }
  }
  if (!isPrefix && files.length !== 1) {
    throw new UsageError(`-d "${destination}" is a key, which holds one file, but the sources hold ${files.length}; end it with / to use it as a prefix.`);
  }
  const seen = new Map<string, string>();
  for (const file of files) {
    const earlier = seen.get(file.key);
    if (earlier !== undefined) throw new UsageError(`${earlier} and ${file.path} would both be stored as "${file.key}".`);
    seen.set(file.key, file.path);
  }
  return { kind: 'files', files, skipped };
}

/** Regular files in `folder` (and below it, with `recursive`), in name order; anything else is listed in `skipped`. */
async function* walk(folder: string, recursive: boolean, skipped: string[]): AsyncGenerator<{ path: string; size: number; lastModified: number }> {
  const entries = (await readdir(folder, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) {
      if (recursive) yield* walk(path, recursive, skipped);
      continue;
    }
    // Symbolic links to files are followed; links to folders are not (they could loop).
    const info = entry.isSymbolicLink() ? await stat(path).catch(() => undefined) : await lstat(path);
    if (info?.isFile()) yield { path, size: info.size, lastModified: Math.trunc(info.mtimeMs) };
    else skipped.push(path);
  }
}
