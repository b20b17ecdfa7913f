/**
 * Processing tasks as durable jobs on the job queue (pg-boss, as validation runs: server/jobs/). A worker claims a
 * task's job with a lease, which it renews while the task runs (a long inventory is not taken for a dead worker's);
 * a worker that dies stops renewing, the lease runs out and another worker runs the task again. A failure of the data
 * ({@link ProcessingFailure}) fails the task at once; any other error is retried with backoff up to the attempts.
 */
import type PgBoss from 'pg-boss';
import type { Database } from '../records/database.ts';
import type { JobSettings } from '../jobs/job-settings.ts';
import { QueueWorkers } from '../jobs/queue-workers.ts';
import type { UploadStore } from '../storage/upload-store.ts';
import { ProcessingFailure, type Json, type Processor, type StagedObject } from './processor.ts';
import { processorNamed } from './registry.ts';
import { submissionsById, type StagedSubmission } from './staged-objects.ts';
import { TaskStore } from './task-store.ts';

/** The queue processing jobs go to. */
export const PROCESSING_QUEUE = 'process-task';

/** How long a task waits for its objects' validation before it gives up. */
const VALIDATION_WAIT_MS = 30 * 60 * 1000;

/** The data of a processing job. */
interface ProcessingJob {
  readonly taskId: string;
}

/** Sends and runs processing jobs. */
export class ProcessingJobs extends QueueWorkers<ProcessingJob> {
  /** The tasks table. */
  readonly tasks: TaskStore;

  /**
   * @param boss the started job queue
   * @param db the records database
   * @param store the storage processors read from
   * @param settings concurrency, lease, attempts, retry delay, poll period
   * @param log log lines
   */
  constructor(
    boss: PgBoss,
    private readonly db: Database,
    private readonly store: UploadStore,
    settings: JobSettings,
    log: (line: string) => void,
  ) {
    super(boss, PROCESSING_QUEUE, settings, log, 'processing worker');
    this.tasks = new TaskStore(db);
  }

  /** Creates the queue (idempotent). */
  async setUp(): Promise<void> {
    await this.boss.createQueue(PROCESSING_QUEUE, {
      name: PROCESSING_QUEUE, policy: 'standard', retryLimit: this.settings.attempts - 1, retryDelay: this.settings.retryDelaySeconds,
      retryBackoff: true, expireInSeconds: this.settings.leaseSeconds,
    });
  }

  /** Queues the jobs of tasks `ids` (a task's job id is its own id: sending one twice inserts nothing new). */
  async enqueue(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.boss.insert(ids.map((id) => ({
      id, name: PROCESSING_QUEUE, data: { taskId: id },
      retryLimit: this.settings.attempts - 1, retryDelay: this.settings.retryDelaySeconds, retryBackoff: true, expireInSeconds: this.settings.leaseSeconds,
    })));
    this.wakeUp();
  }

  /**
   * Gives every task that has not ended a job again when it lost its own (queued but never sent, or its job ended
   * without the task: archived, cancelled); fails a task whose job failed for good.
   */
  async sweep(): Promise<void> {
    const open = await this.tasks.open(200);
    if (open.length === 0) return;
    const jobs = new Map((await this.db.query<{ id: string; state: string; output: { message?: string } | null }>(
      'SELECT id::text, state::text, output FROM pgboss.job WHERE name = $1 AND id = ANY($2::uuid[])', [PROCESSING_QUEUE, open])).map((r) => [r.id, r]));
    const lost: string[] = [];
    for (const id of open) {
      const job = jobs.get(id);
      if (!job || job.state === 'completed' || job.state === 'cancelled') lost.push(id);
      else if (job.state === 'failed') await this.tasks.fail(id, `Processing could not run: ${job.output?.message ?? 'its job failed'}`);
    }
    if (lost.length === 0) return;
    await this.db.query(`DELETE FROM pgboss.job WHERE name = $1 AND id = ANY($2::uuid[]) AND state IN ('completed', 'cancelled')`, [PROCESSING_QUEUE, lost]);
    this.log(`processing sweep: ${lost.length} task(s) without a job, queued again`);
    await this.enqueue(lost);
  }

