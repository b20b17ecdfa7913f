/**
 * Throttled progress: at most one `progress` event per file per interval (and always one when a file settles), with
 * batch totals and a smoothed rate.
 */
import type { BatchProgress, ProgressDetail } from './upload-events.ts';
import type { UploadTask } from './upload-task.ts';

/** Computes batch totals and decides when a file's progress is reported. */
export class ProgressReporter {
  private readonly lastSent = new Map<UploadTask, number>();
  private readonly timers = new Map<UploadTask, ReturnType<typeof setTimeout>>();
  private startedAt: number | undefined;
  private rate = 0;
  private lastSample: { at: number; bytes: number } | undefined;
  private cached: { at: number; batch: BatchProgress } | undefined;

  /**
   * @param tasks every task the engine knows
   * @param emit sends one progress event
   * @param intervalMs shortest time between two events of one file
   */
  constructor(
    private readonly tasks: () => readonly UploadTask[],
    private readonly emit: (detail: ProgressDetail) => void,
    private readonly intervalMs: number,
  ) {}

  /** Reports `task`'s progress now, or at the end of its interval; `final` reports at once. */
  report(task: UploadTask, final = false): void {
    this.startedAt ??= Date.now();
    const now = Date.now();
    const last = this.lastSent.get(task) ?? 0;
    if (final || now - last >= this.intervalMs) {
      clearTimeout(this.timers.get(task));
      this.timers.delete(task);
      this.send(task, now, final);
    } else if (!this.timers.has(task)) {
      this.timers.set(task, setTimeout(() => {
        this.timers.delete(task);
        this.send(task, Date.now());
      }, last + this.intervalMs - now));
    }
  }

  /**
   * Totals over all tasks. Summing is linear in the number of tasks, so the totals are reused for 100 ms (`cached`),
   * 20 ms (`fresh`, for a file's last event), or summed now (`exact`): a folder of 100,000 files must not cost a sum
   * per event.
   */
  batch(now = Date.now(), age: 'cached' | 'fresh' | 'exact' = 'cached'): BatchProgress {
    const maxAge = age === 'exact' ? -1 : age === 'fresh' ? 20 : 100;
    if (this.cached && now - this.cached.at <= maxAge) return this.cached.batch;
    let filesTotal = 0, filesDone = 0, filesFailed = 0, bytesTotal = 0, bytesSent = 0;
    for (const task of this.tasks()) {
      if (task.state === 'cancelled') continue;
      filesTotal++;
      if (task.state === 'done') filesDone++;
      if (task.state === 'failed') filesFailed++;
      bytesTotal += task.size ?? task.bytesBuffered;
      bytesSent += task.progress().bytesSent;
    }
    this.sample(now, bytesSent);
    const remaining = bytesTotal - bytesSent;
    const batch = {
      filesTotal, filesDone, filesFailed, bytesTotal, bytesSent,
      bytesPerSecond: Math.round(this.rate),
      etaSeconds: this.rate > 0 ? Math.ceil(remaining / this.rate) : remaining === 0 ? 0 : undefined,
      elapsedSeconds: this.startedAt === undefined ? 0 : Math.round((now - this.startedAt) / 1000),
    };
    this.cached = { at: now, batch };
    return batch;
  }

  private send(task: UploadTask, now: number, final = false): void {
    this.lastSent.set(task, now);
    // A file's last event carries exact totals, unless there are so many files that summing each time would cost.
    const age = !final ? 'cached' : this.tasks().length < 1000 ? 'exact' : 'fresh';
    this.emit({ ...task.progress(), batch: this.batch(now, age) });
  }

  /** Exponentially weighted rate over samples at least 250 ms apart (time constant about 3 s). */
  private sample(now: number, bytes: number): void {
    if (!this.lastSample) {
      this.lastSample = { at: now, bytes };
      return;
    }
    const seconds = (now - this.lastSample.at) / 1000;
    if (seconds < 0.25) return;
    const instant = Math.max(0, bytes - this.lastSample.bytes) / seconds;
    const weight = 1 - Math.exp(-seconds / 3);
    this.rate = this.rate === 0 ? instant : this.rate + weight * (instant - this.rate);
    this.lastSample = { at: now, bytes };
  }
}
