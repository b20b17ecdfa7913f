/**
 * Every text <dropoff-uploader> shows or announces. Each shipped language (src/element/i18n/<lang>.ts) fills these;
 * a page replaces any of them through the element's `strings` property. Sentences get a {@link Formats} as their
 * last argument, for numbers, sizes, rates and dates in the element's language.
 */
import type { BatchProgress, UploadState } from '../../engine/upload-events.ts';
import type { ByteUnits, Formats } from './formats.ts';

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

/** The uploader's texts. */
export interface UploaderStrings {
  /** Unit names of bytes: B, KiB, MiB, GiB, TiB. */
  byteUnits: ByteUnits;
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
  /** Accessible name of a row's button: the action and the file ("Pause survey.mseed"). */
  itemAction: (action: string, name: string) => string;
  /** Accessible name of the list of files. */
  listLabel: string;
  /** Accessible name of the overall progress bar. */
  overallProgress: string;
  /** Accessible name of a file's progress bar. */
  itemProgress: (name: string) => string;
  /** Label before a stored file's SHA-256. */
  sha256Label: string;
  /** Status line of a file. */
  fileStatus: (state: string, percent: number, size: number | undefined, f: Formats) => string;
  /** Status of a small file, on its one-line row. */
  compactStatus: (state: string, percent: number, size: number | undefined, f: Formats) => string;
  /** When a retrying file tries again. */
  nextAttempt: (at: Date, f: Formats) => string;
  /** The overall line while files are queued, running or paused. */
  summary: (batch: BatchProgress, f: Formats) => string;
  /** The overall line once every file is stored or failed, with the average rate over the batch. */
  completed: (summary: CompletedSummary, f: Formats) => string;
  /** Finished files not shown one by one. */
  moreDone: (count: number, f: Formats) => string;
  /** Queued files not shown one by one. */
  moreQueued: (count: number, f: Formats) => string;
  /** Running files not shown one by one. */
  moreRunning: (count: number, f: Formats) => string;
  /** Paused files not shown one by one. */
  morePaused: (count: number, f: Formats) => string;
  /** Failed files not shown one by one. */
  moreFailed: (count: number, f: Formats) => string;
  /** Refused files not shown one by one. */
  moreRejected: (count: number, f: Formats) => string;
  /** Heading of files that were not added. */
  rejectedTitle: string;
  /** Heading of unfinished uploads found after a reload. */
  resumableTitle: string;
  /** Status of an unfinished upload; `ago` is already written ("5 minutes ago"). */
  resumableStatus: (percent: number, size: number, ago: string, f: Formats) => string;
  /**
   * Heading of unfinished uploads when none can resume by itself: the browser kept no file handle (every browser but
   * Chromium), so the user must pick or drop the same file again.
   */
  resumableTitleRepick: string;
  /** Shown on an unfinished upload that only a new pick of its file can resume (no Resume button there). */
  repickToResume: string;
  /** Reasons a file is not added. */
  notAccepted: (accept: string) => string;
  tooLarge: (max: number, f: Formats) => string;
  tooMany: (max: number, f: Formats) => string;
  /** Polite announcements. */
  announceDone: (name: string) => string;
  announceFailed: (name: string, message: string) => string;
  announceAllDone: (batch: BatchProgress, f: Formats) => string;
}
