/**
 * What the routes work with: the storage, the records of submissions, the validator, and the log.
 */
import type { SubmissionStore } from './records/submissions.ts';
import type { Validator } from './records/validator.ts';
import type { UploadStore } from './storage/upload-store.ts';
import type { SubmissionReport } from './submission.ts';
import type { SecurityServices } from './security/security-services.ts';

/** The server's parts, as the routes use them. */
export interface Services {
  readonly store: UploadStore;
  readonly records: SubmissionStore;
  readonly validator: Validator;
  readonly log: (line: string) => void;
  /** Upload ownership, sizes, quotas, rate limits, cursors, JWTs. */
  readonly security: SecurityServices;
}

/** Records what the storage holds for a submission and, when it is to be validated, queues its validation. */
export async function recordReceived(services: Services, userId: string, uploadId: string | null, report: SubmissionReport): Promise<void> {
  const submission = await services.records.received(userId, report.key, uploadId, {
    category: report.category, size: report.size, sha256: report.sha256, etag: report.etag, status: report.status, message: report.message ?? null,
  });
  if (submission.status === 'VALIDATING') services.validator.enqueue(submission.id);
}
