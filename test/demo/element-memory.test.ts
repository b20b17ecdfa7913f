/**
 * Memory with many files: 10,000 files queued in <dropoff-uploader> on a plain page (bench/element-page.html, served
 * by Vite as in `npm run bench`) keep the page's JS heap at or under 64 MiB, read through the Chrome DevTools Protocol
 * after every step, and the list stays a bounded number of rows.
 */
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, CDPSession, Page } from 'playwright-core';
import { createServer as createVite, type ViteDevServer } from 'vite';
import { launchChromium } from '../../scripts/stack/chromium.ts';

const MiB = 1024 * 1024;
let vite: ViteDevServer;
let browser: Browser;

before(async () => {
  vite = await createVite({ configFile: 'vite.config.ts', logLevel: 'error', server: { host: '127.0.0.1', port: 0, hmr: false, watch: null } });
  await vite.listen();
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await vite?.close();
});

async function heapMiB(cdp: CDPSession): Promise<number> {
  const { metrics } = await cdp.send('Performance.getMetrics');
  return (metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? 0) / MiB;
}

function pageUrl(): string {
  const address = vite.httpServer!.address();
  return `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/bench/element-page.html`;
}

/** Runs `step` in the page, then reads the heap. */
async function measured(page: Page, cdp: CDPSession, peaks: number[], step: () => Promise<unknown>): Promise<void> {
  await step();
  peaks.push(await heapMiB(cdp));
  await page.waitForTimeout(50);
}

it('keeps the JS heap at or under 64 MiB with 10,000 files queued, paused and cancelled in the element', async (t) => {
  const page = await browser.newPage();
  await page.goto(pageUrl());
  await page.waitForFunction(() => customElements.get('dropoff-uploader') !== undefined);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  await cdp.send('HeapProfiler.collectGarbage');
  const peaks: number[] = [await heapMiB(cdp)];
  const rows = () => page.evaluate(() => document.querySelector<HTMLElementTagNameMap['dropoff-uploader']>('#uploader')!.shadowRoot!.querySelectorAll('li[part~=item]').length);

  await measured(page, cdp, peaks, () => page.evaluate(async () => {
    const el = document.querySelector<HTMLElementTagNameMap['dropoff-uploader']>('#uploader')!;
    Object.assign(el, { endpoint: 'http://127.0.0.1:9', destination: 'alice/memory/', noAutoStart: true });
    await el.updateComplete;
    const files = Array.from({ length: 10_000 }, (_, i) => new File([`file ${i}`], `f${String(i).padStart(5, '0')}.txt`, { type: 'text/plain' }));
    el.addFiles(files);
  }));
  await measured(page, cdp, peaks, () => page.evaluate(() => document.querySelector<HTMLElementTagNameMap['dropoff-uploader']>('#uploader')!.updateComplete));
  assert.equal(await page.evaluate(() => document.querySelector<HTMLElementTagNameMap['dropoff-uploader']>('#uploader')!.items.filter((i) => i.state === 'queued').length), 10_000);
  assert.ok(await rows() <= 100, 'a bounded number of rows');

  await measured(page, cdp, peaks, () => page.evaluate(async () => {
    const el = document.querySelector<HTMLElementTagNameMap['dropoff-uploader']>('#uploader')!;
    el.pause();
    await el.updateComplete;
  }));
  assert.equal(await page.evaluate(() => document.querySelector<HTMLElementTagNameMap['dropoff-uploader']>('#uploader')!.items.filter((i) => i.state === 'paused').length), 10_000);
  assert.ok(await rows() <= 100, 'a bounded number of rows');

  await measured(page, cdp, peaks, () => page.evaluate(async () => {
    const el = document.querySelector<HTMLElementTagNameMap['dropoff-uploader']>('#uploader')!;
    await el.cancel();
    await el.updateComplete;
  }));
  assert.equal(await rows(), 0);
  const peak = Math.max(...peaks);
  t.diagnostic(`JS heap after each step: ${peaks.map((p) => p.toFixed(1)).join(', ')} MiB`);
  assert.ok(peak <= 64, `peak JS heap ${peak.toFixed(1)} MiB (after each step: ${peaks.map((p) => p.toFixed(1)).join(', ')})`);
  await page.close();
});
