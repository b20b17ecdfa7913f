/**
 * A folder of small JSON documents, one per key, each written atomically (write-file-atomic: a temporary file, fsync,
 * rename), so a crash or a Ctrl-C in the middle of a write leaves the old document or the new one, never half of one.
 * Changes to one key are applied one at a time, so two parts finishing together cannot overwrite each other.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import writeFileAtomic from 'write-file-atomic';

/** JSON documents by key in one folder. */
export class JsonFolder<T> {
  private readonly queues = new Map<string, Promise<unknown>>();
  private made: Promise<unknown> | undefined;

  /** @param folder where the documents live (created on first write) */
  constructor(readonly folder: string) {}

  /** The document for `key`, or undefined (also when it cannot be parsed: a stray file is not fatal). */
  async get(key: string): Promise<T | undefined> {
    return this.read(this.fileOf(key));
  }

  /** Every document. */
  async all(): Promise<T[]> {
    const names = await readdir(this.folder).catch(() => [] as string[]);
    const documents: (T | undefined)[] = await Promise.all(names.filter((n) => n.endsWith('.json')).map((n) => this.read(join(this.folder, n))));
    return documents.filter((d) => d !== undefined) as T[];
  }

  /** Replaces the document for `key` through `change` (given the current one); `undefined` from `change` removes it. */
  update(key: string, change: (current: T | undefined) => T | undefined): Promise<void> {
    const file = this.fileOf(key);
    const previous = this.queues.get(key) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(async () => {
      const current = await this.read(file);
      const updated = change(current);
      if (updated === undefined) {
        if (current !== undefined) await rm(file, { force: true });
        return;
      }
      this.made ??= mkdir(this.folder, { recursive: true, mode: 0o700 });
      await this.made;
      await writeFileAtomic(file, JSON.stringify(updated), { mode: 0o600 });
    });
    this.queues.set(key, next);
    void next.finally(() => {
      if (this.queues.get(key) === next) this.queues.delete(key);
    }).catch(() => undefined);
    return next;
  }

  /** Removes the document for `key`. */
  remove(key: string): Promise<void> {
    return this.update(key, () => undefined);
  }

  private fileOf(key: string): string {
    return join(this.folder, `${createHash('sha256').update(key).digest('hex').slice(0, 40)}.json`);
  }

  private async read(file: string): Promise<T | undefined> {
    try {
      return JSON.parse(await readFile(file, 'utf8')) as T;
    } catch {
      return undefined;
    }
  }
}
