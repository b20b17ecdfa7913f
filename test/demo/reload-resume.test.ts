/**
 * A reload in the middle of an upload, as a person would cause it: a browser loads a page with <dropoff-uploader>,
 * starts a 60 MiB upload to Ceph RGW, the page is reloaded when about half is confirmed, the element says to pick the
 * file again, and the same file is picked again. The bytes sent after the reload must be at most what the resume record
 * did not hold, and the stored object must have the file's SHA-256. In Chromium (Playwright), Firefox ESR (puppeteer)
 * and WebKitGTK (WebDriver).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UploaderPages } from '../support/browsers/uploader-pages.ts';
import { startPageStack, type PageStack } from '../support/page-stack.ts';
import { readStoredObject } from '../support/stored-object.ts';
import { ALICE } from '../support/test-users.ts';

const MiB = 1024 * 1024;
const PART = 5 * MiB;
let pages: PageStack;
let browsers: UploaderPages;
let dir: string;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dropoff-reload-'));
  pages = await startPageStack();
  browsers = new UploaderPages(pages);
});

after(async () => {
  await browsers?.close();
  await pages?.stop();
  await rm(dir, { recursive: true, force: true });
});

for (const browserName of UploaderPages.names) describe(browserName, () => it('resumes after a reload, sending only what was not yet confirmed', async () => {
  const bytes = randomBytes(60 * MiB);
  const path = join(dir, `survey 2025 ü ${browserName.split(' ')[0]}.bin`);
  await writeFile(path, bytes);
  const page = await browsers.open(browserName, ALICE.token, `${ALICE.space}reload-${Date.now()}/`);
  try {
    const { proxy, stack } = pages;

    // Slow the storage down so the reload lands in the middle.
    proxy.script([{ method: 'PUT', path: 'partNumber=', action: 'delay', delayMs: 250, times: -1 }]);
    await page.pick(path);
    await page.waitFor(() => (document.querySelector('dropoff-uploader')!.items[0]?.bytesDone ?? 0) >= 25 * 1024 * 1024);
    await page.reload();
    await page.waitFor(() => customElements.get('dropoff-uploader') !== undefined);
    // The element lists the unfinished upload; without a kept file handle (no picker handles here) it asks for a new pick.
    await page.waitFor(() => /Pick this file again to resume it\./.test(document.querySelector('dropoff-uploader')!.shadowRoot!.querySelector('[part=resumable]')?.textContent ?? ''));

    const recorded = await page.evaluate(() => new Promise<number>((resolve, reject) => {
      const open = indexedDB.open('dropoff-uploader');
      open.onerror = () => reject(open.error);
      open.onsuccess = () => {
        const all = open.result.transaction('uploads').objectStore('uploads').getAll();
        all.onsuccess = () => resolve(all.result.reduce((sum: number, r: { parts: Record<number, { size: number }> }) =>
          sum + Object.values(r.parts).reduce((s, p) => s + p.size, 0), 0));
      };
    }));
    assert.ok(recorded >= 25 * MiB, `the record holds ${recorded} bytes of confirmed parts`);

    proxy.script([]);
    // The outcome is kept in the page and read after the pick: a WebDriver session runs one command at a time.
    await page.evaluate(() => {
      const el = document.querySelector('dropoff-uploader')!;
      (window as unknown as { outcome: Promise<{ key: string; sha256: string }> }).outcome = new Promise((resolve, reject) => {
        el.addEventListener('dropoff-complete', (e) => resolve({ key: e.detail.key, sha256: e.detail.sha256 }));
        el.addEventListener('dropoff-error', (e) => reject(new Error(e.detail.message)));
      });
    });
    await page.pick(path);
    const detail = await page.evaluate(() => (window as unknown as { outcome: Promise<{ key: string; sha256: string }> }).outcome);

    const sentAfterReload = proxy.log().putBytesForwarded;
    assert.ok(sentAfterReload <= bytes.length - recorded, `sent ${sentAfterReload} bytes after the reload; at most ${bytes.length - recorded} were missing`);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    assert.equal(detail.sha256, sha256);
    const stored = await readStoredObject(stack.s3, detail.key, PART);
    assert.equal(stored.sha256, sha256);
    assert.equal(stored.etag, stored.multipartEtag);
    const remaining = await page.evaluate(() => new Promise<number>((resolve) => {
      const open = indexedDB.open('dropoff-uploader');
      open.onsuccess = () => {
        const count = open.result.transaction('uploads').objectStore('uploads').count();
        count.onsuccess = () => resolve(count.result);
      };
    }));
    assert.equal(remaining, 0, 'the resume record is removed once the object is stored');
  } finally {
    await page.close();
  }
}));
