/**
 * `npm run screenshot`: starts the demo on free ports, uploads a few files from disk in headless Chromium, pauses a
 * large one half-way, and saves docs/screenshot.png (shown in the README).
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchChromium } from './stack/chromium.ts';
import { startDemo } from './stack/demo-stack.ts';

// The AWS SDK's notice that its 2027 releases need Node 22 says nothing about this run.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const dir = await mkdtemp(join(tmpdir(), 'dropoff-screenshot-'));
const demo = await startDemo({ s3: 0, server: 0, page: 0, s3rverDirectory: join(dir, 's3rver') });
const browser = await launchChromium();
try {
  const files = [
    ['2025.303.IU.ANMO.00.BHZ.mseed', 12 * 1024 * 1024],
    ['station metadata ü.xml', 48_000],
    ['waveforms-large.mseed', 400 * 1024 * 1024],
  ] as const;
  for (const [name, size] of files) await writeFile(join(dir, name), randomBytes(size));
  const page = await browser.newPage({ viewport: { width: 900, height: 760 }, colorScheme: 'light' });
  await page.goto(demo.pageUrl);
  await page.waitForFunction(() => customElements.get('dropoff-uploader') !== undefined);
  await page.locator('dropoff-uploader input[type=file]').setInputFiles(files.map(([name]) => join(dir, name)));
  await page.waitForFunction(() => {
    const el = document.querySelector('dropoff-uploader')!;
    const large = el.items.find((i) => i.name === 'waveforms-large.mseed');
    return el.items.filter((i) => i.state === 'done').length === 2 && large !== undefined && large.bytesDone > 150 * 1024 * 1024;
  }, undefined, { timeout: 120_000 });
  await page.evaluate(() => document.querySelector('dropoff-uploader')!.pause());
  await page.waitForTimeout(300);
  await page.screenshot({ path: 'docs/screenshot.png', fullPage: true });
  console.log('Saved docs/screenshot.png');
} finally {
  await browser.close();
  await demo.stop();
  await rm(dir, { recursive: true, force: true });
}
