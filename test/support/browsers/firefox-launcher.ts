/**
 * Debian's Firefox ESR for @web/test-runner, driven by puppeteer-core over WebDriver BiDi. No geckodriver is needed and
 * nothing is downloaded (the puppeteer packages' install scripts are off in package.json's allowScripts).
 */
import type { BrowserLauncher } from '@web/test-runner';
import { puppeteerLauncher } from '@web/test-runner-puppeteer';

/** Where Debian puts Firefox ESR (FIREFOX_PATH overrides it). */
export const FIREFOX_PATH = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';

/**
 * Preferences that keep Firefox off the network on a closed machine (it would otherwise keep dialling out for updates,
 * safe-browsing lists, telemetry and captive-portal checks), on top of those puppeteer already sets.
 */
const OFFLINE_PREFS: Record<string, boolean | string | number> = {
  'app.update.enabled': false,
  'browser.safebrowsing.malware.enabled': false,
  'browser.safebrowsing.phishing.enabled': false,
  'browser.safebrowsing.downloads.enabled': false,
  'datareporting.policy.dataSubmissionEnabled': false,
  'toolkit.telemetry.enabled': false,
  'network.captive-portal-service.enabled': false,
  'network.connectivity-service.enabled': false,
  'extensions.update.enabled': false,
};

/** Headless Firefox ESR. */
export function firefoxLauncher(): BrowserLauncher {
  return puppeteerLauncher({
    launchOptions: { browser: 'firefox', executablePath: FIREFOX_PATH, headless: true, extraPrefsFirefox: OFFLINE_PREFS },
  });

}
