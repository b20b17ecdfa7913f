/**
 * A @web/test-runner reporter that counts passed and failed tests, prints `N passed, N failed` as its last line and,
 * when DROPOFF_TEST_SUMMARY names a file, writes the counts there for scripts/test.ts to add up. Before it, one line per
 * browser with that browser's counts and how long its files took.
 */
import { writeFileSync } from 'node:fs';
import type { Reporter, TestResult, TestSuiteResult } from '@web/test-runner';
import { browserSeconds } from './browsers/browser-timings.ts';

/** Counts of one run. */
export interface TestCounts {
  passed: number;
  failed: number;
  skipped: number;
}

function count(suite: TestSuiteResult | undefined, counts: TestCounts): void {
  if (!suite) return;
  for (const test of suite.tests as TestResult[]) {
    if (test.skipped) counts.skipped++;
    else if (test.passed) counts.passed++;
    else counts.failed++;
  }
  for (const child of suite.suites) count(child, counts);
}

/** The reporter. */
export function summaryReporter(): Reporter {
  return {
    onTestRunFinished({ sessions }) {
      const counts: TestCounts = { passed: 0, failed: 0, skipped: 0 };
      const perBrowser = new Map<string, TestCounts>();
      for (const session of sessions) {
        const name = session.browser.name;
        if (!perBrowser.has(name)) perBrowser.set(name, { passed: 0, failed: 0, skipped: 0 });
        for (const tally of [counts, perBrowser.get(name)!]) {
          count(session.testResults, tally);
          // A test file that failed to load or threw outside a test counts as one failure.
          if (!session.passed && (session.errors?.length ?? 0) > 0) tally.failed++;
        }
      }
      const lines = [...perBrowser].map(([name, c]) => {
        const seconds = browserSeconds.get(name);
        return `  ${name}: ${c.passed} passed, ${c.failed} failed${c.skipped ? `, ${c.skipped} skipped` : ''}${seconds === undefined ? '' : ` in ${seconds} s`}`;
      });
      if (process.env.DROPOFF_TEST_SUMMARY) writeFileSync(process.env.DROPOFF_TEST_SUMMARY, JSON.stringify(counts));
      setTimeout(() => console.log(`browser tests by browser:\n${lines.join('\n')}\nbrowser tests: ${counts.passed} passed, ${counts.failed} failed`), 0);
    },
  };
}
