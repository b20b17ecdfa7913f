/**
 * The README's run command, as a person uses it: the demo page on the local stack (s3rver + reference server + Vite),
 * files picked in Chromium from disk, and the bytes that land in the local S3 compared with the files.
 */
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { startDemo, type DemoStack } from '../../scripts/stack/demo-stack.ts';
import { launchChromium } from '../../scripts/stack/chromium.ts';
import { readStoredObject } from '../support/stored-object.ts';

let demo: DemoStack;
let browser: Browser;
let dir: string;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dropoff-demo-test-'));
  demo = await startDemo({ s3: 0, server: 0, page: 0, s3rverDirectory: join(dir, 's3rver'), dataDirectory: join(dir, 'pglite') });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await demo?.stop();
  await rm(dir, { recursive: true, force: true });
});

it('uploads files picked on the demo page to the local S3 with the right bytes', async () => {
  const files = [
    { name: 'station ü 001.mseed', bytes: randomBytes(9 * 1024 * 1024 + 17) },
    { name: 'empty.txt', bytes: Buffer.alloc(0) },
  ];
  for (const f of files) await writeFile(join(dir, f.name), f.bytes);
  const page = await browser.newPage();
  await page.goto(demo.pageUrl);
  await page.waitForFunction(() => customElements.get('dropoff-uploader') !== undefined);
  const completes = page.evaluate((count) => new Promise<{ key: string; sha256: string }[]>((resolve) => {
    const seen: { key: string; sha256: string }[] = [];
    (document.querySelector('#plain') as HTMLElementTagNameMap['dropoff-uploader']).addEventListener('dropoff-complete', (e) => {
      seen.push({ key: e.detail.key, sha256: e.detail.sha256 });
      if (seen.length === count) resolve(seen);
    });
  }), files.length);
  await page.locator('#plain input[type=file]').setInputFiles(files.map((f) => join(dir, f.name)));
  const reported = await completes;
  for (const f of files) {
    const key = `demo/uploads/${f.name}`;
    const sha256 = createHash('sha256').update(f.bytes).digest('hex');
    assert.equal(reported.find((r) => r.key === key)?.sha256, sha256);
    const stored = await readStoredObject(demo.stack.s3, key, 8 * 1024 * 1024);
    assert.equal(stored.size, f.bytes.length);
    assert.equal(stored.sha256, sha256);
  }
  assert.match(await page.locator('#log').innerText(), /\[plain\] complete demo\/uploads\/station ü 001\.mseed/);
  await page.close();
});

it('changes the first uploader from the form, and themes the second with public custom properties and parts only', async () => {
  const page = await browser.newPage();
  await page.goto(demo.pageUrl);
  await page.waitForFunction(() => customElements.get('dropoff-uploader') !== undefined);
  await page.fill('#controls input[name=destination]', 'demo/other/');
  await page.check('#controls input[name=directory]');
  const attributes = await page.evaluate(() => {
    const el = document.querySelector('#plain')!;
    return { destination: el.getAttribute('destination'), directory: el.hasAttribute('directory'), folderPicker: el.shadowRoot!.querySelector('input[type=file]')!.hasAttribute('webkitdirectory') };
  });
  assert.deepEqual(attributes, { destination: 'demo/other/', directory: true, folderPicker: true });
  const themed = await page.evaluate(() => {
    const el = document.querySelector('#themed')!;
    const zone = el.shadowRoot!.querySelector('[part=dropzone]')!;
    return { accent: getComputedStyle(el).getPropertyValue('--dropoff-accent').trim(), zoneBackground: getComputedStyle(zone).backgroundColor, label: el.querySelector('[slot=label]')!.textContent };
  });
  assert.equal(themed.accent, '#0f766e');
  assert.equal(themed.zoneBackground, 'rgb(204, 251, 241)');
  assert.match(themed.label ?? '', /survey data/);
  await page.close();
});

it('shows what was uploaded in <dropoff-browser>, its status moving on from VALIDATING, and its history', async () => {
  const page = await browser.newPage();
  await page.goto(demo.pageUrl);
  await page.waitForFunction(() => customElements.get('dropoff-browser') !== undefined);
  await writeFile(join(dir, 'record me.mseed'), randomBytes(2000));
  await page.locator('#plain input[type=file]').setInputFiles(join(dir, 'record me.mseed'));
  await page.locator('dropoff-browser').getByRole('button', { name: 'Open folder uploads/' }).click({ timeout: 15_000 });
  await page.waitForFunction(() => {
    const row = document.querySelector('dropoff-browser')!.shadowRoot!.querySelector('tr[data-key="demo/uploads/record me.mseed"] td[class^=status-]');
    return row?.textContent === 'ACCEPTED';
  }, undefined, { timeout: 30_000 });
  await page.evaluate(() => document.querySelector('dropoff-browser')!.showHistory('demo/uploads/record me.mseed'));
  const history = await page.locator('dropoff-browser [part=history]').innerText();
  assert.match(history, /ACCEPTED/);
  await page.close();
});

it('stays readable with 250 files: compact rows, a bounded list, the batch summary at the end, and a bounded event log', async () => {
  const folder = join(dir, 'many');
  await mkdir(folder);
  const paths: string[] = [];
  for (let i = 0; i < 250; i++) {
    paths.push(join(folder, `trace-${String(i).padStart(3, '0')}.mseed`));
    await writeFile(paths[i]!, randomBytes(1024 + i));
  }
  const page = await browser.newPage();
  await page.goto(demo.pageUrl);
  await page.waitForFunction(() => customElements.get('dropoff-uploader') !== undefined);
  await page.fill('#controls input[name=destination]', 'demo/many/');
  const done = page.evaluate(() => new Promise<void>((resolve) => {
    const el = document.querySelector('#plain') as HTMLElementTagNameMap['dropoff-uploader'];
    el.addEventListener('dropoff-done', () => {
      if (el.items.filter((i) => i.state === 'done').length === 250) resolve();
    });
  }));
  await page.locator('#plain input[type=file]').setInputFiles(paths);
  await done;
  await page.evaluate(() => (document.querySelector('#plain') as HTMLElementTagNameMap['dropoff-uploader']).updateComplete);
  const seen = await page.evaluate(() => {
    const root = document.querySelector('#plain')!.shadowRoot!;
    return {
      summary: root.querySelector('[part=summary]')!.textContent!,
      rows: root.querySelectorAll('li[part~=item]').length,
      compact: root.querySelectorAll('li.compact').length,
      buttons: root.querySelectorAll('li[part~=item] button').length,
      more: root.querySelector('li.more')?.textContent,
      logLines: document.querySelectorAll('#log li').length,
      latest: document.querySelector('#log li')!.textContent,
    };
  });
  assert.match(seen.summary, /^Completed 250 uploads · 280\.4 KiB · [\d.]+ (B|KiB|MiB)\/s · \d+:\d\d$/);
  assert.equal(seen.rows, 20);
  assert.equal(seen.compact, 20);
  assert.equal(seen.buttons, 0);
  assert.equal(seen.more, 'and 230 more uploaded');
  assert.equal(seen.logLines, 200, 'the log keeps the latest 200 of about 1,250 events');
  assert.match(seen.latest ?? '', /\[plain\] done: the queue is empty/);
  await page.close();
});
