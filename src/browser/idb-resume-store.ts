/**
 * Resume records in IndexedDB through idb-keyval, in a database of our own (`dropoff-uploader`, store `uploads`).
 */
import { createStore, del, get, set, update, values, type UseStore } from 'idb-keyval';
import { RESUME_RECORD_VERSION, type FinishedPart, type ResumeRecord, type ResumeStore } from '../store/resume-record.ts';

/**
 * A {@link ResumeStore} in IndexedDB. Records of another format version are ignored by `get` and `list`. With a
 * `scope`, records are keyed by user as well as endpoint: each is stamped with the scope of the user who wrote it,
 * and `get` and `list` show only the current user's.
 */
export class IdbResumeStore implements ResumeStore {
  private readonly store: UseStore;

  /**
   * @param databaseName IndexedDB database name. Default `dropoff-uploader`.
   * @param storeName object store name. Default `uploads`.
   * @param scope the current user's scope (see user-scope.ts), asked at every read and write; default: none
   */
  constructor(databaseName = 'dropoff-uploader', storeName = 'uploads', private readonly scope: () => Promise<string | undefined> = async () => undefined) {
    this.store = createStore(databaseName, storeName);
  }

  /** {@inheritDoc ResumeStore.put} */
  async put(record: ResumeRecord): Promise<void> {
    const scope = await this.scope();
    return set(record.fingerprint, scope === undefined ? record : { ...record, scope }, this.store);
  }

  /** {@inheritDoc ResumeStore.addPart} */
  addPart(fingerprint: string, partNumber: number, part: FinishedPart): Promise<void> {
    // update() reads and writes in one IndexedDB transaction, so parts finishing together cannot overwrite each other.
    return update<ResumeRecord | undefined>(fingerprint, (record) =>
      record && { ...record, parts: { ...record.parts, [partNumber]: part }, updatedAt: Date.now() }, this.store);
  }

  /** {@inheritDoc ResumeStore.saveHashState} */
  saveHashState(fingerprint: string, throughPart: number, state: Uint8Array): Promise<void> {
    return update<ResumeRecord | undefined>(fingerprint, (record) =>
      record && (record.sha256?.throughPart ?? 0) < throughPart ? { ...record, sha256: { throughPart, state } } : record, this.store);
  }

  /** {@inheritDoc ResumeStore.get} */
  async get(fingerprint: string): Promise<ResumeRecord | undefined> {
    const [record, scope] = await Promise.all([get<ResumeRecord>(fingerprint, this.store), this.scope()]);
    return record?.version === RESUME_RECORD_VERSION && record.scope === scope ? record : undefined;
  }

  /** {@inheritDoc ResumeStore.list} */
  async list(): Promise<ResumeRecord[]> {
    const [records, scope] = await Promise.all([values<ResumeRecord>(this.store), this.scope()]);
    return records.filter((r) => r.version === RESUME_RECORD_VERSION && r.scope === scope);
  }

  /** {@inheritDoc ResumeStore.remove} */
  remove(fingerprint: string): Promise<void> {
    return del(fingerprint, this.store);
  }
}
