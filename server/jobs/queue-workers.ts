/**
 * Workers claiming the jobs of one pg-boss queue in this process: `concurrency` loops, each fetching one job at a
 * time, running it, and otherwise sleeping until jobs are sent from this process (`wakeUp`) or the poll period ends.
 * Stopping aborts the jobs in progress (their `signal`), so each subclass hands its job back to be run again later.
 * Subclasses say what a job does; validation (validation-jobs.ts) and processing (server/processing/) are two.
 */
import type PgBoss from 'pg-boss';
import type { JobSettings } from './job-settings.ts';

/** The claiming loops of one queue; `run` is the job's work. */
export abstract class QueueWorkers<T extends object> {
  private readonly stopping = new AbortController();
  private loops: Promise<void>[] = [];
  private wake: (() => void)[] = [];

  /**
   * @param boss the started job queue
   * @param queue the queue's name
   * @param settings concurrency and poll period (and the rest, for subclasses)
   * @param log log lines
   * @param name how log lines name these workers, e.g. `validation worker`
   */
  constructor(
    protected readonly boss: PgBoss,
    private readonly queue: string,
    protected readonly settings: JobSettings,
    protected readonly log: (line: string) => void,
    private readonly name: string,
  ) {}

  /** Starts `settings.concurrency` workers in this process. */
  start(): void {
    for (let i = 0; i < this.settings.concurrency; i++) this.loops.push(this.work());
  }

  /**
   * Stops claiming jobs and aborts those in progress, whose jobs are handed back (run again by another worker), within
   * `graceMs`.
   */
  async stop(graceMs = 3000): Promise<void> {
    this.stopping.abort(new Error('the process is stopping'));
    this.wakeUp();
    const timer = new Promise<void>((resolve) => setTimeout(resolve, graceMs).unref());
    await Promise.race([Promise.all(this.loops), timer]);
  }

  /** Wakes the idle workers: jobs were just sent (or the process is stopping). */
  protected wakeUp(): void {
    for (const wake of this.wake.splice(0)) wake();
  }

  /** Does one claimed job; `signal` aborts when the process is stopping. Settles the job itself. */
  protected abstract run(job: PgBoss.JobWithMetadata<T>, signal: AbortSignal): Promise<void>;

  private async work(): Promise<void> {
    const signal = this.stopping.signal;
    while (!signal.aborted) {
      let jobs: PgBoss.JobWithMetadata<T>[] = [];
      try {
        jobs = await this.boss.fetch<T>(this.queue, { batchSize: 1, includeMetadata: true });
      } catch (error) {
        this.log(`${this.name}: could not fetch jobs: ${(error as Error).message}`);
      }
      const job = jobs[0];
      if (job) await this.run(job, signal);
      else await this.idle(signal);
    }
  }

  private idle(signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wake = this.wake.filter((w) => w !== done);
        resolve();
      };
      const timer = setTimeout(done, this.settings.pollSeconds * 1000);
      if (signal.aborted) done();
      else this.wake.push(done);
    });
  }
}
