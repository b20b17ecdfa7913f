/**
 * <dropoff-browser>'s English: the texts every other language falls back to, key by key.
 */
import type { BrowserStrings } from './browser-strings.ts';

/** The browser in English. */
export const ENGLISH_BROWSER: BrowserStrings = {
  byteUnits: ['B', 'KiB', 'MiB', 'GiB', 'TiB'],
  yourSpace: 'your space',
  breadcrumb: 'Prefix',
  caption: (prefix) => `Objects under ${prefix}`,
  name: 'Name',
  size: 'Size',
  lastSubmitted: 'Last submitted',
  status: 'Status',
  message: 'Message',
  submitted: 'Submitted',
  sha256: 'SHA-256',
  unknown: '—',
  empty: (prefix) => `Nothing submitted under ${prefix} yet.`,
  openFolder: (folder) => `Open folder ${folder}`,
  historyOf: (name) => `History of ${name}`,
  loadMore: 'Load more',
  closeHistory: 'Close history',
  summaryTitle: 'Summary',
  submittedAfter: 'Submitted after',
  submittedBefore: 'Submitted before',
  total: 'Total',
  statuses: { AUTHORIZED: 'Authorized', VALIDATING: 'Validating', ACCEPTED: 'Accepted', FAILED: 'Failed' },
  loading: 'Loading…',
  loaded: (count, prefix, f) => `${f.number(count)} ${count === 1 ? 'object' : 'objects'} under ${prefix}`,
  failed: (message) => `Could not load: ${message}`,
  tasksTitle: 'Processing tasks',
  processor: 'Processor',
  prefix: 'Prefix',
  created: 'Started',
  result: 'Result',
  taskStatuses: { queued: 'Queued', running: 'Running', succeeded: 'Succeeded', failed: 'Failed' },
  taskProgress: (done, total, f) => `${f.number(done)} of ${f.number(total)} objects`,
};
