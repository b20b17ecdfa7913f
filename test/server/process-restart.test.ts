/**
 * Processing tasks are durable: on a real PostgreSQL and Ceph RGW, with server processes started and stopped as a
 * deployment would, a task queued when its server stops runs when a server starts again; a task running when its
 * server is killed (SIGKILL) is run again, to the end, by the next one once its lease has run out; one running at a
 * SIGTERM is handed back and run again; one running while the storage stops is retried until it is back.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type pg from 'pg';
import type { CephRgw } from '../../scripts/stack/ceph-rgw.ts';
import { makeMiniseedFolder, TEST_MSEED, type MiniseedFile } from '../support/miniseed-files.ts';
import { callApi, stageFiles, taskEnd } from '../support/stage-objects.ts';
import { serverEnv, spawnServer, startSharedStack, stopInstance, type Instance, type SharedStack } from '../support/server-process.ts';
import { ALICE } from '../support/test-users.ts';

let stack: SharedStack;
let ceph: CephRgw;
let db: pg.Pool;
let dir: string;
let files: MiniseedFile[];

/** A server process. */
/** Starts `server/main.ts` as its own process (as `npm run server` does, from source) on the shared database and storage. */
function startInstance(extra: Record<string, string> = {}): Promise<Instance> {
  return spawnServer(['--import', 'tsx', 'server/main.ts'], serverEnv(stack, extra));
}

/** The task's row, read from PostgreSQL directly (no server needs to be up). */
async function taskRow(id: string): Promise<{ status: string; attempts: number; objects_done: number }> {
  return (await db.query('SELECT status, attempts, objects_done FROM processing_tasks WHERE id = $1', [id])).rows[0];
}

/** Copies of libmseed's example in one object: a long series of its records, so that a task runs for a while. */
const COPIES = 400;

function bigObject(): Buffer {
  return Buffer.concat(Array.from({ length: COPIES }, () => files[0]!.bytes));
}

const BIG_OBJECTS = 12;
let bigPrefix: Promise<string> | undefined;

/**
 * A prefix holding BIG_OBJECTS objects of COPIES copies each, staged once through the server at `url` and processed
 * again by each test (every POST /process starts a new task on the same objects).
 */
function stagedBigPrefix(url: string): Promise<string> {
  bigPrefix ??= (async () => {
    const prefix = `${ALICE.space}restart-big-${Date.now()}/`;
    const objects = Array.from({ length: BIG_OBJECTS }, (_, i) => ({ name: `part-${String(i).padStart(2, '0')}.mseed`, bytes: bigObject() }));
    await stageFiles(url, ALICE.token, prefix, objects);
    return prefix;
  })();
  return bigPrefix;
}

/** Waits until task `id` runs and has done at least one object; returns its row. */
async function runningRow(id: string): Promise<{ status: string; attempts: number; objects_done: number }> {
  let row = await taskRow(id);
  for (let i = 0; i < 2400 && !(row.status === 'running' && row.objects_done >= 1); i++) {
    await new Promise((resolve) => setTimeout(resolve, 25));
    row = await taskRow(id);
  }
  assert.equal(row.status, 'running', `the task runs (${JSON.stringify(row)})`);
  return row;
}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dropoff-process-restart-'));
  [stack, files] = await Promise.all([startSharedStack(), makeMiniseedFolder(join(dir, 'mseed'))]);
  ({ ceph, db } = stack);
});

