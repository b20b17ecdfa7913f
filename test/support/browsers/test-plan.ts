/**
 * Which browser test files run in which browsers. Every file under test/browser runs in Chromium, Firefox and
 * WebKitGTK, except files named `*.chromium-only.test.ts`: those test what only Chromium has (File System Access
 * handles), say so in their describe titles, and run in Chromium alone.
 * DROPOFF_BROWSERS (`chromium,firefox,webkit`, the default) picks the browsers; DROPOFF_TEST_FILES (comma-separated
 * globs) picks the files.
 */
import { readdirSync } from 'node:fs';
import { join, matchesGlob } from 'node:path';
import type { BrowserLauncher } from '@web/test-runner';
import { timed } from './browser-timings.ts';
import { chromiumLauncher } from './chromium-launcher.ts';
import { firefoxLauncher } from './firefox-launcher.ts';
import { webkitGtkLauncher } from './webkit-launcher.ts';

/** The browsers the tests know how to drive, in the order they run. */
export const BROWSER_NAMES = ['chromium', 'firefox', 'webkit'] as const;

/** One of BROWSER_NAMES. */
export type BrowserName = (typeof BROWSER_NAMES)[number];

/** What @web/test-runner needs: the files for every chosen browser, and a group for the Chromium-only files. */
export interface TestPlan {
  browsers: BrowserLauncher[];
  files: string[] | undefined;
  groups: { name: string; files: string[]; browsers: BrowserLauncher[] }[];
}

/** Files ending in this run in Chromium only. */
export const CHROMIUM_ONLY_SUFFIX = '.chromium-only.test.ts';

function testFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.test.ts'))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

/** The chosen browsers, from DROPOFF_BROWSERS; an unknown name is an error, not a silent skip. */
export function chosenBrowsers(value = process.env.DROPOFF_BROWSERS): BrowserName[] {
  const names = (value ?? BROWSER_NAMES.join(',')).split(',').map((n) => n.trim().toLowerCase()).filter(Boolean);
  for (const name of names) {
    if (!(BROWSER_NAMES as readonly string[]).includes(name)) throw new Error(`DROPOFF_BROWSERS: unknown browser "${name}" (known: ${BROWSER_NAMES.join(', ')})`);
  }
  return BROWSER_NAMES.filter((name) => names.includes(name));
}

/** The plan for this run. */
export function testPlan(): TestPlan {
  const patterns = process.env.DROPOFF_TEST_FILES?.split(',').map((p) => p.trim()).filter(Boolean);
  const wanted = testFiles('test/browser').filter((file) => !patterns || patterns.some((p) => file === p || matchesGlob(file, p)));
  if (!wanted.length) throw new Error(`No browser test files match DROPOFF_TEST_FILES=${process.env.DROPOFF_TEST_FILES}`);
  const launchers = { chromium: chromiumLauncher, firefox: firefoxLauncher, webkit: webkitGtkLauncher };
  const browsers = new Map(chosenBrowsers().map((name) => [name, timed(launchers[name]())]));
  const everywhere = wanted.filter((file) => !file.endsWith(CHROMIUM_ONLY_SUFFIX));
  const chromiumOnly = wanted.filter((file) => file.endsWith(CHROMIUM_ONLY_SUFFIX));
  const chromium = browsers.get('chromium');
  return {
    browsers: [...browsers.values()],
    files: everywhere.length ? everywhere : undefined,
    groups: chromium && chromiumOnly.length ? [{ name: 'chromium-only', files: chromiumOnly, browsers: [chromium] }] : [],
  };
}
