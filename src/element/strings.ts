/**
 * Every text <dropoff-uploader> shows or announces, so a page can replace them for another language through the
 * element's `strings` property (a partial object; what it leaves out stays English).
 */
import { formatBytes } from '../engine/sizes.ts';
import type { BatchProgress, UploadState } from '../engine/upload-events.ts';

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
  /** When a retrying file tries again. */
  nextAttempt: (at: Date) => string;
  /** The overall line. */
  summary: (batch: BatchProgress) => string;
  /** Finished files not shown one by one. */
  moreDone: (count: number) => string;
  /** Heading of files that were not added. */
  rejectedTitle: string;
  /** Heading of unfinished uploads found after a reload. */
  resumableTitle: string;
  /** Status of an unfinished upload. */
  resumableStatus: (percent: number, size: number, age: string) => string;
  /**
   * Heading of unfinished uploads when none can resume by itself: the browser kept no file handle (every browser but
   * Chromium), so the user must pick or drop the same file again.
   */
  resumableTitleRepick: string;
  /** Shown on an unfinished upload that only a new pick of its file can resume (no Resume button there). */
  repickToResume: string;
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
  nextAttempt: (at) => `next attempt at ${at.toLocaleTimeString()}`,
  moreDone: (count) => `and ${count} more uploaded`,
  rejectedTitle: 'Not added',
  resumableTitle: 'Unfinished uploads from before: resume them, or add the same file again, to go on where they stopped.',
  resumableStatus: (percent, size, ago) => `Resumable · ${percent}% of ${formatBytes(size)} · ${ago}`,
  resumableTitleRepick: 'Unfinished uploads from before: to go on where one stopped, pick or drop the same file again. This browser cannot reopen it by itself.',
  repickToResume: 'Pick this file again to resume it.',
  notAccepted: (accept) => `This type of file is not accepted here (accepted: ${accept}).`,
  tooLarge: (max) => `The file is larger than the ${formatBytes(max)} allowed.`,
  tooMany: (max) => `At most ${max} files may be added.`,
  announceDone: (name) => `${name} uploaded.`,
  announceFailed: (name, message) => `${name} failed: ${message}`,
  announceAllDone: (b) => `All uploads finished: ${b.filesDone} of ${b.filesTotal} files stored${b.filesFailed ? `, ${b.filesFailed} failed` : ''}.`,
};
