/**
 * `dropoff process` and `dropoff task` against the reference server on Ceph RGW: a folder of real miniSEED files
 * uploaded with `dropoff upload`, processed with --wait to its inventory, the task shown with its timings and streams
 * (and as JSON), a failing task's exit code, and the mistakes a user can make.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalStack, type LocalStack } from '../../scripts/stack/local-stack.ts';
import { makeMiniseedFolder, TEST_MSEED, type MiniseedFile } from '../support/miniseed-files.ts';
import { runCli } from '../support/run-cli.ts';
import { ALICE, BOB, TEST_TOKENS } from '../support/test-users.ts';

let stack: LocalStack;
let dir: string;
let files: MiniseedFile[];
let env: Record<string, string>;
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dropoff-cli-process-'));
  [stack, files] = await Promise.all([startLocalStack({ storage: 'ceph', tokens: TEST_TOKENS }), makeMiniseedFolder(join(dir, 'mseed'))]);
  env = { XDG_CACHE_HOME: join(dir, 'cache'), XDG_CONFIG_HOME: join(dir, 'config'), DROPOFF_ENDPOINT: stack.serverUrl, DROPOFF_TOKEN: ALICE.token };
});

after(async () => {
  await stack?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('dropoff process and dropoff task', () => {
  it('uploads a folder, processes it with --wait to its inventory, and shows the task', async () => {
    const prefix = `${ALICE.space}cli-process/${Date.now()}/`;
    const upload = await runCli(['upload', '-c', 'miniseed', '-d', prefix, '-s', join(dir, 'mseed')], env);
    assert.equal(upload.code, 0, upload.stderr);
    const processed = await runCli(['process', prefix, '--wait'], env);
    assert.equal(processed.code, 0, processed.stderr);
    const records = files.reduce((n, f) => n + f.expected.records, 0);
    const id = UUID.exec(processed.stdout)?.[0];
    assert.ok(id, processed.stdout);
    assert.match(processed.stdout, new RegExp(`${id}  miniseed  succeeded: ${files.length} objects, ${files.length} streams, ${records} records`));

    const shown = await runCli(['task', id!], env);
    assert.equal(shown.code, 0, shown.stderr);
    assert.match(shown.stdout, /^Status\s+succeeded$/m);
    assert.match(shown.stdout, new RegExp(`^Prefix\\s+${prefix}$`, 'm'));
    assert.match(shown.stdout, /^Started\s+\d{4}-\d\d-\d\dT/m);
    assert.match(shown.stdout, /^Finished\s+\d{4}-\d\d-\d\dT.*\(\d+\.\d s\)$/m);
    assert.match(shown.stdout, new RegExp(`^Progress\\s+${files.length}/${files.length} objects$`, 'm'));
    assert.match(shown.stdout, /^IU\s+COLA\s+00\s+LHZ\s+2010-02-27T06:50:00\.069539Z\s+2010-02-27T07:59:59\.069538Z\s+36$/m);
    assert.match(shown.stdout, /^XX\s+STA2\s+--\s+HHN\s+/m);

    const json = await runCli(['task', id!, '--json'], env);
    const task = JSON.parse(json.stdout);
    assert.equal(task.result.totals.records, records);
    assert.equal(task.result.objects.find((o: { key: string }) => o.key === `${prefix}test.mseed`).records, TEST_MSEED.records);
  });

  it('prints the task ids without --wait (JSON too), and exits 1 when a followed task fails', async () => {
    const prefix = `${ALICE.space}cli-process/${Date.now()}-bad/`;
    const corrupt = Buffer.from(files[0]!.bytes);
    corrupt.fill(0x41, 512, 1024);
    await writeFile(join(dir, 'corrupt.mseed'), corrupt);
    const upload = await runCli(['upload', '-c', 'miniseed', '-d', `${prefix}corrupt.mseed`, '-s', join(dir, 'corrupt.mseed')], env);
    assert.equal(upload.code, 0, upload.stderr);
    const started = await runCli(['process', prefix, '--json'], env);
    assert.equal(started.code, 0, started.stderr);
    const body = JSON.parse(started.stdout);
    assert.match(body.miniseed_task_id, UUID);
    const followed = await runCli(['process', prefix, '--wait'], env);
    assert.equal(followed.code, 1, followed.stdout + followed.stderr);
    assert.match(followed.stdout, /miniseed {2}failed: .*corrupt\.mseed: record 2 \(at byte 512\) is not a miniSEED record/);
    const shown = await runCli(['task', body.miniseed_task_id], env);
    assert.equal(shown.code, 0);
    assert.match(shown.stdout, /^Error\s+.*corrupt\.mseed: record 2/m);
  });

  it('says what is wrong: nothing to process, a bad id, an unknown or foreign task, no token', async () => {
    const nothing = await runCli(['process', `empty-${Date.now()}/`], env);
    assert.equal(nothing.code, 1);
    assert.match(nothing.stderr, /dropoff: Nothing is staged under "alice\/empty-\d+\/"/);
    const badId = await runCli(['task', 'nope'], env);
    assert.equal(badId.code, 2);
    assert.match(badId.stderr, /"nope" is not a task id/);
    const unknown = await runCli(['task', randomUUID()], env);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /dropoff: No such task\./);
    const missingArgument = await runCli(['process'], env);
    assert.equal(missingArgument.code, 2);
    assert.match(missingArgument.stderr, /missing required argument 'prefix'/);
    const noToken = await runCli(['process', 'x/'], { ...env, DROPOFF_TOKEN: '' });
    assert.equal(noToken.code, 1);
    assert.match(noToken.stderr, /Check the token/);
    const bobs = await runCli(['process', 'x/'], { ...env, DROPOFF_TOKEN: BOB.token });
    assert.match(bobs.stderr, /bob\/x\//);
  });
});
