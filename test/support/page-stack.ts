/**
 * For Node tests that drive a real page with Playwright: Ceph RGW behind a fault proxy, a reference server signing
 * URLs for that proxy, Vite serving test/pages/, and Chromium.
 */
import type { Browser, Page } from 'playwright-core';
import { createServer as createVite, type ViteDevServer } from 'vite';
import { startServer, type RunningServer } from '../../server/main.ts';
import { launchChromium } from '../../scripts/stack/chromium.ts';
import { startLocalStack, type LocalStack } from '../../scripts/stack/local-stack.ts';
import { startFaultProxy, type FaultProxy } from './fault-proxy.ts';
import { TEST_TOKENS } from './test-users.ts';

/** Everything a page test needs. */
export interface PageStack {
  readonly stack: LocalStack;
  /** The proxy between the browser and the storage. */
  readonly proxy: FaultProxy;
  readonly server: RunningServer;
  readonly browser: Browser;
  /** Opens test/pages/uploader.html configured for `token` and `destination`, with the element defined. */
  openUploader(token: string, destination: string): Promise<Page>;
  /** The address of that page, for another browser than this Chromium. */
  uploaderUrl(token: string, destination: string): string;
  stop(): Promise<void>;
}

/** Starts it all. */
export async function startPageStack(): Promise<PageStack> {
  const stack = await startLocalStack({ storage: 'ceph', tokens: TEST_TOKENS });
  const proxy = await startFaultProxy(Number(new URL(stack.s3.endpoint).port), 'storage');
  const server = await startServer({ ...stack.config, port: 0, s3: { ...stack.s3, endpoint: proxy.url } });
  const vite: ViteDevServer = await createVite({ configFile: 'vite.config.ts', logLevel: 'error', server: { host: '127.0.0.1', port: 0, hmr: false, watch: null } });
  await vite.listen();
  const browser = await launchChromium();
  const address = vite.httpServer!.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const uploaderUrl = (token: string, destination: string) =>
    `http://127.0.0.1:${port}/test/pages/uploader.html?${new URLSearchParams({ endpoint: server.url, token, destination })}`;
  return {
    stack, proxy, server, browser, uploaderUrl,
    async openUploader(token, destination) {
      const page = await browser.newPage();
      await page.goto(uploaderUrl(token, destination));
      await page.waitForFunction(() => customElements.get('dropoff-uploader') !== undefined);
      return page;
    },
    async stop() {
      await browser.close();
      await vite.close();
      await server.close();
      await proxy.close();
      await stack.stop();
    },
  };
}
