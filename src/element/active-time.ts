/**
 * The time a batch spent uploading: from the moment files are queued to the moment nothing is queued or running, over
 * every such stretch, with paused and idle time left out. The end summary divides the bytes stored by it, so its rate
 * is the batch's average, not a decayed instantaneous one.
 */
export class ActiveTime {
  private since: number | undefined;
  private totalMs = 0;

  /** Files are queued or running (again); a stretch begins unless one is open. */
  start(now = performance.now()): void {
    this.since ??= now;
  }

  /** Nothing is queued or running: the open stretch ends. */
  stop(now = performance.now()): void {
    if (this.since === undefined) return;
    this.totalMs += now - this.since;
    this.since = undefined;
  }

  /** Forgets every stretch (the list was emptied). */
  reset(): void {
    this.since = undefined;
    this.totalMs = 0;
  }

  /** Seconds spent uploading so far, the open stretch included. */
  seconds(now = performance.now()): number {
    return (this.totalMs + (this.since === undefined ? 0 : now - this.since)) / 1000;
  }
}
