// Browser tests in Debian's Chromium, Firefox ESR and WebKitGTK, one browser after another (the fault-injecting
// stack is shared, so two browsers must never script it at once). Run through scripts/test.ts (or
// `npm run test:browser`), which loads this file with tsx so that the plugins below can be TypeScript.
// DROPOFF_BROWSERS=chromium,firefox,webkit and DROPOFF_TEST_FILES=<globs> narrow a run (test/support/browsers/test-plan.ts).
import { defaultReporter } from '@web/test-runner';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { keyChordPlugin } from './test/support/browsers/key-chord-plugin.ts';
import { testPlan } from './test/support/browsers/test-plan.ts';
import { stackPlugin } from './test/support/stack-plugin.ts';
import { summaryReporter } from './test/support/summary-reporter.ts';

const plan = testPlan();

export default {
  files: plan.files,
  groups: plan.groups,
  browsers: plan.browsers,
  nodeResolve: { exportConditions: ['production'] },
  concurrency: 1,
  concurrentBrowsers: 1,
  browserStartTimeout: 60_000,
  testsFinishTimeout: 600_000,
  testFramework: { config: { timeout: 120_000 } },
  plugins: [esbuildPlugin({ ts: true, tsconfig: './tsconfig.json', target: 'es2022' }), stackPlugin(), keyChordPlugin()],
  reporters: [defaultReporter(), summaryReporter()],
};
