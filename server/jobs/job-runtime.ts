/**
 * The jobs side of a process: the queue, the validation workers (when this process runs jobs) and the periodic sweep.
 */
import type { Database } from '../records/database.ts';
import type { SubmissionStore } from '../records/submissions.ts';
import { Validator } from '../records/validator.ts';
import type { UploadStore } from '../storage/upload-store.ts';
import type { JobSettings } from './job-settings.ts';
import { startJobQueue } from './pg-boss.ts';
import { sweep } from './sweep.ts';
import { ValidationJobs } from './validation-jobs.ts';
import { ProcessingJobs } from '../processing/processing-jobs.ts';

/** A running job queue. */
export interface JobRuntime {
  /** Sends validation jobs. */
  readonly jobs: ValidationJobs;
  /** The checks the jobs and the confirm run. */
  readonly validator: Validator;
  /** Sends and runs processing tasks (server/processing/). */
  readonly processing: ProcessingJobs;
  /** Runs one sweep now (also run every `sweepSeconds` when working). */
  sweep(): Promise<void>;
  /** Resolves when no submission is VALIDATING any more (tests). */
  idle(timeoutMs?: number): Promise<void>;
  /** Stops claiming, hands back the jobs in progress and stops the queue, within a few seconds. */
  stop(): Promise<void>;
}

/** Starts the queue on `db`; with `work`, also the workers and the sweep. */
export async function startJobs(parts: {
  db: Database; records: SubmissionStore; store: UploadStore; settings: JobSettings; urlExpiresSeconds: number; work: boolean; log: (line: string) => void;
}): Promise<JobRuntime> {
  const { db, records, store, settings, log } = parts;
  const boss = await startJobQueue(db, settings, log);
  const validator = new Validator(store, { confirmMaxBytes: settings.confirmValidationMaxBytes });
  const jobs = new ValidationJobs(boss, records, validator, settings, log);
  const processing = new ProcessingJobs(boss, db, store, settings, log);
  await processing.setUp();
  const runSweep = async () => {
    await sweep({ db, records, store, jobs, settings, urlExpiresSeconds: parts.urlExpiresSeconds, log });
    await processing.sweep();
  };
  let sweeping: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  if (parts.work) {
    jobs.start();
    processing.start();
    // Submissions left VALIDATING by a process that died are picked up now, not a sweep period later.
    sweeping = runSweep().catch((error: unknown) => log(`sweep failed: ${(error as Error).message}`));
    timer = setInterval(() => {
      sweeping = runSweep().catch((error: unknown) => log(`sweep failed (next one in ${settings.sweepSeconds} s): ${(error as Error).message}`));
    }, settings.sweepSeconds * 1000);
  }
  return {
    jobs,
    validator,
    processing,
    sweep: runSweep,
    async idle(timeoutMs = 120_000) {
      const deadline = Date.now() + timeoutMs;
      while ((await records.validatingTotal()) > 0) {
        if (Date.now() > deadline) throw new Error(`submissions still VALIDATING after ${timeoutMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    async stop() {
      clearInterval(timer);
      await Promise.all([jobs.stop(3000), processing.stop(3000)]);
      await Promise.race([sweeping, new Promise((resolve) => setTimeout(resolve, 500).unref())]);
      await boss.stop({ graceful: false, close: false, wait: true }).catch((error: unknown) => log(`job queue stop: ${(error as Error).message}`));
    },
  };
}
