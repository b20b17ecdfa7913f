/**
 * Upload progress on the terminal, as the seed CLI shows it: one overall line (files done/total, bytes, MB/s,
 * elapsed), a bar per file being sent, and at the end nothing but the summary (the bars are cleared). Drawn with
 * cli-progress on standard error, and only when that is a terminal: piped or redirected output stays clean.
 */
import cliProgress from 'cli-progress';
import { formatBytes } from '../engine/sizes.ts';

/** What the overall line shows. */
export interface Totals {
  readonly filesDone: number;
  readonly filesTotal: number;
  readonly bytesSent: number;
  /** Undefined for standard input, whose size is not known in advance. */
  readonly bytesTotal: number | undefined;
  readonly bytesPerSecond: number;
}

/** Seconds as `1h02m03s`, `2m03s` or `3s`. */
export function formatElapsed(seconds: number): string {
  const s = Math.floor(seconds % 60), m = Math.floor(seconds / 60) % 60, h = Math.floor(seconds / 3600);
  if (h) return `${h}h${String(m).padStart(2, '0')}m${String(s).padStart(2, '0')}s`;
  return m ? `${m}m${String(s).padStart(2, '0')}s` : `${s}s`;
}

/** Bytes per second as decimal megabytes per second, as the seed CLI shows speed. */
export function formatRate(bytesPerSecond: number): string {
  return `${(bytesPerSecond / 1e6).toFixed(1)} MB/s`;
}

/** The overall line's text. */
export function overallLine(totals: Totals, elapsedSeconds: number): string {
  const bytes = totals.bytesTotal === undefined ? formatBytes(totals.bytesSent) : `${formatBytes(totals.bytesSent)} / ${formatBytes(totals.bytesTotal)}`;
  return `${totals.filesDone}/${totals.filesTotal} files | ${bytes} | ${formatRate(totals.bytesPerSecond)} | ${formatElapsed(elapsedSeconds)}`;
}

/** At most this many file bars at once: a folder of small files would otherwise scroll the terminal away. */
const MAX_FILE_BARS = 10;

/** The terminal view; every method is a no-op when it is disabled. */
export class ProgressView {
  private readonly bars: cliProgress.MultiBar | undefined;
  private overall: cliProgress.SingleBar | undefined;
  private readonly files = new Map<string, cliProgress.SingleBar>();
  private readonly startedAt = Date.now();

  /** @param enabled draw at all (false with --json, or when standard error is not a terminal) */
  constructor(enabled: boolean) {
    if (!enabled) return;
    this.bars = new cliProgress.MultiBar({
      stream: process.stderr,
      clearOnComplete: true,
      hideCursor: true,
      autopadding: true,
      barsize: 24,
      fps: 5,
      format: (options, params, payload: { line?: string; name?: string }) => {
        const width = options.barsize ?? 24;
        const filled = Math.round(Math.min(1, params.progress) * width);
        const bar = `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
        return payload.line !== undefined ? `${bar} ${payload.line}` : `${bar} ${String(Math.floor(params.progress * 100)).padStart(3)}% ${payload.name ?? ''}`;
      },
    });
  }

  /** Updates the overall line. */
  total(totals: Totals): void {
    if (!this.bars) return;
    const line = overallLine(totals, (Date.now() - this.startedAt) / 1000);
    const total = Math.max(1, totals.bytesTotal ?? totals.bytesSent);
    if (!this.overall) this.overall = this.bars.create(total, totals.bytesSent, { line });
    else {
      this.overall.setTotal(total);
      this.overall.update(totals.bytesSent, { line });
    }
  }

  /** Shows or moves the bar of one file being sent. */
  file(key: string, bytesSent: number, totalBytes: number | undefined): void {
    if (!this.bars) return;
    const total = Math.max(1, totalBytes ?? bytesSent);
    const bar = this.files.get(key);
    if (!bar) {
      if (this.files.size < MAX_FILE_BARS) this.files.set(key, this.bars.create(total, bytesSent, { name: key }));
    }
    else {
      bar.setTotal(total);
      bar.update(bytesSent);
    }
  }

  /** Removes the bar of a file that is stored, failed or stopped. */
  settled(key: string): void {
    const bar = this.files.get(key);
    if (!bar || !this.bars) return;
    this.files.delete(key);
    this.bars.remove(bar);
  }

  /** Clears every bar, leaving the terminal for the summary. */
  stop(): void {
    if (!this.bars) return;
    for (const bar of this.files.values()) this.bars.remove(bar);
    this.files.clear();
    if (this.overall) this.bars.remove(this.overall);
    this.bars.stop();
  }
}
