/**
 * `npm run screenshot`: starts the demo on free ports and saves pictures of the element's main states, taken in
 * headless Chromium (shown in the README):
 * - docs/screenshot.png: the demo page: files stored with their SHA-256, one paused half-way, one refused, one failed;
 * - docs/screenshot-themed.png: the themed variant (custom properties and parts only);
 * - docs/screenshot-dark.png: the same states with prefers-color-scheme: dark.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { launchChromium } from './stack/chromium.ts';
import { startDemo } from './stack/demo-stack.ts';

// The AWS SDK's notice that its 2027 releases need Node 22 says nothing about this run.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const dir = await mkdtemp(join(tmpdir(), 'dropoff-screenshot-'));
const demo = await startDemo({ s3: 0, server: 0, page: 0, s3rverDirectory: join(dir, 's3rver'), dataDirectory: join(dir, 'pglite') });
const browser = await launchChromium();
const files = [
  ['2025.303.IU.ANMO.00.BHZ.mseed', 12 * 1024 * 1024],
  ['station metadata ü.xml', 48_000],
  ['waveforms-large.mseed', 300 * 1024 * 1024],
] as const;
for (const [name, size] of files) await writeFile(join(dir, name), randomBytes(size));

/** Uploads the files on `#plain`, pauses the large one half-way, refuses one and fails one. */
async function showStates(page: Page): Promise<void> {
  await page.goto(demo.pageUrl);
  await page.waitForFunction(() => customElements.get('dropoff-uploader') !== undefined);
  await page.fill('#controls input[name=max-file-size]', '1GiB');
  await page.locator('#plain input[type=file]').setInputFiles(files.map(([name]) => join(dir, name)));
  await page.waitForFunction(() => {
    const el = document.querySelector('#plain') as HTMLElement & { items: { name: string; state: string; bytesDone: number }[] };
    const large = el.items.find((i) => i.name === 'waveforms-large.mseed');
    return el.items.filter((i) => i.state === 'done').length === 2 && large !== undefined && large.bytesDone > 100 * 1024 * 1024;
  }, undefined, { timeout: 120_000 });
  await page.evaluate(async () => {
    const el = document.querySelector('#plain') as HTMLElement & {
      pause(key?: string): void; addFiles(files: File[], options?: { destination?: string }): unknown;
    };
    el.pause('demo/uploads/waveforms-large.mseed');
    el.setAttribute('max-file-size', '1KiB');
    el.addFiles([new File([new Uint8Array(4096)], 'too-big.mseed')]);
    el.removeAttribute('max-file-size');
    const failed = new Promise((resolve) => el.addEventListener('dropoff-error', resolve, { once: true }));
    el.addFiles([new File(['x'], 'not-mine.txt')], { destination: 'someone-else/' });
    await failed;
  });
  await page.waitForTimeout(300);
}

try {
  const light = await browser.newPage({ viewport: { width: 960, height: 900 }, colorScheme: 'light' });
  await showStates(light);
  await light.locator('main').screenshot({ path: 'docs/screenshot.png' });
  await light.locator('#themed').locator('input[type=file]').setInputFiles(join(dir, files[1][0]));
  await light.waitForFunction(() => (document.querySelector('#themed') as HTMLElement & { items: { state: string }[] }).items.some((i) => i.state === 'done'));
  await light.locator('#themed').screenshot({ path: 'docs/screenshot-themed.png' });
  const dark = await browser.newPage({ viewport: { width: 960, height: 900 }, colorScheme: 'dark' });
  await showStates(dark);
  await dark.locator('#plain').screenshot({ path: 'docs/screenshot-dark.png' });
  console.log('Saved docs/screenshot.png, docs/screenshot-themed.png, docs/screenshot-dark.png');
} finally {
  await browser.close();
  await demo.stop();
  await rm(dir, { recursive: true, force: true });
}
