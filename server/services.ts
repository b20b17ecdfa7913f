/**
 * What the routes work with: the storage, the records of submissions, the validation jobs, and the log.
 */
import type { Database } from './records/database.ts';
import type { SubmissionStore } from './records/submissions.ts';
import type { ValidationJobs } from './jobs/validation-jobs.ts';
import type { UploadStore } from './storage/upload-store.ts';
import type { SubmissionReport } from './submission.ts';
import type { SecurityServices } from './security/security-services.ts';
import type { ProcessingJobs } from './processing/processing-jobs.ts';
import type { Validator } from './records/validator.ts';

/** The server's parts, as the routes use them. */
export interface Services {
  readonly store: UploadStore;
  readonly records: SubmissionStore;
  readonly jobs: ValidationJobs;
  /** The checks of a stored object, for the confirm that validates small objects from its own read. */
  readonly validator: Validator;
  readonly db: Database;
  readonly log: (line: string) => void;
  /** Upload ownership, sizes, quotas, rate limits, cursors, JWTs. */
  readonly security: SecurityServices;
  /** Processing tasks: their table and their jobs (server/processing/). */
  readonly processing: ProcessingJobs;
}

/**
 * Records what the storage holds for each report and queues the validations; returns the answer for each. A report
 * whose submission was already received (the call is a retry) is answered from its record, and costs no new work.
 */
export async function recordReceived(services: Services, userId: string, uploadId: string | null, reports: readonly SubmissionReport[]): Promise<SubmissionReport[]> {
  const received = await services.records.receive(userId, uploadId, reports.map((r) => ({
    key: r.key, category: r.category, size: r.size, sha256: r.sha256, etag: r.etag, status: r.status, message: r.message ?? null, token: r.token ?? null,
  })));
  // A small object this call read whole is settled now, from that read; the others get a validation job.
  const settled = received.flatMap(({ submission, fresh }, i) => {
    const problem = reports[i]!.validated;
    if (!fresh || submission.status !== 'VALIDATING' || problem === undefined) return [];
    return [{ id: submission.id, status: problem === null ? 'ACCEPTED' as const : 'FAILED' as const, message: problem }];
  });
  await services.records.settleMany(settled);
  const settledIds = new Set(settled.map((s) => s.id));
  // Queued even when not fresh: a retry also re-sends a job the first call may have lost (a job already queued is kept).
  await services.jobs.enqueue(received.map((r) => r.submission).filter((s) => !settledIds.has(s.id)));
  return received.map(({ submission, fresh }, i) => {
    const { token: _token, validated: _validated, ...report } = reports[i]!;
    if (fresh) return report;
    return {
      key: submission.key, size: submission.size ?? report.size, etag: submission.etag ?? report.etag, sha256: submission.sha256 ?? report.sha256,
      category: submission.category, status: submission.status, ...(submission.message ? { message: submission.message } : {}),
      // The reason is not stored; this call's own reading of the storage gives it again.
      ...(submission.status === 'FAILED' && report.reason ? { reason: report.reason } : {}),
    };
  });
}
