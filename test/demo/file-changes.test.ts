/**
 * A file that changes on disk while it is being uploaded: Chromium can no longer read the slices it was given, and the
 * user must be told that the file changed (not that the network failed), with nothing stored under the key.
 */
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { appendFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPageStack, type PageStack } from '../support/page-stack.ts';
import { readStoredObject } from '../support/stored-object.ts';
import { ALICE } from '../support/test-users.ts';

let pages: PageStack;
let dir: string;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dropoff-changes-'));
  pages = await startPageStack();
});

after(async () => {
  await pages?.stop();
  await rm(dir, { recursive: true, force: true });
});

it('says the file changed when it is rewritten on disk during the upload, and stores nothing', async () => {
  const path = join(dir, 'growing.log');
  await writeFile(path, randomBytes(40 * 1024 * 1024));
  const destination = `${ALICE.space}changes-${Date.now()}/`;
  const page = await pages.openUploader(ALICE.token, destination);
  pages.proxy.script([{ method: 'PUT', path: 'partNumber=', action: 'delay', delayMs: 300, times: -1 }]);
  const failed = page.evaluate(() => new Promise<{ code: string; message: string }>((resolve, reject) => {
    const el = document.querySelector('dropoff-uploader')!;
    el.addEventListener('dropoff-error', (e) => resolve({ code: e.detail.code, message: e.detail.message }));
    el.addEventListener('dropoff-complete', () => reject(new Error('a changed file was reported complete')));
  }));
  await page.locator('dropoff-uploader input[type=file]').setInputFiles(path);
  await page.waitForFunction(() => (document.querySelector('dropoff-uploader')!.items[0]?.bytesDone ?? 0) > 0, undefined, { timeout: 60_000 });
  await appendFile(path, 'one more line\n');
  const error = await failed;
  assert.ok(['file_changed', 'file_unreadable'].includes(error.code), `code ${error.code}: ${error.message}`);
  assert.match(error.message, /changed|removed/);
  assert.equal((await readStoredObject(pages.stack.s3, `${destination}growing.log`, 5 * 1024 * 1024)).exists, false);
  const shown = await page.locator('dropoff-uploader li.failed [role=alert]').innerText();
  assert.match(shown, /changed|removed/);
  await page.close();
});
