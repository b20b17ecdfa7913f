/**
 * Resume records in IndexedDB through idb-keyval, in a database of our own (`dropoff-uploader`, store `uploads`).
 * idb-keyval is imported on first use (a chunk beside the one-file bundle), so a page that never touches a resume
 * record does not download it.
 */
import type { UseStore } from 'idb-keyval';
import { RESUME_RECORD_VERSION, type FinishedPart, type ResumeRecord, type ResumeStore } from '../store/resume-record.ts';

type IdbKeyval = typeof import('idb-keyval');

/**
 * A {@link ResumeStore} in IndexedDB. Records of another format version are ignored by `get` and `list`. With a
 * `scope`, records are keyed by user as well as endpoint: each is stamped with the scope of the user who wrote it,
 * and `get` and `list` show only the current user's.
 */
export class IdbResumeStore implements ResumeStore {
  /** idb-keyval and our store in it, loaded once by the first call that needs them. */
  private opened?: Promise<[IdbKeyval, UseStore]>;

  /**
   * @param databaseName IndexedDB database name. Default `dropoff-uploader`.
   * @param storeName object store name. Default `uploads`.
   * @param scope the current user's scope (see user-scope.ts), asked at every read and write; default: none
   */
  constructor(private readonly databaseName = 'dropoff-uploader', private readonly storeName = 'uploads', private readonly scope: () => Promise<string | undefined> = async () => undefined) {}

  /** idb-keyval and the store, importing the library the first time (a failed import is tried again next call). */
  private open(): Promise<[IdbKeyval, UseStore]> {
    return (this.opened ??= import('idb-keyval').then(
      (idb): [IdbKeyval, UseStore] => [idb, idb.createStore(this.databaseName, this.storeName)],
      (error: unknown) => { this.opened = undefined; throw error; }));
  }

  /** {@inheritDoc ResumeStore.put} */
  async put(record: ResumeRecord): Promise<void> {
    const [[idb, store], scope] = await Promise.all([this.open(), this.scope()]);
    return idb.set(record.fingerprint, scope === undefined ? record : { ...record, scope }, store);
  }

  /** {@inheritDoc ResumeStore.addPart} */
  async addPart(fingerprint: string, partNumber: number, part: FinishedPart): Promise<void> {
    const [idb, store] = await this.open();
    // update() reads and writes in one IndexedDB transaction, so parts finishing together cannot overwrite each other.
    return idb.update<ResumeRecord | undefined>(fingerprint, (record) =>
      record && { ...record, parts: { ...record.parts, [partNumber]: part }, updatedAt: Date.now() }, store);
  }

  /** {@inheritDoc ResumeStore.saveHashState} */
  async saveHashState(fingerprint: string, throughPart: number, state: Uint8Array): Promise<void> {
    const [idb, store] = await this.open();
    return idb.update<ResumeRecord | undefined>(fingerprint, (record) =>
      record && (record.sha256?.throughPart ?? 0) < throughPart ? { ...record, sha256: { throughPart, state } } : record, store);
  }

  /** {@inheritDoc ResumeStore.get} */
  async get(fingerprint: string): Promise<ResumeRecord | undefined> {
    const [idb, store] = await this.open();
    const [record, scope] = await Promise.all([idb.get<ResumeRecord>(fingerprint, store), this.scope()]);
    return record?.version === RESUME_RECORD_VERSION && record.scope === scope ? record : undefined;
  }

  /** {@inheritDoc ResumeStore.list} */
  async list(): Promise<ResumeRecord[]> {
    const [idb, store] = await this.open();
    const [records, scope] = await Promise.all([idb.values<ResumeRecord>(store), this.scope()]);
    return records.filter((r) => r.version === RESUME_RECORD_VERSION && r.scope === scope);
  }

  /** {@inheritDoc ResumeStore.remove} */
  async remove(fingerprint: string): Promise<void> {
    const [idb, store] = await this.open();
    return idb.del(fingerprint, store);
  }
}
