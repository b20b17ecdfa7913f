/**
 * The uploader's English: the texts every other language falls back to, key by key. Bundled with the element; the
 * other languages are chunks loaded when an element first needs them. (The browser's English is en-browser.ts, so
 * that it travels with <dropoff-browser> in the one-file bundle.)
 */
import type { UploaderStrings } from './uploader-strings.ts';

/** The uploader in English. */
export const ENGLISH: UploaderStrings = {
  byteUnits: ['B', 'KiB', 'MiB', 'GiB', 'TiB'],
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
  itemAction: (action, name) => `${action} ${name}`,
  listLabel: 'Uploads',
  overallProgress: 'Overall progress',
  itemProgress: (name) => `${name} progress`,
  sha256Label: 'SHA-256',
  fileStatus: (state, percent, size, f) => `${state} · ${f.percent(percent)} of ${size === undefined ? 'unknown size' : f.bytes(size)}`,
  compactStatus: (state, percent, size, f) => (size === undefined ? state
    : percent > 0 && percent < 100 ? `${state} · ${f.percent(percent)} of ${f.bytes(size)}` : `${state} · ${f.bytes(size)}`),
  summary: (b, f) => `${f.number(b.filesDone)}/${f.number(b.filesTotal)} files · ${f.bytes(b.bytesSent)} of ${f.bytes(b.bytesTotal)} · `
    + `${f.rate(b.bytesPerSecond)} · ${f.duration(b.elapsedSeconds)} elapsed · `
    + `ETA ${b.etaSeconds === undefined ? '…' : f.duration(b.etaSeconds)}${b.filesFailed ? ` · ${f.number(b.filesFailed)} failed` : ''}`,
  nextAttempt: (at, f) => `next attempt at ${f.time(at)}`,
  moreDone: (count, f) => `and ${f.number(count)} more uploaded`,
  completed: (c, f) => `Completed ${f.number(c.files)} upload${c.files === 1 ? '' : 's'}${c.failed ? ` · ${f.number(c.failed)} failed` : ''} · `
    + `${f.bytes(c.bytes)} · ${f.rate(c.bytesPerSecond)} · ${f.clock(c.seconds)}`,
  moreQueued: (n, f) => `and ${f.number(n)} more queued`,
  moreRunning: (n, f) => `and ${f.number(n)} more uploading`,
  morePaused: (n, f) => `and ${f.number(n)} more paused`,
  moreFailed: (n, f) => `and ${f.number(n)} more failed`,
  moreRejected: (n, f) => `and ${f.number(n)} more not added`,
  rejectedTitle: 'Not added',
  resumableTitle: 'Unfinished uploads from before: resume them, or add the same file again, to go on where they stopped.',
  resumableStatus: (percent, size, ago, f) => `Resumable · ${f.percent(percent)} of ${f.bytes(size)} · ${ago}`,
  resumableTitleRepick: 'Unfinished uploads from before: to go on where one stopped, pick or drop the same file again. This browser cannot reopen it by itself.',
  repickToResume: 'Pick this file again to resume it.',
  notAccepted: (accept) => `This type of file is not accepted here (accepted: ${accept}).`,
  tooLarge: (max, f) => `The file is larger than the ${f.bytes(max)} allowed.`,
  tooMany: (max, f) => `At most ${f.number(max)} files may be added.`,
  announceDone: (name) => `${name} uploaded.`,
  announceFailed: (name, message) => `${name} failed: ${message}`,
  announceAllDone: (b, f) => `All uploads finished: ${f.number(b.filesDone)} of ${f.number(b.filesTotal)} files stored${b.filesFailed ? `, ${f.number(b.filesFailed)} failed` : ''}.`,
};
