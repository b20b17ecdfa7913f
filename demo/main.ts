/// <reference types="vite/client" />
/**
 * The demo page: points <dropoff-uploader> at the local stack started by `npm start` and logs its events.
 */
import '../src/element/dropoff-uploader.ts';
import { formatBytes } from '../src/engine/sizes.ts';

const endpoint = import.meta.env.VITE_DROPOFF_ENDPOINT ?? 'http://127.0.0.1:8787';
const token = import.meta.env.VITE_DROPOFF_TOKEN ?? 'demo-token';

const uploader = document.querySelector('dropoff-uploader')!;
uploader.endpoint = endpoint;
uploader.token = token;
document.querySelector('#endpoint')!.textContent = endpoint;

const log = document.querySelector('#log')!;
const totals = document.querySelector('#totals')!;

function write(line: string): void {
  const item = document.createElement('li');
  item.textContent = `${new Date().toLocaleTimeString()} ${line}`;
  log.prepend(item);
}

uploader.addEventListener('dropoff-files-added', (e) => write(`added ${e.detail.files.map((f) => f.key).join(', ')}`));
uploader.addEventListener('dropoff-files-rejected', (e) => write(`rejected ${e.detail.files.map((f) => `${f.name}: ${f.reason}`).join('; ')}`));
uploader.addEventListener('dropoff-complete', (e) => write(`complete ${e.detail.key} ${formatBytes(e.detail.size)} sha256=${e.detail.sha256} etag=${e.detail.etag}`));
uploader.addEventListener('dropoff-error', (e) => write(`error ${e.detail.key} [${e.detail.code}] ${e.detail.message}`));
uploader.addEventListener('dropoff-done', () => write('done: the queue is empty'));
uploader.addEventListener('dropoff-progress', (e) => {
  const b = e.detail.batch;
  const eta = b.etaSeconds === undefined ? '…' : `${b.etaSeconds} s`;
  totals.textContent = `${b.filesDone}/${b.filesTotal} files · ${formatBytes(b.bytesSent)} of ${formatBytes(b.bytesTotal)} · ${formatBytes(b.bytesPerSecond)}/s · ${b.elapsedSeconds} s elapsed · ETA ${eta}`;
});
