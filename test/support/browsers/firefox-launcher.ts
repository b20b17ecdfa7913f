/**
 * Debian's Firefox ESR for @web/test-runner, driven by puppeteer-core over WebDriver BiDi. No geckodriver is needed and
 * nothing is downloaded (the puppeteer packages' install scripts are off in package.json's allowScripts).
 */
import type { BrowserLauncher } from '@web/test-runner';
import { puppeteerLauncher } from '@web/test-runner-puppeteer';
import { FIREFOX_PATH, OFFLINE_PREFS } from './firefox.ts';

/** Headless Firefox ESR. */
export function firefoxLauncher(): BrowserLauncher {
  return puppeteerLauncher({
    launchOptions: { browser: 'firefox', executablePath: FIREFOX_PATH, headless: true, extraPrefsFirefox: OFFLINE_PREFS },
  });
}
