/**
 * A file that changes on disk while it is being uploaded: the browser can no longer read the slices it was given, and
 * the user must be told that the file changed (not that the network failed), with nothing stored under the key. In
 * Chromium, Firefox ESR and WebKitGTK (the "NotReadableError" peers' users report comes from this case). Firefox reads
 * a file cut short without an error but with fewer bytes (the transport's stall limit and last-byte check catch it), and does not notice a
 * file that grows at all: there the file is stored as it was when picked, and a test says so.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { appendFile, mkdtemp, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UploaderPages, type UploaderPage } from '../support/browsers/uploader-pages.ts';
import { startPageStack, type PageStack } from '../support/page-stack.ts';
import { readStoredObject } from '../support/stored-object.ts';
import { ALICE } from '../support/test-users.ts';

let pages: PageStack;
let browsers: UploaderPages;
let dir: string;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dropoff-changes-'));
  pages = await startPageStack();
  browsers = new UploaderPages(pages);
});

after(async () => {
  await browsers?.close();
  await pages?.stop();
  await rm(dir, { recursive: true, force: true });
});

/** Starts uploading a 40 MiB file in `browserName`, runs `change` on it mid-upload, and checks what the user is told. */
async function changeDuringUpload(browserName: string, label: string, change: (path: string) => Promise<void>): Promise<void> {
  const path = join(dir, `${label} ${browserName.split(' ')[0]}.log`);
  await writeFile(path, randomBytes(40 * 1024 * 1024));
  const destination = `${ALICE.space}changes-${Date.now()}/`;
  const page = await browsers.open(browserName, ALICE.token, destination);
  try {
    await changeInPage(page, path, destination, change);
  } finally {
    await page.close();
  }
}

async function changeInPage(page: UploaderPage, path: string, destination: string, change: (path: string) => Promise<void>): Promise<void> {
  pages.proxy.script([{ method: 'PUT', path: 'partNumber=', action: 'delay', delayMs: 300, times: -1 }]);
  // The outcome is kept in the page and read later: a WebDriver session runs one command at a time.
  await page.evaluate(() => {
    const el = document.querySelector('dropoff-uploader')!;
    (window as unknown as { outcome: Promise<{ code: string; message: string }> }).outcome = new Promise((resolve, reject) => {
      el.addEventListener('dropoff-error', (e) => resolve({ code: e.detail.code, message: e.detail.message }));
      el.addEventListener('dropoff-complete', () => reject(new Error('a changed file was reported complete')));
    });
  });
  await page.pick(path);
  await page.waitFor(() => (document.querySelector('dropoff-uploader')!.items[0]?.bytesDone ?? 0) > 0);
  await change(path);
  const error = await page.evaluate(() => (window as unknown as { outcome: Promise<{ code: string; message: string }> }).outcome);
  assert.ok(['file_changed', 'file_unreadable'].includes(error.code), `code ${error.code}: ${error.message}`);
  assert.match(error.message, /changed|removed/);
  assert.equal((await readStoredObject(pages.stack.s3, `${destination}${path.split('/').pop()}`, 5 * 1024 * 1024)).exists, false);
  await page.waitFor(() => document.querySelector('dropoff-uploader')!.shadowRoot!.querySelector('li.failed [role=alert]') !== null);
  const shown = await page.evaluate(() => document.querySelector('dropoff-uploader')!.shadowRoot!.querySelector('li.failed [role=alert]')!.textContent ?? '');
  assert.match(shown, /changed|removed/);
}

for (const browserName of UploaderPages.names) {
  describe(browserName, () => {
    it('says the file changed when it is cut short on disk during the upload, and stores nothing', async () => {
      await changeDuringUpload(browserName, 'shrinking', (path) => truncate(path, 7 * 1024 * 1024));
    });
    if (!browserName.startsWith('Firefox')) {
      it('says the file changed when it grows on disk during the upload, and stores nothing', async () => {
        await changeDuringUpload(browserName, 'growing', (path) => appendFile(path, 'one more line\n'));
      });
    }
  });
}

describe('Firefox ESR (puppeteer), which does not notice a file growing on disk (no error, no new size)', () => {
  it('stores the file as it was when picked, with that SHA-256, when it grows on disk during the upload', async () => {
    const bytes = randomBytes(40 * 1024 * 1024);
    const path = join(dir, 'growing in Firefox.log');
    await writeFile(path, bytes);
    const destination = `${ALICE.space}changes-${Date.now()}/`;
    const page = await browsers.open('Firefox ESR (puppeteer)', ALICE.token, destination);
    pages.proxy.script([{ method: 'PUT', path: 'partNumber=', action: 'delay', delayMs: 300, times: -1 }]);
    await page.evaluate(() => {
      const el = document.querySelector('dropoff-uploader')!;
      (window as unknown as { outcome: Promise<{ key: string; sha256: string }> }).outcome = new Promise((resolve, reject) => {
        el.addEventListener('dropoff-complete', (e) => resolve({ key: e.detail.key, sha256: e.detail.sha256 }));
        el.addEventListener('dropoff-error', (e) => reject(new Error(`${e.detail.code}: ${e.detail.message}`)));
      });
    });
    await page.pick(path);
    await page.waitFor(() => (document.querySelector('dropoff-uploader')!.items[0]?.bytesDone ?? 0) > 0);
    await appendFile(path, 'one more line\n');
    const detail = await page.evaluate(() => (window as unknown as { outcome: Promise<{ key: string; sha256: string }> }).outcome);
    const picked = createHash('sha256').update(bytes).digest('hex');
    assert.equal(detail.sha256, picked, 'the SHA-256 reported is that of the file as picked');
    const stored = await readStoredObject(pages.stack.s3, detail.key, 5 * 1024 * 1024);
    assert.equal(stored.sha256, picked, 'the stored object is the file as picked, not a mix');
    assert.equal(stored.size, bytes.length);
    await page.close();
  });
});
