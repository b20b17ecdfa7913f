/**
 * `npm start` as a user meets it: a taken port is named with the variable that changes it (no EADDRINUSE stack), and
 * Ctrl-C stops the whole demo (s3rver, server with its jobs, page) within seconds.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dropoff-start-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Runs `scripts/start.ts` with `env`; `onOutput` sees the output as it grows. */
function start(env: Record<string, string>, onOutput: (output: string, child: ReturnType<typeof spawn>) => void = () => undefined) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
    env: { ...process.env, DROPOFF_DATA_DIR: join(dir, 'pglite'), DROPOFF_S3RVER_DIR: join(dir, 's3rver'), ...env }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const grow = (chunk: Buffer) => {
    output += chunk;
    onOutput(output, child);
  };
  child.stdout!.on('data', grow);
  child.stderr!.on('data', grow);
  return { child, output: () => output, exited: new Promise<number | string | null>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal))) };
}

describe('npm start', () => {
  it('names a taken port and the variables that choose others', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', () => resolve()));
    const port = (blocker.address() as { port: number }).port;
    try {
      const run = start({ DROPOFF_DEMO_PORT: String(port), DROPOFF_PORT: '0', DROPOFF_S3RVER_PORT: '0' });
      assert.equal(await run.exited, 1);
      assert.match(run.output(), new RegExp(`Port ${port} \\(the demo page\\) is already taken.*DROPOFF_DEMO_PORT=${port + 1} npm start`, 's'));
      assert.doesNotMatch(run.output(), /EADDRINUSE|\n\s+at /);
    } finally {
      blocker.close();
    }
  });

  it('stops everything within seconds on Ctrl-C (SIGINT)', async () => {
    let signalled = 0;
    const run = start({ DROPOFF_DEMO_PORT: '0', DROPOFF_PORT: '0', DROPOFF_S3RVER_PORT: '0' }, (output, child) => {
      if (!signalled && output.includes('Press Ctrl-C to stop.')) {
        signalled = Date.now();
        child.kill('SIGINT');
      }
    });
    const outcome = await Promise.race([run.exited, new Promise<string>((resolve) => setTimeout(() => resolve('not started or not stopped'), 120_000))]);
    assert.ok(signalled, `the demo started:\n${run.output()}`);
    assert.equal(outcome, 0, run.output());
    // "Within seconds", as the issue asks, with a generous bound for a loaded machine (the script exits at 5 s at the latest).
    assert.ok(Date.now() - signalled < 10_000, `stopped ${Date.now() - signalled} ms after Ctrl-C`);
  });
});
