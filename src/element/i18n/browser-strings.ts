/**
 * Every text <dropoff-browser> shows or announces. Each shipped language fills these; a page replaces any of them
 * through the element's `strings` property.
 */
import type { ByteUnits, Formats } from './formats.ts';

/** The browser's texts. */
export interface BrowserStrings {
  /** Unit names of bytes: B, KiB, MiB, GiB, TiB. */
  byteUnits: ByteUnits;
  /** Stands for the user's space when no prefix is set. */
  yourSpace: string;
  /** Accessible name of the breadcrumb. */
  breadcrumb: string;
  /** Caption of the table. */
  caption: (prefix: string) => string;
  /** Column headings. */
  name: string;
  size: string;
  lastSubmitted: string;
  status: string;
  message: string;
  submitted: string;
  sha256: string;
  /** Shown for a size or hash not known. */
  unknown: string;
  /** The only row of an empty listing. */
  empty: (prefix: string) => string;
  /** Accessible name of a folder's button. */
  openFolder: (folder: string) => string;
  /** Accessible name of an object's button, and the heading of its history. */
  historyOf: (name: string) => string;
  loadMore: string;
  closeHistory: string;
  summaryTitle: string;
  submittedAfter: string;
  submittedBefore: string;
  total: string;
  /** Names of the submission statuses (AUTHORIZED, VALIDATING, ACCEPTED, FAILED); others are shown as they come. */
  statuses: Record<string, string>;
  /** Polite announcements. */
  loading: string;
  loaded: (count: number, prefix: string, f: Formats) => string;
  /** A failed call, with the server's or the network's message. */
  failed: (message: string) => string;
  /** Heading of the processing tasks, and their column headings. */
  tasksTitle: string;
  processor: string;
  prefix: string;
  created: string;
  result: string;
  /** Names of the task statuses (queued, running, succeeded, failed). */
  taskStatuses: Record<string, string>;
  /** A running task's progress. */
  taskProgress: (done: number, total: number, f: Formats) => string;
}
