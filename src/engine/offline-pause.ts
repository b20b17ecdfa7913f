/**
 * Pausing what runs while the connection is gone (rather than letting every request fail and retry into the void),
 * and resuming exactly those uploads when it is back; uploads the user paused stay paused.
 */
import type { UploadTask } from './upload-task.ts';

/** What the pause needs from the engine. */
export interface OfflinePauseHooks {
  /** Tasks not settled (running or queued). */
  readonly running: () => UploadTask[];
  /** Pauses one task. */
  readonly pause: (task: UploadTask) => void;
  /** Queues one paused task again. */
  readonly schedule: (task: UploadTask) => void;
  readonly log: (message: string) => void;
}

/** Remembers which uploads were paused for being offline. */
export class OfflinePause {
  private readonly paused = new Set<UploadTask>();

  /** @param hooks see {@link OfflinePauseHooks} */
  constructor(private readonly hooks: OfflinePauseHooks) {}

  /** The connection is gone: pause what runs. */
  wentOffline(): void {
    const running = this.hooks.running();
    if (!running.length) return;
    this.hooks.log(`offline: pausing ${running.length} upload(s) until the connection is back`);
    for (const task of running) {
      this.hooks.pause(task);
      this.paused.add(task);
    }
  }

  /** The connection is back: resume what was paused for it. */
  cameOnline(): void {
    const paused = [...this.paused];
    this.paused.clear();
    if (paused.length) this.hooks.log(`online again: resuming ${paused.length} upload(s)`);
    for (const task of paused) if (task.state === 'paused') this.hooks.schedule(task);
  }

  /** The user resumed `task` themselves: it is no longer waiting for the connection. */
  forget(task: UploadTask): void {
    this.paused.delete(task);
  }
}
