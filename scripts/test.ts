/**
 * `npm test`: every test tier in turn, then one line `N passed, N failed` over all of them.
 * 1. the type check (tsc) and the custom-elements.json freshness check, counted as one test each;
 * 2. unit tests (node:test, test/unit): pure modules and the engine on a scripted network under Node, no services,
 *    seconds;
 * 3. server, command-line and demo tests (node:test) against the reference server on Ceph RGW (pages in Chromium,
 *    Firefox ESR and WebKitGTK);
 * 4. browser tests (@web/test-runner in Chromium, Firefox ESR and WebKitGTK, one after another): engine, worker,
 *    elements, and end-to-end uploads to Ceph RGW and s3rver.
 * Exits non-zero when anything failed.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const totals = { passed: 0, failed: 0 };
const env = { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };

/** The tier running now, so that Ctrl-C stops it and everything it started. */
let current: ReturnType<typeof spawn> | undefined;

function killGroup(child: ReturnType<typeof spawn>): void {
  try {
    process.kill(-child.pid!, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

process.once('SIGINT', () => {
  if (current) killGroup(current);
  process.exit(130);
});

/**
 * Runs `command` in a process group of its own and resolves with its exit code. Past `limitMs` the whole group is
 * killed and the tier counts as failed, saying so: a test that hangs must fail the run with its tier's name, long
 * before CI's own limit ends it without a word.
 */
function run(command: string, args: string[], extraEnv: Record<string, string> = {}, limitMs = 30 * 60_000, output?: { tail: string }): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ['inherit', output ? 'pipe' : 'inherit', 'inherit'], env: { ...env, ...extraEnv }, detached: true });
    current = child;
    // Passed through as it comes; the last 16 kB kept for the caller to read the summary from.
    child.stdout?.on('data', (chunk: Buffer) => {
      process.stdout.write(chunk);
      output!.tail = (output!.tail + chunk.toString()).slice(-16_384);
    });
    const timer = setTimeout(() => {
      console.log(`\nTIMED OUT: ${command} ${args.slice(0, 4).join(' ')} … still running after ${limitMs / 60_000} minutes; stopped it`);
      killGroup(child);
    }, limitMs);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      current = undefined;
      resolve(code ?? (signal ? 1 : 0));
    });
    child.on('error', () => resolve(127));
  });
}

async function check(name: string, command: string, args: string[]): Promise<void> {
  console.log(`\n== ${name}`);
  const code = await run(command, args);
  if (code === 0) totals.passed++;
  else {
    totals.failed++;
    console.log(`FAILED: ${name}`);
  }
}

/**
 * Runs the node:test files of `folders`, `concurrency` files at once. The server tier runs two at once on these two
 * cores: most of a file's time is spent waiting (Ceph RGW and PostgreSQL starting, timeouts, restarts), and one at a
 * time it took 12 minutes of the 20 the whole run may take; two at once, 6.5 (190 of 190 passed).
 */
async function nodeTests(title: string, folders: readonly string[], concurrency = 1): Promise<void> {
  console.log(`\n== ${title}`);
  const files: string[] = [];
  for (const folder of folders) {
    files.push(...(await readdir(folder)).filter((f) => f.endsWith('.test.ts')).map((f) => join(folder, f)));
  }
  // Each test (hooks included) fails after 5 minutes instead of hanging; --test-force-exit ends a file whose tests
  // are done even if something it started still holds the event loop (it would otherwise keep the runner waiting).
  // The counts are read from the spec reporter's summary on stdout: with --test-force-exit, a reporter writing to a
  // file loses its last lines (the summary among them).
  const output = { tail: '' };
  const code = await run(process.execPath, [
    '--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, '--test-timeout=300000', '--test-force-exit',
    '--test-reporter=spec', '--test-reporter-destination=stdout', ...files,
  ], {}, 30 * 60_000, output);
  const count = (label: string) => Number(new RegExp(`^ℹ ${label} (\\d+)$`, 'm').exec(output.tail)?.[1] ?? 0);
  const passed = count('pass');
  const failed = count('fail') + count('cancelled');
  totals.passed += passed;
  // A tier that exits non-zero, or reports nothing passed, fails even when its summary could not be read.
  totals.failed += failed || (code === 0 && passed > 0 ? 0 : 1);
}

async function browserTests(scratch: string): Promise<void> {
  console.log('\n== browser tests (@web/test-runner: Chromium, Firefox ESR, WebKitGTK; Ceph RGW and s3rver)');
  const summary = join(scratch, 'browser.json');
  const code = await run('bash', ['scripts/run-browser-tests.sh'], { DROPOFF_TEST_SUMMARY: summary });
  const counts = JSON.parse(await readFile(summary, 'utf8').catch(() => '{"passed":0,"failed":0}')) as { passed: number; failed: number };
  totals.passed += counts.passed;
  totals.failed += counts.failed || (code === 0 && counts.passed > 0 ? 0 : 1);
}

const scratch = await mkdtemp(join(tmpdir(), 'dropoff-test-'));
try {
  await check('type check (tsc --noEmit)', 'npx', ['tsc', '--noEmit', '-p', '.']);
  await check('custom-elements.json matches the source', 'npx', ['tsx', 'scripts/check-manifest.ts']);
  await nodeTests('unit tests (node:test; no services)', ['test/unit']);
  await nodeTests('server, command-line and demo tests (node:test; Ceph RGW, s3rver, PostgreSQL; pages in Chromium, Firefox ESR, WebKitGTK)', ['test/server', 'test/cli', 'test/demo'], 2);
  await browserTests(scratch);
} finally {
  await rm(scratch, { recursive: true, force: true });
}
console.log(`\n${totals.passed} passed, ${totals.failed} failed`);
process.exitCode = totals.failed > 0 || totals.passed === 0 ? 1 : 0;