after(async () => {
  await stack?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('a processing task across server restarts', () => {
  it('runs a task that was queued when its server stopped once a server starts again', async () => {
    // A server that only queues (DROPOFF_RUN_JOBS=false, as in front of worker processes) takes the request.
    const front = await startInstance({ DROPOFF_RUN_JOBS: 'false' });
    let back: Instance | undefined;
    try {
      const prefix = `${ALICE.space}restart-queued-${Date.now()}/`;
      await stageFiles(front.url, ALICE.token, prefix, files);
      const started = await callApi(front.url, 'POST', '/process', ALICE.token, { filename: prefix });
      assert.equal(started.status, 202, JSON.stringify(started.body));
      const id = started.body.miniseed_task_id;
      assert.equal((await callApi(front.url, 'GET', `/tasks/${id}`, ALICE.token)).body.status, 'queued');
      await stopInstance(front);
      assert.equal((await taskRow(id)).status, 'queued');
      back = await startInstance();
      const done = await taskEnd(back.url, ALICE.token, id);
      assert.equal(done.status, 'succeeded', done.error);
      assert.equal(done.attempts, 1);
      assert.equal(done.result.totals.objects, files.length);
      assert.equal(done.result.totals.records, files.reduce((n, f) => n + f.expected.records, 0));
    } finally {
      await stopInstance(front);
      await stopInstance(back);
    }
  });

  it('runs a task again to the end after its server was killed (SIGKILL) while running it', async () => {
    const copies = COPIES;
    const victim = await startInstance();
    let next: Instance | undefined;
    try {
      const prefix = await stagedBigPrefix(victim.url);
      const started = await callApi(victim.url, 'POST', '/process', ALICE.token, { filename: prefix });
      assert.equal(started.status, 202, JSON.stringify(started.body));
      const id = started.body.miniseed_task_id;
      // Kill it in the middle: once the task is running and has done some objects, not all.
      const row = await runningRow(id);
      assert.ok(row.objects_done < BIG_OBJECTS, `killed before the end (${JSON.stringify(row)})`);
      await stopInstance(victim, 'SIGKILL');
      assert.equal((await taskRow(id)).status, 'running', 'the dead server could not record anything');
      next = await startInstance();
      const done = await taskEnd(next.url, ALICE.token, id, 180_000);
      assert.equal(done.status, 'succeeded', done.error);
      assert.equal(done.attempts, 2, 'run again once, from the start');
      assert.equal(done.result.totals.objects, BIG_OBJECTS);
      assert.equal(done.result.totals.records, BIG_OBJECTS * copies * TEST_MSEED.records, 'every record counted once');
      assert.deepEqual(done.result.streams.map((s: { records: number }) => s.records), [BIG_OBJECTS * copies * TEST_MSEED.records]);
      assert.match(next.output(), new RegExp(`processing task ${id} \\(miniseed, ${BIG_OBJECTS} object\\(s\\), attempt 2\\) started`));
    } finally {
      await stopInstance(victim, 'SIGKILL');
      await stopInstance(next);
    }
  });

  it('hands a running task back on SIGTERM; the next server runs it again', async () => {
    const first = await startInstance();
    let second: Instance | undefined;
    try {
      const prefix = await stagedBigPrefix(first.url);
      const id = (await callApi(first.url, 'POST', '/process', ALICE.token, { filename: prefix })).body.miniseed_task_id;
      const row = await runningRow(id);
      assert.ok(row.objects_done < BIG_OBJECTS, `stopped before the end (${JSON.stringify(row)})`);
      await stopInstance(first, 'SIGTERM');
      const handedBack = (await db.query('SELECT status, error FROM processing_tasks WHERE id = $1', [id])).rows[0];
      assert.deepEqual(handedBack, { status: 'queued', error: 'Attempt 1 was interrupted: the server stopped. The task runs again shortly.' });
      second = await startInstance();
      const done = await taskEnd(second.url, ALICE.token, id, 180_000);
      assert.equal(done.status, 'succeeded', done.error);
      assert.equal(done.attempts, 2);
      assert.equal(done.result.totals.records, BIG_OBJECTS * COPIES * TEST_MSEED.records);
    } finally {
      await stopInstance(first);
      await stopInstance(second);
    }
  });

  it('retries a task while the storage is stopped, and finishes it once the storage is back', async () => {
    const instance = await startInstance({ DROPOFF_JOB_ATTEMPTS: '20', S3_CONNECT_TIMEOUT_MS: '1000', S3_REQUEST_TIMEOUT_MS: '3000' });
    try {
      const prefix = await stagedBigPrefix(instance.url);
      const id = (await callApi(instance.url, 'POST', '/process', ALICE.token, { filename: prefix })).body.miniseed_task_id;
      await runningRow(id);
      await ceph.stopGateway();
      let retrying: { status: string; error: string | null } | undefined;
      for (let i = 0; i < 600; i++) {
        retrying = (await db.query('SELECT status, error FROM processing_tasks WHERE id = $1', [id])).rows[0];
        if (retrying?.status === 'queued' && retrying.error) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      assert.equal(retrying?.status, 'queued', JSON.stringify(retrying));
      assert.match(retrying!.error!, /^Attempt 1 failed \(The storage could not be reached .*\); it is retried\.$/);
      await ceph.startGateway();
      const done = await taskEnd(instance.url, ALICE.token, id, 180_000);
      assert.equal(done.status, 'succeeded', done.error);
      assert.ok(done.attempts >= 2, `attempts ${done.attempts}`);
      assert.equal(done.result.totals.records, BIG_OBJECTS * COPIES * TEST_MSEED.records);
      assert.equal(instance.child.exitCode, null, 'the server lived through it');
    } finally {
      await stopInstance(instance);
    }
  });
});
