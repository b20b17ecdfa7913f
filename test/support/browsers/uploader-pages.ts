/**
 * For Node tests that drive test/pages/uploader.html (served by page-stack.ts) in every browser the same way:
 * Chromium through Playwright (the page stack's own browser), Firefox ESR through puppeteer-core, WebKitGTK through
 * webdriverio and WebKitWebDriver. Firefox and the WebKit driver start on first use and stop with close().
 */
import type { Browser as FirefoxBrowser } from 'puppeteer-core';
import { remote } from 'webdriverio';
import type { PageStack } from '../page-stack.ts';
import { launchFirefox } from './firefox.ts';
import { startWebKitWebDriver, WEBKIT_CAPABILITIES, type RunningWebKitDriver } from './webkit-launcher.ts';

/** What a test does with the uploader page, the same in every browser. */
export interface UploaderPage {
  /** Picks `path` in the element's file input. */
  pick(path: string): Promise<void>;
  /** Waits (up to 60 s) until `condition` holds in the page. */
  waitFor(condition: () => boolean): Promise<void>;
  /** Runs `fn` in the page and gives back its (awaited) result. */
  evaluate<T>(fn: () => T | Promise<T>): Promise<T>;
  reload(): Promise<void>;
  close(): Promise<void>;
}

/** The browsers, by the name tests show. */
const NAMES = ['Chromium (Playwright)', 'Firefox ESR (puppeteer)', 'WebKitGTK (WebDriver)'] as const;

/** Opens the uploader page in any of the three browsers. */
export class UploaderPages {
  /** The browser names open() takes, in the order tests run them. */
  static readonly names: readonly string[] = NAMES;
  private firefox: FirefoxBrowser | undefined;
  private webkitDriver: RunningWebKitDriver | undefined;

  /** @param pages the page stack whose page and servers are used */
  constructor(private readonly pages: PageStack) {}

  /** Opens the page for `token` and `destination` in `browser` (one of `names`), with the element defined. */
  async open(browser: string, token: string, destination: string): Promise<UploaderPage> {
    const url = this.pages.uploaderUrl(token, destination);
    switch (browser as (typeof NAMES)[number]) {
      case 'Chromium (Playwright)': {
        const page = await this.pages.openUploader(token, destination);
        return {
          pick: (path) => page.locator('dropoff-uploader input[type=file]').setInputFiles(path),
          waitFor: async (condition) => void await page.waitForFunction(condition, undefined, { timeout: 60_000 }),
          evaluate: (fn) => page.evaluate(fn),
          reload: async () => void await page.reload(),
          close: () => page.close(),
        };
      }
      case 'Firefox ESR (puppeteer)': {
        this.firefox ??= await launchFirefox();
        const page = await this.firefox.newPage();
        await page.goto(url);
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
      }
      case 'WebKitGTK (WebDriver)': {
        this.webkitDriver ??= await startWebKitWebDriver();
        const session = await remote({
          // connectionRetryTimeout: the HTTP wait for one command, which may be a script waiting for an upload.
          hostname: '127.0.0.1', port: this.webkitDriver.port, logLevel: 'error', connectionRetryCount: 0, connectionRetryTimeout: 600_000,
          // Scripts that wait for an upload may take minutes; WebDriver's default script timeout is 30 s.
          capabilities: { ...WEBKIT_CAPABILITIES, timeouts: { script: 600_000, pageLoad: 60_000, implicit: 0 } },
        });
        await session.url(url);
        const waitFor = async (condition: () => boolean) => void await session.waitUntil(() => session.execute(condition), { timeout: 60_000, interval: 100 });
        await waitFor(() => customElements.get('dropoff-uploader') !== undefined);
        return {
          // WebDriver's Element Send Keys on a file input picks that file.
          pick: (path) => session.$('dropoff-uploader').shadow$('input[type=file]').addValue(path),
          waitFor,
          evaluate: (fn) => session.execute(fn) as Promise<never>,
          reload: () => session.refresh(),
          close: () => session.deleteSession(),
        };
      }
      default:
        throw new Error(`No such browser: ${browser} (known: ${NAMES.join(', ')})`);
    }
  }

  /** Stops Firefox and the WebKit driver, if they were started. */
  async close(): Promise<void> {
    await this.firefox?.close();
    await this.webkitDriver?.stop();
    this.firefox = undefined;
    this.webkitDriver = undefined;
  }
}
