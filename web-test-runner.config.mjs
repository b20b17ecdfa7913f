// Browser tests in Debian's Chromium. Run through scripts/test.ts (or `npm run test:browser`), which loads this
// file with tsx so that the plugins below can be TypeScript.
import { defaultReporter } from '@web/test-runner';
import { playwrightLauncher } from '@web/test-runner-playwright';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { CHROMIUM_ARGS } from './scripts/stack/chromium.ts';
import { stackPlugin } from './test/support/stack-plugin.ts';
import { summaryReporter } from './test/support/summary-reporter.ts';

export default {
  files: process.env.DROPOFF_TEST_FILES ? process.env.DROPOFF_TEST_FILES.split(',') : ['test/browser/**/*.test.ts'],
  nodeResolve: { exportConditions: ['production'] },
  concurrency: 1,
  browserStartTimeout: 60_000,
  testsFinishTimeout: 600_000,
  testFramework: { config: { timeout: 120_000 } },
  browsers: [
    playwrightLauncher({
      product: 'chromium',
      launchOptions: { executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS },
    }),
  ],
  plugins: [esbuildPlugin({ ts: true, tsconfig: './tsconfig.json', target: 'es2022' }), stackPlugin()],
  reporters: [defaultReporter(), summaryReporter()],
};
