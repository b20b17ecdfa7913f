/**
 * Validation as durable jobs: a submission that reaches VALIDATING gets a job; workers in any server or
 * `npm run worker` process claim jobs with a lease, validate, and settle the submission. A failed attempt is retried
 * with backoff; after the last, the submission is FAILED with the error. Jobs of a user who sent many wait behind
 * the first jobs of others: the n-th waiting job of a user gets priority -n, so users are served in turn.
 */
import type PgBoss from 'pg-boss';
import type { StoredSubmission, SubmissionStore } from '../records/submissions.ts';
import type { Validator } from '../records/validator.ts';
import type { JobSettings } from './job-settings.ts';
import { QueueWorkers } from './queue-workers.ts';
import { VALIDATION_QUEUE, validationJobId } from './pg-boss.ts';

/** The data of a validation job. */
interface ValidationJob {
  readonly submissionId: number;
}

/** Sends and runs validation jobs. */
export class ValidationJobs extends QueueWorkers<ValidationJob> {
  /**
   * @param boss the started job queue
   * @param records the submissions
   * @param validator the checks
   * @param settings concurrency, lease, attempts
   * @param log log lines
   */
  constructor(
    boss: PgBoss,
    private readonly records: SubmissionStore,
    private readonly validator: Validator,
    settings: JobSettings,
    log: (line: string) => void,
  ) {
    super(boss, VALIDATION_QUEUE, settings, log, 'validation worker');
  }

  /** Queues the validation of `submissions` (VALIDATING ones); a validation already queued is not queued again. */
  async enqueue(submissions: readonly StoredSubmission[]): Promise<void> {
    const pending = submissions.filter((s) => s.status === 'VALIDATING');
    if (pending.length === 0) return;
    const byUser = new Map<string, StoredSubmission[]>();
    for (const s of pending) byUser.set(s.userId, [...(byUser.get(s.userId) ?? []), s]);
    const jobs: PgBoss.JobInsert<ValidationJob>[] = [];
    for (const [userId, mine] of byUser) {
      // Those just recorded are counted too: the first of this batch waits behind the user's earlier ones.
      const before = Math.max(0, (await this.records.validatingCount(userId)) - mine.length);
      mine.forEach((s, i) => jobs.push({
        id: validationJobId(s.id),
        name: VALIDATION_QUEUE,
        data: { submissionId: s.id },
        priority: -Math.min(before + i, 1_000_000),
        retryLimit: this.settings.attempts - 1,
        retryDelay: this.settings.retryDelaySeconds,
        retryBackoff: true,
        expireInSeconds: this.settings.leaseSeconds,
      }));
    }
    await this.boss.insert(jobs);
    this.wakeUp();
  }

  protected async run(job: PgBoss.JobWithMetadata<ValidationJob>, stopping: AbortSignal): Promise<void> {
    const id = job.data.submissionId;
    const lastAttempt = job.retryCount >= job.retryLimit;
    // The read deadline: inside the lease, so a job is never validated twice at once.
    const deadline = AbortSignal.timeout(Math.max(1, this.settings.leaseSeconds - 5) * 1000);
    const signal = AbortSignal.any([stopping, deadline]);
    try {
      const submission = await this.records.startValidation(id);
      if (submission) {
        const problem = await this.validator.problem(submission, signal);
        await this.records.settle(id, problem ? 'FAILED' : 'ACCEPTED', problem ?? null);
        this.log(`validated ${JSON.stringify(submission.key)} (${id}): ${problem ? `FAILED: ${problem}` : 'ACCEPTED'}`);
      }
      await this.finish(() => this.boss.complete(VALIDATION_QUEUE, job.id));
    } catch (error) {
      const message = signal.aborted && stopping.aborted ? 'the process stopped during validation' : (error as Error).message;
      if (lastAttempt && !stopping.aborted) {
        this.log(`validation of submission ${id} failed for good after ${job.retryCount + 1} attempts: ${message}`);
        await this.finish(async () => {
          await this.records.settle(id, 'FAILED', `Validation could not run after ${job.retryCount + 1} attempts: ${message}`);
          await this.boss.complete(VALIDATION_QUEUE, job.id);
        });
      } else {
        this.log(`validation of submission ${id} failed (attempt ${job.retryCount + 1} of ${job.retryLimit + 1}), will retry: ${message}`);
        await this.finish(() => this.boss.fail(VALIDATION_QUEUE, job.id, { message }));
      }
    }
  }

  /** Reports a job's end; when the database is down, its lease runs out and the job is retried (and finds nothing to do). */
  private async finish(report: () => Promise<unknown>): Promise<void> {
    try {
      await report();
    } catch (error) {
      this.log(`validation worker: could not record the end of a job (it will be retried after its lease): ${(error as Error).message}`);
    }
  }
}
