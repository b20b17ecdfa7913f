/**
 * Debian's Firefox ESR, launched by puppeteer-core over WebDriver BiDi (no geckodriver, nothing downloaded), for the
 * test runner (firefox-launcher.ts) and for Node tests that drive a page themselves.
 */
import puppeteer, { type Browser } from 'puppeteer-core';

/** Where Debian puts Firefox ESR (FIREFOX_PATH overrides it). */
export const FIREFOX_PATH = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';

/**
 * Preferences that keep Firefox off the network on a closed machine (it would otherwise keep dialling out for updates,
 * safe-browsing lists, telemetry and captive-portal checks), on top of those puppeteer already sets.
 */
export const OFFLINE_PREFS: Record<string, boolean | string | number> = {
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

/** Launches headless Firefox ESR. */
export function launchFirefox(): Promise<Browser> {
  return puppeteer.launch({ browser: 'firefox', executablePath: FIREFOX_PATH, headless: true, extraPrefsFirefox: OFFLINE_PREFS });
}
