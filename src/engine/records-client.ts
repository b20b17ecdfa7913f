/**
 * The records operations (list_objects, get_object_history, get_summary) through the engine's api, when that api
 * implements them (RecordsApi is an optional capability of a protocol).
 */
import type { ObjectPage, RecordsApi, Submission, SubmissionSummary } from '../protocol/records-api.ts';

/** The records side of an api, or a clear error when it has none. */
export class RecordsClient {
  /** @param api the engine's api, which may or may not implement RecordsApi */
  constructor(private readonly api: Partial<RecordsApi>) {}

  /** The latest submission of each key under `prefix`, a page at a time. */
  listObjects(options: { prefix?: string; cursor?: string; limit?: number } = {}): Promise<ObjectPage> {
    return this.records().listObjects(options);
  }

  /** Every submission under `prefix`, page after page. */
  async *allObjects(prefix?: string): AsyncGenerator<Submission> {
    let cursor: string | undefined;
    do {
      const page = await this.listObjects({ ...(prefix ? { prefix } : {}), ...(cursor ? { cursor } : {}) });
      yield* page.objects;
      cursor = page.cursor;
    } while (cursor);
  }

  /** Every submission of `key`, newest first. */
  getObjectHistory(key: string): Promise<Submission[]> {
    return this.records().getObjectHistory(key);
  }

  /** Counts by status under `prefix`, received within the dates given. */
  getSummary(options: { prefix?: string; submittedAfter?: string; submittedBefore?: string } = {}): Promise<SubmissionSummary> {
    return this.records().getSummary(options);
  }

  private records(): RecordsApi {
    const api = this.api;
    if (!api.listObjects || !api.getObjectHistory || !api.getSummary) throw new Error('This engine\'s api does not implement the records operations (RecordsApi).');
    return api as RecordsApi;
  }
}
