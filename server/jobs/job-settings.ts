/**
 * How the durable validation jobs run: concurrency per process, the lease, retries and the periodic sweep.
 */

/** Settings of the job queue and its workers (all have defaults; see README "Validation jobs"). */
export interface JobSettings {
  /** Validations one process runs at once. Default 2. */
  readonly concurrency: number;
  /** A claimed job's lease: past it, the job counts as failed and is retried elsewhere. Default 300 s. */
  readonly leaseSeconds: number;
  /** Attempts before a validation is given up, its submission FAILED with the last error. Default 5. */
  readonly attempts: number;
  /** First retry delay; it doubles each attempt (with jitter). Default 5 s. */
  readonly retryDelaySeconds: number;
  /** How often an idle worker looks for jobs. Default 1 s. */
  readonly pollSeconds: number;
  /** How often the sweep runs (lost jobs, stale AUTHORIZED records) and expired leases are reclaimed. Default 60 s. */
  readonly sweepSeconds: number;
  /** A single PUT still AUTHORIZED this long after its URL expired is looked up in the storage. Default 600 s. */
  readonly authorizedGraceSeconds: number;
  /** A multipart upload still AUTHORIZED after this long is looked up in the storage. Default 7 days. */
  readonly multipartRetentionSeconds: number;
  /**
   * Objects confirmed by `/objects/confirm` up to this size are read whole by the confirm and validated from that read,
   * without a job. Default 1 MiB; 0: every validation is a job.
   */
  readonly confirmValidationMaxBytes: number;
}

/** The defaults. */
export const DEFAULT_JOB_SETTINGS: JobSettings = {
  concurrency: 2,
  leaseSeconds: 300,
  attempts: 5,
  retryDelaySeconds: 5,
  pollSeconds: 1,
  sweepSeconds: 60,
  authorizedGraceSeconds: 600,
  multipartRetentionSeconds: 7 * 24 * 3600,
  confirmValidationMaxBytes: 1024 * 1024,
};
