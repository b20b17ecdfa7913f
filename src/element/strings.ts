/**
 * Every text <dropoff-uploader> shows or announces, so a page can replace them for another language through the
 * element's `strings` property (a partial object; what it leaves out stays English).
 */
import { formatBytes } from '../engine/sizes.ts';
import type { BatchProgress, UploadState } from '../engine/upload-events.ts';

/** What the overall line says once nothing is queued, running or paused any more. */
export interface CompletedSummary {
  /** Files stored. */
  readonly files: number;
  /** Files failed. */
  readonly failed: number;
  /** Bytes of the files stored. */
  readonly bytes: number;
  /** Average rate over the batch: bytes stored / seconds spent uploading. */
  readonly bytesPerSecond: number;
  /** Seconds spent uploading (time paused or idle not counted). */
  readonly seconds: number;
}

/** The element's texts. */
export interface UploaderStrings {
  /** The drop zone's text before the "choose" link. */
  dropPrompt: string;
  /** The drop zone's link-like text. */
  choose: string;
  /** The drop zone's text for folders (`directory`). */
  chooseFolder: string;
  /** Hint under the drop zone. */
  destinationHint: (destination: string) => string;
  /** Hint under the drop zone without a destination. */
  noDestinationHint: string;
  /** State names. */
  states: Record<UploadState, string>;
  /** Button labels. */
  pause: string;
  resume: string;
  cancel: string;
  retry: string;
  remove: string;
  discard: string;
  dismiss: string;
  pauseAll: string;
  resumeAll: string;
  cancelAll: string;
  retryFailed: string;
  copy: string;
  copied: string;
  /** Status line of a file. */
  fileStatus: (state: string, percent: number, size: number | undefined) => string;
  /** Status of a small file, on its one-line row. */
  compactStatus: (state: string, percent: number, size: number | undefined) => string;
  /** When a retrying file tries again. */
  nextAttempt: (at: Date) => string;
  /** The overall line while files are queued, running or paused. */
  summary: (batch: BatchProgress) => string;
  /** The overall line once every file is stored or failed, with the average rate over the batch. */
  completed: (summary: CompletedSummary) => string;
  /** Finished files not shown one by one. */
  moreDone: (count: number) => string;
  /** Queued files not shown one by one. */
  moreQueued: (count: number) => string;
  /** Running files not shown one by one. */
  moreRunning: (count: number) => string;
  /** Paused files not shown one by one. */
  morePaused: (count: number) => string;
  /** Failed files not shown one by one. */
  moreFailed: (count: number) => string;
  /** Refused files not shown one by one. */
  moreRejected: (count: number) => string;
  /** Heading of files that were not added. */
  rejectedTitle: string;
  /** Heading of unfinished uploads found after a reload. */
  resumableTitle: string;
  /** Status of an unfinished upload. */
  resumableStatus: (percent: number, size: number, age: string) => string;
  /** Reasons a file is not added. */
  notAccepted: (accept: string) => string;
  tooLarge: (max: number) => string;
  tooMany: (max: number) => string;
  /** Polite announcements. */
  announceDone: (name: string) => string;
  announceFailed: (name: string, message: string) => string;
  announceAllDone: (batch: BatchProgress) => string;
}

/** How long ago `time` was. */
export function age(time: number): string {
  const minutes = Math.round((Date.now() - time) / 60_000);
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  return hours < 48 ? `${hours} h ago` : `${Math.round(hours / 24)} days ago`;
}

/** `seconds` as a clock reads: `0:36`, `12:05`, `1:02:03`. */
export function clockTime(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const two = (n: number) => String(n).padStart(2, '0');
  const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60);
  return h ? `${h}:${two(m)}:${two(s % 60)}` : `${m}:${two(s % 60)}`;
}

const numbers = new Intl.NumberFormat('en-US');
/** `4,990`; one formatter for all (toLocaleString makes a new one per call, slow at 10 renders a second). */
const count = (n: number) => numbers.format(n);

function duration(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  return minutes < 60 ? `${minutes} min ${seconds % 60} s` : `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/** The English texts. */
export const ENGLISH: UploaderStrings = {
  dropPrompt: 'Drop files here or',
  choose: 'choose files',
  chooseFolder: 'choose a folder',
  destinationHint: (destination) => `Uploads to ${destination}`,
  noDestinationHint: 'Files keep their names as keys',
  states: {
    queued: 'Queued', hashing: 'Hashing', uploading: 'Uploading', retrying: 'Retrying', completing: 'Completing', paused: 'Paused',
    done: 'Done', failed: 'Failed', cancelled: 'Cancelled',
  },
  pause: 'Pause',
  resume: 'Resume',
  cancel: 'Cancel',
  retry: 'Retry',
  remove: 'Remove',
  discard: 'Discard',
  dismiss: 'Dismiss',
  pauseAll: 'Pause all',
  resumeAll: 'Resume all',
  cancelAll: 'Cancel all',
  retryFailed: 'Retry failed',
  copy: 'Copy SHA-256',
  copied: 'Copied',
  fileStatus: (state, percent, size) => `${state} · ${percent}% of ${size === undefined ? 'unknown size' : formatBytes(size)}`,
  summary: (b) => `${b.filesDone}/${b.filesTotal} files · ${formatBytes(b.bytesSent)} of ${formatBytes(b.bytesTotal)} · `
    + `${formatBytes(b.bytesPerSecond)}/s · ${duration(b.elapsedSeconds)} elapsed · `
    + `ETA ${b.etaSeconds === undefined ? '…' : duration(b.etaSeconds)}${b.filesFailed ? ` · ${b.filesFailed} failed` : ''}`,
  compactStatus: (state, percent, size) => (size === undefined ? state
    : percent > 0 && percent < 100 ? `${state} · ${percent}% of ${formatBytes(size)}` : `${state} · ${formatBytes(size)}`),
  completed: (c) => `Completed ${count(c.files)} upload${c.files === 1 ? '' : 's'}${c.failed ? ` · ${count(c.failed)} failed` : ''} · `
    + `${formatBytes(c.bytes)} · ${formatBytes(c.bytesPerSecond)}/s · ${clockTime(c.seconds)}`,
  nextAttempt: (at) => `next attempt at ${at.toLocaleTimeString()}`,
  moreDone: (n) => `and ${count(n)} more uploaded`,
  moreQueued: (n) => `and ${count(n)} more queued`,
  moreRunning: (n) => `and ${count(n)} more uploading`,
  morePaused: (n) => `and ${count(n)} more paused`,
  moreFailed: (n) => `and ${count(n)} more failed`,
  moreRejected: (n) => `and ${count(n)} more not added`,
  rejectedTitle: 'Not added',
  resumableTitle: 'Unfinished uploads from before: resume them, or add the same file again, to go on where they stopped.',
  resumableStatus: (percent, size, ago) => `Resumable · ${percent}% of ${formatBytes(size)} · ${ago}`,
  notAccepted: (accept) => `This type of file is not accepted here (accepted: ${accept}).`,
  tooLarge: (max) => `The file is larger than the ${formatBytes(max)} allowed.`,
  tooMany: (max) => `At most ${max} files may be added.`,
  announceDone: (name) => `${name} uploaded.`,
  announceFailed: (name, message) => `${name} failed: ${message}`,
  announceAllDone: (b) => `All uploads finished: ${b.filesDone} of ${b.filesTotal} files stored${b.filesFailed ? `, ${b.filesFailed} failed` : ''}.`,
};