  protected async run(job: PgBoss.JobWithMetadata<ProcessingJob>, signal: AbortSignal): Promise<void> {
    const id = job.data.taskId;
    const attempt = job.retryCount + 1;
    const lastAttempt = job.retryCount >= job.retryLimit;
    const renewing = this.renewLease(job.id, signal);
    try {
      const task = await this.tasks.forRun(id);
      if (!task || task.status === 'succeeded' || task.status === 'failed') {
        await this.finish(() => this.boss.complete(PROCESSING_QUEUE, job.id));
        return;
      }
      const processor = processorNamed(task.processor);
      if (!processor) throw new ProcessingFailure(`This server has no processor named "${task.processor}".`);
      const { objects, skipped } = await this.validated(task.submissionIds, signal);
      await this.tasks.start(id);
      this.log(`processing task ${id} (${processor.name}, ${objects.length} object(s), attempt ${attempt}) started`);
      const result = await this.runProcessor(processor, id, objects, signal);
      const stored: Json = skipped.length > 0 && result && typeof result === 'object' && !Array.isArray(result)
        ? { ...(result as { [key: string]: Json }), skipped: skipped.map((s) => ({ key: s.key, reason: s.message ?? 'validation failed' })) }
        : result;
      await this.tasks.succeed(id, stored, processor.summarize(result) + (skipped.length > 0 ? `; ${skipped.length} skipped (validation failed)` : ''));
      this.log(`processing task ${id} succeeded: ${processor.summarize(result)}`);
      await this.finish(() => this.boss.complete(PROCESSING_QUEUE, job.id));
    } catch (error) {
      const message = (error as Error).message;
      if (error instanceof ProcessingFailure) {
        this.log(`processing task ${id} failed: ${message}`);
        await this.finish(async () => {
          await this.tasks.fail(id, message);
          await this.boss.complete(PROCESSING_QUEUE, job.id);
        });
      } else if (signal.aborted) {
        this.log(`processing task ${id} handed back: the process is stopping`);
        await this.finish(async () => {
          await this.tasks.requeue(id, `Attempt ${attempt} was interrupted: the server stopped. The task runs again shortly.`);
          await this.boss.fail(PROCESSING_QUEUE, job.id, { message: 'the process stopped during processing' });
        });
      } else if (lastAttempt) {
        this.log(`processing task ${id} failed for good after ${attempt} attempts: ${message}`);
        await this.finish(async () => {
          await this.tasks.fail(id, `Processing could not run after ${attempt} attempts: ${message}`);
          await this.boss.complete(PROCESSING_QUEUE, job.id);
        });
      } else {
        this.log(`processing task ${id} failed (attempt ${attempt} of ${job.retryLimit + 1}), will retry: ${message}`);
        await this.finish(async () => {
          await this.tasks.requeue(id, `Attempt ${attempt} failed (${message}); it is retried.`);
          await this.boss.fail(PROCESSING_QUEUE, job.id, { message });
        });
      }
    } finally {
      renewing.stop();
    }
  }

  private runProcessor(processor: Processor, id: string, objects: readonly StagedObject[], signal: AbortSignal): Promise<Json> {
    return processor.run({ objects, store: this.store, signal, progress: (done) => this.tasks.progress(id, done) });
  }

  /**
   * The task's objects once none is still being validated (waits, checking every second): those ACCEPTED, and those
   * that FAILED validation (skipped). Throws ProcessingFailure when none can be processed.
   */
  private async validated(ids: readonly number[], signal: AbortSignal): Promise<{ objects: StagedObject[]; skipped: StagedSubmission[] }> {
    const deadline = Date.now() + VALIDATION_WAIT_MS;
    for (;;) {
      const submissions = await submissionsById(this.db, ids);
      const pending = submissions.filter((s) => s.status === 'VALIDATING' || s.status === 'AUTHORIZED');
      if (pending.length === 0) {
        const objects = submissions.filter((s) => s.status === 'ACCEPTED').map((s) => ({ key: s.key, size: s.size ?? 0 }));
        const skipped = submissions.filter((s) => s.status === 'FAILED');
        if (objects.length === 0) {
          throw new ProcessingFailure(`None of the ${ids.length} object(s) passed validation${skipped[0] ? ` (${skipped[0].key}: ${skipped[0].message ?? 'FAILED'})` : ''}.`);
        }
        return { objects, skipped };
      }
      if (Date.now() > deadline) throw new ProcessingFailure(`${pending.length} object(s) were still being validated after ${VALIDATION_WAIT_MS / 60_000} minutes (e.g. ${pending[0]!.key}).`);
      await new Promise<void>((resolve) => setTimeout(resolve, 1000));
      signal.throwIfAborted();
    }
  }

  /**
   * Renews job `jobId`'s lease every third of it while the task runs: the lease then says "this worker is alive",
   * not "this task is short". pg-boss 10 has no heartbeat of its own; its expiry check is started_on + expire_in.
   */
  private renewLease(jobId: string, signal: AbortSignal): { stop(): void } {
    const lease = this.settings.leaseSeconds;
    const timer = setInterval(() => {
      if (signal.aborted) return;
      this.db.query(
        `UPDATE pgboss.job SET expire_in = (now() - started_on) + make_interval(secs => $3) WHERE name = $1 AND id = $2::uuid AND state = 'active'`,
        [PROCESSING_QUEUE, jobId, lease]).catch((error: unknown) => this.log(`processing worker: could not renew a lease: ${(error as Error).message}`));
    }, Math.max(1, lease / 3) * 1000);
    timer.unref();
    return { stop: () => clearInterval(timer) };
  }

  /** Reports a job's end; when the database is down, its lease runs out and the job is retried. */
  private async finish(report: () => Promise<unknown>): Promise<void> {
    try {
      await report();
    } catch (error) {
      this.log(`processing worker: could not record the end of a task (it will be retried after its lease): ${(error as Error).message}`);
    }
  }
}
