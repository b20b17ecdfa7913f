/**
 * A folder of small JSON documents, one per key, each written atomically (a temporary file beside it, flushed to disk,
 * then renamed over it), so a crash or a Ctrl-C in the middle of a write leaves the old document or the new one, never
 * half of one. Changes to one key are applied one at a time, so two parts finishing together cannot overwrite each
 * other. (Not write-file-atomic: its signal-exit hook deletes writes in flight on SIGINT, which is exactly when the
 * command line still records what was confirmed.)
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, readFile, readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';

/** Writes `text` to `file` atomically: a temporary file in the same folder, fsync, rename. */
async function writeAtomically(file: string, text: string): Promise<void> {
  const temporary = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    const handle = await open(temporary, 'w', 0o600);
    try {
      await handle.writeFile(text);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

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
      await writeAtomically(file, JSON.stringify(updated));
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
