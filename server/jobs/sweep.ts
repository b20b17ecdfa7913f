/**
 * The periodic sweep, run by every process that runs jobs (harmless when several run at once):
 * - a submission VALIDATING with no live job (its job was lost between the record and the queue, or archived) gets
 *   one again; one whose job failed for good is FAILED with that job's error;
 * - retention of AUTHORIZED records: one whose object never arrived (a single PUT past its URL's lifetime, a
 *   multipart upload past the retention) is FAILED; one whose object is in the storage, carrying its token (stored but
 *   never confirmed), becomes VALIDATING and is validated. No record stays AUTHORIZED for a stored object.
 */
import type { Database } from '../records/database.ts';
import type { StoredSubmission, SubmissionStore } from '../records/submissions.ts';
import type { UploadStore } from '../storage/upload-store.ts';
import { METADATA } from '../submission.ts';
import type { JobSettings } from './job-settings.ts';
import { VALIDATION_QUEUE, validationJobId } from './pg-boss.ts';
import type { ValidationJobs } from './validation-jobs.ts';

/** What the sweep works on. */
export interface SweepParts {
  readonly db: Database;
  readonly records: SubmissionStore;
  readonly store: UploadStore;
  readonly jobs: ValidationJobs;
  readonly settings: JobSettings;
  /** Lifetime of presigned URLs, seconds. */
  readonly urlExpiresSeconds: number;
  readonly log: (line: string) => void;
}

const BATCH = 200;

/** Runs one sweep. */
export async function sweep(parts: SweepParts): Promise<void> {
  await requeueLost(parts);
  await retireAuthorized(parts);
}

async function requeueLost({ db, records, jobs, log }: SweepParts): Promise<void> {
  // Every VALIDATING submission should have a job. Sending one that exists inserts nothing (its id is derived from
  // the submission), so racing a route that is about to send it is harmless.
  const quiet = await records.validatingSince(0, BATCH);
  if (quiet.length === 0) return;
  const states = new Map((await db.query<{ id: string; state: string; output: { message?: string } | null }>(
    `SELECT id::text, state::text, output FROM pgboss.job WHERE name = $1 AND id = ANY($2::uuid[])`,
    [VALIDATION_QUEUE, quiet.map((s) => validationJobId(s.id))])).map((r) => [r.id, r]));
  const lost: StoredSubmission[] = [];
  for (const submission of quiet) {
    const job = states.get(validationJobId(submission.id));
    if (!job || job.state === 'completed' || job.state === 'cancelled') lost.push(submission);
    else if (job.state === 'failed') {
      await records.settle(submission.id, 'FAILED', `Validation could not run: ${job.output?.message ?? 'its job failed'}`);
    }
  }
  if (lost.length > 0) {
    // A job that ended (completed or archived) leaves its id taken in the job table: clear it, then send anew.
    await db.query(`DELETE FROM pgboss.job WHERE name = $1 AND id = ANY($2::uuid[]) AND state IN ('completed', 'cancelled')`,
      [VALIDATION_QUEUE, lost.map((s) => validationJobId(s.id))]);
    log(`sweep: ${lost.length} submission(s) VALIDATING without a job, queued again`);
    await jobs.enqueue(lost);
  }
}

async function retireAuthorized({ records, store, jobs, settings, urlExpiresSeconds, log }: SweepParts): Promise<void> {
  const now = Date.now();
  const stale = await records.staleAuthorized(
    new Date(now - (urlExpiresSeconds + settings.authorizedGraceSeconds) * 1000),
    new Date(now - settings.multipartRetentionSeconds * 1000), BATCH);
  for (const submission of stale) {
    if (submission.uploadId) {
      // Still open in the storage: the client may yet finish it.
      const open = await store.listParts(submission.key, submission.uploadId).then(() => true, () => false);
      if (open) continue;
    }
    const stored = await store.head(submission.key);
    if (stored && submission.uploadToken && stored.metadata[METADATA.token] === submission.uploadToken) {
      const [received] = await records.receive(submission.userId, submission.uploadId, [{
        key: submission.key, category: submission.category, size: stored.size, sha256: '', etag: stored.etag, status: 'VALIDATING', message: null, token: submission.uploadToken,
      }]);
      log(`sweep: ${JSON.stringify(submission.key)} (${submission.id}) was stored but never confirmed; validating it`);
      if (received) await jobs.enqueue([received.submission]);
    } else {
      await records.expire(submission.id, submission.uploadId
        ? 'The upload was neither completed nor cancelled within the retention period.'
        : 'The object was never stored before its upload URL expired.');
    }
  }
}
