/**
 * What earlier runs stored, so running the same upload again sends only what is missing: files whose parts were
 * confirmed resume from their resume records, and files already stored are skipped. A file is skipped only when it
 * is unchanged on disk (same size and date as when it was stored) and the server's records still hold it with the
 * same SHA-256 and size and not FAILED; anything else is sent again.
 */
import { join } from 'node:path';
import type { Submission } from '../protocol/records-api.ts';
import { JsonFolder } from '../node/json-folder.ts';
import type { PlannedFile } from './sources.ts';

/** One stored file as remembered. */
interface StoredEntry {
  readonly endpoint: string;
  readonly key: string;
  readonly size: number;
  readonly lastModified: number;
  readonly sha256: string;
}

/** Files stored by earlier runs, in the cache folder's `stored/`. */
export class StoredLedger {
  private readonly documents: JsonFolder<StoredEntry>;

  /** @param cache the cache folder @param endpoint the server, part of every entry */
  constructor(cache: string, private readonly endpoint: string) {
    this.documents = new JsonFolder(join(cache, 'stored'));
  }

  /** Remembers that `file` was stored with `sha256`. */
  remember(file: PlannedFile, sha256: string): Promise<void> {
    const entry: StoredEntry = { endpoint: this.endpoint, key: file.key, size: file.size, lastModified: file.lastModified, sha256 };
    return this.documents.update(this.id(file.key), () => entry);
  }

  /**
   * The files of `files` already stored and unchanged: remembered with the same size and date, and confirmed by
   * `lookup`, which answers the server's latest submission of each key asked (or nothing).
   */
  async alreadyStored(files: readonly PlannedFile[], lookup: (keys: string[]) => Promise<Map<string, Submission>>): Promise<Set<string>> {
    const candidates = new Map<string, StoredEntry>();
    for (const file of files) {
      const entry = await this.documents.get(this.id(file.key));
      if (entry && entry.endpoint === this.endpoint && entry.key === file.key && entry.size === file.size && entry.lastModified === file.lastModified) {
        candidates.set(file.key, entry);
      }
    }
    if (candidates.size === 0) return new Set();
    const latest = await lookup([...candidates.keys()]);
    const stored = new Set<string>();
    for (const [key, entry] of candidates) {
      const submission = latest.get(key);
      if (submission && submission.sha256 === entry.sha256 && submission.size === entry.size && submission.status !== 'FAILED') stored.add(key);
    }
    return stored;
  }

  private id(key: string): string {
    return `${this.endpoint}\n${key}`;
  }
}
