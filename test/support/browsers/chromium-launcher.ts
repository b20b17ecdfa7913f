/**
 * Debian's Chromium for @web/test-runner, through playwright-core (which downloads no browser), with the flags this
 * closed network needs.
 */
import type { BrowserLauncher } from '@web/test-runner';
import { playwrightLauncher } from '@web/test-runner-playwright';
import { CHROMIUM_ARGS } from '../../../scripts/stack/chromium.ts';

/** Headless Chromium (CHROMIUM_PATH, default /usr/bin/chromium). */
export function chromiumLauncher(): BrowserLauncher {
  return playwrightLauncher({
    product: 'chromium',
    launchOptions: { executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS },
  });
}
