/**
 * The engine's resume records seen from the outside: which uploads were left unfinished, dropping one (and aborting
 * it on the server, resume-record-actions.ts), expiring old ones, and finding the file again through a kept handle
 * (also in resume-record-actions.ts, loaded on first use).
 */
import type { UploadApi } from '../protocol/upload-api.ts';
import type { ResumeStore } from '../store/resume-record.ts';
import type { ResumableUpload } from './upload-events.ts';

/** What the records need from the engine. */
export interface ResumeRecordsContext {
  readonly store: ResumeStore | undefined;
  readonly api: UploadApi;
  readonly endpoint: string;
  readonly log: (message: string) => void;
}

/** Unfinished uploads of one endpoint, as kept in a {@link ResumeStore}. */
export class ResumeRecords {
  /** @param context store, api, endpoint and log @param maxAgeMs records untouched this long are expired */
  constructor(private readonly context: ResumeRecordsContext, private readonly maxAgeMs: number) {}

  /** Unfinished uploads of this endpoint, newest first, without those whose fingerprint is in `busy`; expires first. */
  async list(busy: ReadonlySet<string | undefined>): Promise<ResumableUpload[]> {
    const store = this.context.store;
    if (!store) return [];
    await this.expireStale();
    return (await store.list())
      .filter((r) => r.endpoint === this.context.endpoint && !busy.has(r.fingerprint))
      .sort((a, b) => b.updatedAt - a.updatedAt)
      .map((r) => ({
        fingerprint: r.fingerprint, key: r.key, name: r.name, size: r.size, createdAt: r.createdAt, updatedAt: r.updatedAt,
        bytesDone: Object.values(r.parts).reduce((sum, p) => sum + p.size, 0), hasHandle: r.handle !== undefined,
      }));
  }

  /** Drops the records of this endpoint untouched for longer than the maximum age; returns how many. */
  async expireStale(now = Date.now()): Promise<number> {
    const store = this.context.store;
    if (!store) return 0;
    const stale = (await store.list()).filter((r) => r.endpoint === this.context.endpoint && now - r.updatedAt > this.maxAgeMs);
    // Stale records are rare: dropping them is in resume-record-actions.ts, loaded then.
    if (stale.length) await (await import('./resume-record-actions.ts')).dropStale(this.context, stale);
    return stale.length;
  }
}
