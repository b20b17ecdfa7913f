/// <reference types="vite/client" />
/**
 * The demo page: two <dropoff-uploader>s (as they come, and themed) on the local stack started by `npm start`,
 * a form that changes the first one's attributes, and a log of the latest events (the last LOG_LINES).
 */
import '../src/element/dropoff-uploader.ts';
import '../src/element/dropoff-browser.ts';
import type { DropoffUploader } from '../src/element/dropoff-uploader.ts';
import { formatBytes } from '../src/engine/sizes.ts';

const endpoint = import.meta.env.VITE_DROPOFF_ENDPOINT ?? 'http://127.0.0.1:8787';
const token = import.meta.env.VITE_DROPOFF_TOKEN ?? 'demo-token';
const uploaders = [...document.querySelectorAll<DropoffUploader>('dropoff-uploader')];
for (const uploader of uploaders) {
  uploader.endpoint = endpoint;
  uploader.token = token;
}
document.querySelector('#endpoint')!.textContent = endpoint;

// The records browser shows what was submitted, and looks again whenever an uploader's queue drains.
const browser = document.querySelector('dropoff-browser')!;
browser.endpoint = endpoint;
browser.token = token;
for (const uploader of uploaders) uploader.addEventListener('dropoff-done', () => void browser.refresh());

// The form sets the first uploader's attributes as they change.
const plain = document.querySelector<DropoffUploader>('#plain')!;
document.querySelector('#controls')!.addEventListener('input', (event) => {
  const input = event.target as HTMLInputElement;
  if (input.type === 'checkbox') plain.toggleAttribute(input.name, input.checked);
  else if (input.value) plain.setAttribute(input.name, input.value);
  else plain.removeAttribute(input.name);
});

/** Lines the event log keeps: a thousand files make several thousand events, and a node each would bog the page down. */
const LOG_LINES = 200;
const log = document.querySelector('#log')!;
const totals = document.querySelector('#totals')!;
/** One formatter for every line: toLocaleTimeString makes a new one per call, and there are thousands of events. */
const clock = new Intl.DateTimeFormat(undefined, { timeStyle: 'medium' });
function write(source: string, line: string): void {
  const item = document.createElement('li');
  item.textContent = `${clock.format(new Date())} [${source}] ${line}`;
  log.prepend(item);
  while (log.childElementCount > LOG_LINES) log.lastElementChild!.remove();
}

/** The first few of a long list, and how many more. */
function some(names: readonly string[], shown = 5): string {
  return names.length > shown ? `${names.slice(0, shown).join(', ')} and ${names.length - shown} more` : names.join(', ');
}

for (const uploader of uploaders) {
  const source = uploader.id;
  uploader.addEventListener('dropoff-files-added', (e) => write(source, `added ${some(e.detail.files.map((f) => f.key))}`));
  uploader.addEventListener('dropoff-files-rejected', (e) => write(source, `rejected ${some(e.detail.files.map((f) => `${f.name}: ${f.reason}`))}`));
  uploader.addEventListener('dropoff-state', (e) => write(source, `state ${e.detail.key} ${e.detail.state}`));
  uploader.addEventListener('dropoff-complete', (e) => write(source, `complete ${e.detail.key} ${formatBytes(e.detail.size)} sha256=${e.detail.sha256} etag=${e.detail.etag}`));
  uploader.addEventListener('dropoff-error', (e) => write(source, `error ${e.detail.key} [${e.detail.code}] ${e.detail.message}`));
  uploader.addEventListener('dropoff-resumable', (e) => write(source, `resumable ${some(e.detail.uploads.map((u) => u.key))}`));
  uploader.addEventListener('dropoff-done', () => write(source, 'done: the queue is empty'));
  uploader.addEventListener('dropoff-progress', (e) => {
    const b = e.detail.batch;
    totals.textContent = `[${source}] ${b.filesDone}/${b.filesTotal} files · ${formatBytes(b.bytesSent)} of ${formatBytes(b.bytesTotal)} · ${formatBytes(b.bytesPerSecond)}/s`;
  });
}
