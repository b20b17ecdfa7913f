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
import type { Browser as FirefoxBrowser } from 'puppeteer-core';
import { remote } from 'webdriverio';
import { launchFirefox } from '../support/browsers/firefox.ts';
import { startWebKitWebDriver, WEBKIT_CAPABILITIES, type RunningWebKitDriver } from '../support/browsers/webkit-launcher.ts';
import { startPageStack, type PageStack } from '../support/page-stack.ts';
import { readStoredObject } from '../support/stored-object.ts';
import { ALICE } from '../support/test-users.ts';

const MiB = 1024 * 1024;
const PART = 5 * MiB;
let pages: PageStack;
let firefox: FirefoxBrowser | undefined;
let webkitDriver: RunningWebKitDriver | undefined;
let dir: string;

/** What the test does with a page, the same in Playwright and puppeteer. */
interface UploaderPage {
  /** Picks `path` in the element's file input. */
  pick(path: string): Promise<void>;
  /** Waits until `condition` holds in the page. */
  waitFor(condition: () => boolean): Promise<void>;
  evaluate<T>(fn: () => T | Promise<T>): Promise<T>;
  reload(): Promise<void>;
  close(): Promise<void>;
}

const openers: Record<string, (destination: string) => Promise<UploaderPage>> = {
  'Chromium (Playwright)': async (destination) => {
    const page = await pages.openUploader(ALICE.token, destination);
    return {
      pick: (path) => page.locator('dropoff-uploader input[type=file]').setInputFiles(path),
      waitFor: async (condition) => void await page.waitForFunction(condition, undefined, { timeout: 60_000 }),
      evaluate: (fn) => page.evaluate(fn),
      reload: async () => void await page.reload(),
      close: () => page.close(),
    };
  },
  'Firefox (puppeteer)': async (destination) => {
    firefox ??= await launchFirefox();
    const page = await firefox.newPage();
    await page.goto(pages.uploaderUrl(ALICE.token, destination));
    const waitFor = async (condition: () => boolean) => void await page.waitForFunction(condition, { timeout: 60_000, polling: 100 });
    await waitFor(() => customElements.get('dropoff-uploader') !== undefined);
    return {
      async pick(path) {
        const input = await page.waitForSelector('dropoff-uploader >>> input[type=file]');
        await input!.uploadFile(path);
      },
      waitFor,
      evaluate: (fn) => page.evaluate(fn) as Promise<never>,
      reload: async () => void await page.reload(),
      close: () => page.close(),
    };
  },
  'WebKitGTK (WebDriver)': async (destination) => {
    webkitDriver ??= await startWebKitWebDriver();
    const browser = await remote({
      hostname: '127.0.0.1', port: webkitDriver.port, logLevel: 'error', connectionRetryCount: 0,
      // Scripts that wait for the upload may take minutes; WebDriver's default script timeout is 30 s.
      capabilities: { ...WEBKIT_CAPABILITIES, timeouts: { script: 600_000, pageLoad: 60_000, implicit: 0 } },
    });
    await browser.url(pages.uploaderUrl(ALICE.token, destination));
    const waitFor = async (condition: () => boolean) => void await browser.waitUntil(() => browser.execute(condition), { timeout: 60_000, interval: 100 });
    await waitFor(() => customElements.get('dropoff-uploader') !== undefined);
    return {
      // WebDriver's Element Send Keys on a file input picks that file.
      pick: (path) => browser.$('dropoff-uploader').shadow$('input[type=file]').addValue(path),
      waitFor,
      evaluate: (fn) => browser.execute(fn) as Promise<never>,
      reload: () => browser.refresh(),
      close: () => browser.deleteSession(),
    };
  },
};

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dropoff-reload-'));
  pages = await startPageStack();
});

after(async () => {
  await firefox?.close();
  await webkitDriver?.stop();
  await pages?.stop();
  await rm(dir, { recursive: true, force: true });
});

for (const [browserName, open] of Object.entries(openers)) describe(browserName, () => it('resumes after a reload, sending only what was not yet confirmed', async () => {
  const bytes = randomBytes(60 * MiB);
  const path = join(dir, `survey 2025 ü ${browserName.split(' ')[0]}.bin`);
  await writeFile(path, bytes);
  const page = await open(`${ALICE.space}reload-${Date.now()}/`);
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
  await page.close();
}));
