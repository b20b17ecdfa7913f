/**
 * Resume records on disk for Node: one JSON file per upload in the user's cache folder (`uploads/`), written
 * atomically, so running the same upload again after a crash, a Ctrl-C or a lost network continues where it stopped.
 */
import { join } from 'node:path';
import { RESUME_RECORD_VERSION, type FinishedPart, type ResumeRecord, type ResumeStore } from '../store/resume-record.ts';
import { cacheFolder } from './cache-folder.ts';
import { JsonFolder } from './json-folder.ts';

/** A record as written to disk: the SHA-256 state as base64, the rest as is. */
type StoredRecord = Omit<ResumeRecord, 'sha256' | 'handle'> & { readonly sha256?: { readonly throughPart: number; readonly state: string } };

/** A {@link ResumeStore} in files. Records of another format version are ignored by `get` and `list`. */
export class FileResumeStore implements ResumeStore {
  private readonly documents: JsonFolder<StoredRecord>;

  /** @param folder where the records live. Default: `uploads/` in the user's cache folder (see cacheFolder). */
  constructor(folder = join(cacheFolder(), 'uploads')) {
    this.documents = new JsonFolder(folder);
  }

  /** The folder the records are in. */
  get folder(): string {
    return this.documents.folder;
  }

  /** {@inheritDoc ResumeStore.put} */
  put(record: ResumeRecord): Promise<void> {
    const { handle: _handle, ...rest } = record;
    return this.documents.update(record.fingerprint, () => toStored(rest));
  }

  /** {@inheritDoc ResumeStore.addPart} */
  addPart(fingerprint: string, partNumber: number, part: FinishedPart): Promise<void> {
    return this.documents.update(fingerprint, (record) =>
      record && { ...record, parts: { ...record.parts, [partNumber]: part }, updatedAt: Date.now() });
  }

  /** {@inheritDoc ResumeStore.saveHashState} */
  saveHashState(fingerprint: string, throughPart: number, state: Uint8Array): Promise<void> {
    return this.documents.update(fingerprint, (record) =>
      record && (record.sha256?.throughPart ?? 0) < throughPart
        ? { ...record, sha256: { throughPart, state: Buffer.from(state).toString('base64') } } : record);
  }

  /** {@inheritDoc ResumeStore.get} */
  async get(fingerprint: string): Promise<ResumeRecord | undefined> {
    const record = await this.documents.get(fingerprint);
    return record?.version === RESUME_RECORD_VERSION && record.fingerprint === fingerprint ? fromStored(record) : undefined;
  }

  /** {@inheritDoc ResumeStore.list} */
  async list(): Promise<ResumeRecord[]> {
    return (await this.documents.all()).filter((r) => r.version === RESUME_RECORD_VERSION).map(fromStored);
  }

  /** {@inheritDoc ResumeStore.remove} */
  remove(fingerprint: string): Promise<void> {
    return this.documents.remove(fingerprint);
  }
}

function toStored(record: Omit<ResumeRecord, 'handle'>): StoredRecord {
  const { sha256, ...rest } = record;
  return { ...rest, ...(sha256 ? { sha256: { throughPart: sha256.throughPart, state: Buffer.from(sha256.state).toString('base64') } } : {}) };
}

function fromStored(record: StoredRecord): ResumeRecord {
  const { sha256, ...rest } = record;
  return { ...rest, ...(sha256 ? { sha256: { throughPart: sha256.throughPart, state: new Uint8Array(Buffer.from(sha256.state, 'base64')) } } : {}) };
}
