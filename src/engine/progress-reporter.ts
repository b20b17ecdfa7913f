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

  /**
   * @param tasks every task the engine knows
   * @param emit sends one progress event
   * @param intervalMs shortest time between two events of one file
   */
  constructor(
    private readonly tasks: () => Iterable<UploadTask>,
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
      this.send(task, now);
    } else if (!this.timers.has(task)) {
      this.timers.set(task, setTimeout(() => {
        this.timers.delete(task);
        this.send(task, Date.now());
      }, last + this.intervalMs - now));
    }
  }

  /** Totals over all tasks now. */
  batch(now = Date.now()): BatchProgress {
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
    return {
      filesTotal, filesDone, filesFailed, bytesTotal, bytesSent,
      bytesPerSecond: Math.round(this.rate),
      etaSeconds: this.rate > 0 ? Math.ceil(remaining / this.rate) : remaining === 0 ? 0 : undefined,
      elapsedSeconds: this.startedAt === undefined ? 0 : Math.round((now - this.startedAt) / 1000),
    };
  }

  /** Stops pending timers. */
  dispose(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }

  private send(task: UploadTask, now: number): void {
    this.lastSent.set(task, now);
    this.emit({ ...task.progress(), batch: this.batch(now) });
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
