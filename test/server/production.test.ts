/**
 * The reference server as deployed: built JavaScript (`node dist/server/main.js`) run as separate processes, two
 * instances on one real PostgreSQL and one Ceph RGW. Validation as durable jobs (each exactly once, across instances,
 * through a SIGKILL, a database restart and a storage outage), calls safe to retry, SIGTERM within 5 s, and the
 * start-up checks (bucket, port, PGlite folder) with their messages.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CompleteMultipartUploadCommand } from '@aws-sdk/client-s3';
import type pg from 'pg';
import type { CephRgw } from '../../scripts/stack/ceph-rgw.ts';
import type { RunningPostgres } from '../../scripts/stack/postgres.ts';
import { run } from '../../scripts/stack/processes.ts';
import { createS3Client, type S3Settings } from '../../server/storage/s3-client.ts';
import { serverEnv, spawnServer, startSharedStack, stopInstance, type Instance, type SharedStack } from '../support/server-process.ts';
import { ALICE } from '../support/test-users.ts';

let ceph: CephRgw;
let postgres: RunningPostgres;
let s3: S3Settings;
let db: pg.Pool;

let stack: SharedStack;

/**
 * The shared settings, with tighter storage and database timeouts (the faults below must resolve within a test). Every
 * validation is a job here (DROPOFF_CONFIRM_VALIDATION_MAX_BYTES=0): these tests are about jobs across processes,
 * restarts and outages, and a small object's validation is otherwise done by its confirm, with no job
 * (test/server/records.test.ts tests that).
 */
function productionEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return serverEnv(stack, {
    S3_CONNECT_TIMEOUT_MS: '2000', S3_REQUEST_TIMEOUT_MS: '5000',
    DATABASE_CONNECT_TIMEOUT_MS: '2000', DATABASE_STATEMENT_TIMEOUT_MS: '10000',
    DROPOFF_JOB_ATTEMPTS: '10', DROPOFF_VALIDATION_CONCURRENCY: '2', DROPOFF_CONFIRM_VALIDATION_MAX_BYTES: '0',
    ...extra,
  });
}

/** Starts `node dist/server/<entry>.js` (the built server, as deployed). */
function startProcess(extra: Record<string, string> = {}, entry = 'main'): Promise<Instance> {
  return spawnServer([`dist/server/${entry}.js`], productionEnv(extra));
}

async function api(instance: Instance, method: string, path: string, body?: unknown, token = ALICE.token) {
  const response = await fetch(`${instance.url}${path}`, {
    method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

/** Signs, PUTs and confirms `count` objects of `size` bytes under `prefix` through `instance`; returns their keys. */
async function submitMany(instance: Instance, prefix: string, count: number, size: number, token = ALICE.token): Promise<string[]> {
  const files = Array.from({ length: count }, (_, i) => ({ key: `${prefix}${i}.bin`, bytes: randomBytes(size) }));
  const signed = await api(instance, 'POST', '/objects/sign', {
    objects: files.map((f) => ({ key: f.key, size, md5: createHash('md5').update(f.bytes).digest('base64') })),
  }, token);
  assert.equal(signed.status, 200, JSON.stringify(signed.body));
  let next = 0;
  await Promise.all(Array.from({ length: 8 }, async () => {
    while (next < files.length) {
      const i = next++;
      const put = await fetch(signed.body.urls[i].url, { method: 'PUT', headers: signed.body.urls[i].headers, body: files[i]!.bytes });
      assert.equal(put.status, 200, await put.text());
    }
  }));
  const confirmed = await api(instance, 'POST', '/objects/confirm', {
    objects: files.map((f) => ({ key: f.key, size, sha256: createHash('sha256').update(f.bytes).digest('hex') })),
  }, token);
  assert.equal(confirmed.status, 200, JSON.stringify(confirmed.body));
  assert.ok(confirmed.body.objects.every((o: { status: string }) => o.status === 'VALIDATING'));
  return files.map((f) => f.key);
}

/** Status and validation attempts of the latest submission of each key under `prefix`. */
async function outcomes(prefix: string): Promise<{ key: string; status: string; validation_runs: number; message: string | null }[]> {
  return (await db.query(
    `SELECT DISTINCT ON (key) key, status, validation_runs, message FROM submissions WHERE starts_with(key, $1) ORDER BY key, id DESC`, [prefix])).rows;
}

/** Waits until no submission under `prefix` is VALIDATING. */
async function settled(prefix: string, timeoutMs = 180_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const rows = await outcomes(prefix).catch(() => undefined);
    if (rows && rows.every((r) => r.status !== 'VALIDATING' && r.status !== 'AUTHORIZED')) return rows;
    if (Date.now() > deadline) throw new Error(`still validating after ${timeoutMs} ms: ${JSON.stringify(rows?.filter((r) => r.status === 'VALIDATING').length)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

before(async () => {
  await run(process.execPath, ['--import', 'tsx', 'scripts/build-server.ts'], { timeoutMs: 120_000 });
  stack = await startSharedStack();
  ({ ceph, postgres, s3, db } = stack);
});

after(async () => {
  await stack?.stop();
});

describe('two instances on one PostgreSQL', () => {
  let a: Instance;
  let b: Instance;

  before(async () => {
    // Both at once on a fresh database: the migrations (ours and pg-boss's) run under advisory locks, one after the other.
    [a, b] = await Promise.all([startProcess(), startProcess()]);
  });
  after(async () => {
    await stopInstance(a);
    await stopInstance(b);
  });

  it('take 200 submissions spread over both and validate each exactly once', async () => {
    const prefix = `${ALICE.space}spread-${Date.now()}/`;
    await Promise.all([submitMany(a, `${prefix}a-`, 100, 2048), submitMany(b, `${prefix}b-`, 100, 2048)]);
    const rows = await settled(prefix);
    assert.equal(rows.length, 200);
    assert.deepEqual(rows.filter((r) => r.status !== 'ACCEPTED'), []);
    assert.deepEqual(rows.filter((r) => r.validation_runs !== 1).map((r) => [r.key, r.validation_runs]), []);
    assert.match(a.output(), /validated/);
    assert.match(b.output(), /validated/);
  });

  it('refuses a confirm naming one object 100 times; a repeated confirm costs no second validation', async () => {
    const prefix = `${ALICE.space}dup-${Date.now()}/`;
    const [key] = await submitMany(a, prefix, 1, 4096);
    const entry = { key, size: 4096, sha256: 'a'.repeat(64) };
    const duplicate = await api(a, 'POST', '/objects/confirm', { objects: Array.from({ length: 100 }, () => entry) });
    assert.equal(duplicate.status, 400);
    assert.equal(duplicate.body.error.code, 'invalid_request');
    assert.match(duplicate.body.error.message, /appears more than once/);
    const [first] = await settled(prefix);
    const again = await api(b, 'POST', '/objects/confirm', { objects: [{ key, size: 4096, sha256: 'a'.repeat(64) }] });
    assert.equal(again.status, 200);
    assert.equal(again.body.objects[0].status, 'ACCEPTED', 'answered from the record');
    const [after] = await settled(prefix);
    assert.equal(first!.validation_runs, 1);
    assert.equal(after!.validation_runs, 1);
  });

  it('recovers a complete whose answer was lost: the retry succeeds, the record leaves AUTHORIZED, one validation', async () => {
    const key = `${ALICE.space}lost-complete-${Date.now()}/big.bin`;
    const bytes = randomBytes(5 * 1024 * 1024 + 10);
    const created = await api(a, 'POST', '/uploads', { key, size: bytes.length, partSize: 5 * 1024 * 1024 });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const uploadId = created.body.uploadId as string;
    const parts = [];
    for (const [n, chunk] of [[1, bytes.subarray(0, 5 * 1024 * 1024)], [2, bytes.subarray(5 * 1024 * 1024)]] as const) {
      const signed = await api(a, 'POST', `/uploads/${encodeURIComponent(uploadId)}/parts`, { key, parts: [{ partNumber: n, md5: createHash('md5').update(chunk).digest('base64') }] });
      const put = await fetch(signed.body.urls[0].url, { method: 'PUT', headers: signed.body.urls[0].headers, body: chunk });
      parts.push({ partNumber: n, etag: put.headers.get('etag')! });
    }
    // The first complete reached the storage, and its answer was lost (the server died before recording it).
    const client = createS3Client(s3);
    await client.send(new CompleteMultipartUploadCommand({ Bucket: s3.bucket, Key: key, UploadId: uploadId, MultipartUpload: { Parts: parts.map((p) => ({ PartNumber: p.partNumber, ETag: p.etag })) } }));
    client.destroy();
    const body = { key, size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex'), parts };
    const retried = await api(b, 'POST', `/uploads/${encodeURIComponent(uploadId)}/complete`, body);
    assert.equal(retried.status, 200, JSON.stringify(retried.body));
    assert.equal(retried.body.status, 'VALIDATING');
    const again = await api(a, 'POST', `/uploads/${encodeURIComponent(uploadId)}/complete`, body);
    assert.equal(again.status, 200, JSON.stringify(again.body));
    const [row] = await settled(key);
    assert.equal(row!.status, 'ACCEPTED');
    assert.equal(row!.validation_runs, 1);
    const history = await api(a, 'GET', `/objects/history?key=${encodeURIComponent(key)}`);
    assert.deepEqual(history.body.submissions.map((s: { status: string }) => s.status), ['ACCEPTED']);
  });

  it('a complete while the database is down answers 503 retryable; the retry after it is back succeeds', async () => {
    const key = `${ALICE.space}db-down-complete-${Date.now()}/x.bin`;
    const bytes = randomBytes(1000);
    const created = await api(a, 'POST', '/uploads', { key, size: bytes.length });
    const uploadId = created.body.uploadId as string;
    const signed = await api(a, 'POST', `/uploads/${encodeURIComponent(uploadId)}/parts`, { key, parts: [{ partNumber: 1, md5: createHash('md5').update(bytes).digest('base64') }] });
    const put = await fetch(signed.body.urls[0].url, { method: 'PUT', headers: signed.body.urls[0].headers, body: bytes });
    const body = { key, size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex'), parts: [{ partNumber: 1, etag: put.headers.get('etag')! }] };
    const restarting = postgres.restart(3000);
    // While it is down: 503 database_unavailable, retryable; /ready says which part is missing.
    let down;
    for (let i = 0; i < 50; i++) {
      down = await api(a, 'POST', `/uploads/${encodeURIComponent(uploadId)}/complete`, body);
      if (down.status === 503) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.equal(down!.status, 503, JSON.stringify(down!.body));
    assert.equal(down!.body.error.code, 'database_unavailable');
    assert.equal(down!.body.error.retryable, true);
    await restarting;
    let retried;
    for (let i = 0; i < 50; i++) {
      retried = await api(a, 'POST', `/uploads/${encodeURIComponent(uploadId)}/complete`, body);
      if (retried.status !== 503) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    assert.equal(retried!.status, 200, JSON.stringify(retried!.body));
    assert.equal((await settled(key))[0]!.status, 'ACCEPTED');
    assert.equal(a.child.exitCode, null, 'the instance lived through the restart');
  });

  it('live through a PostgreSQL restart mid-run and finish every validation', async () => {
    const prefix = `${ALICE.space}pg-restart-${Date.now()}/`;
    await Promise.all([submitMany(a, `${prefix}a-`, 30, 256 * 1024), submitMany(b, `${prefix}b-`, 30, 256 * 1024)]);
    await postgres.restart(1000);
    const rows = await settled(prefix);
    assert.equal(rows.length, 60);
    assert.deepEqual(rows.filter((r) => r.status !== 'ACCEPTED'), []);
    assert.equal(a.child.exitCode, null);
    assert.equal(b.child.exitCode, null);
    for (const instance of [a, b]) assert.equal((await api(instance, 'GET', '/ready')).status, 200);
  });

  it('a confirm that validates small objects (the default) while the storage is stopped answers 503; its retry settles them', async () => {
    const c = await startProcess({ DROPOFF_CONFIRM_VALIDATION_MAX_BYTES: String(1024 * 1024) });
    try {
      const prefix = `${ALICE.space}confirm-storage-down-${Date.now()}/`;
      const files = Array.from({ length: 10 }, (_, i) => ({ key: `${prefix}${i}.bin`, bytes: randomBytes(64 * 1024) }));
      const signed = await api(c, 'POST', '/objects/sign', { objects: files.map((f) => ({ key: f.key, size: f.bytes.length, md5: createHash('md5').update(f.bytes).digest('base64') })) });
      assert.equal(signed.status, 200, JSON.stringify(signed.body));
      for (const [i, f] of files.entries()) {
        const put = await fetch(signed.body.urls[i].url, { method: 'PUT', headers: signed.body.urls[i].headers, body: f.bytes });
        assert.equal(put.status, 200);
      }
      const confirm = { objects: files.map((f) => ({ key: f.key, size: f.bytes.length, sha256: createHash('sha256').update(f.bytes).digest('hex') })) };
      await ceph.stopGateway();
      let down;
      try {
        down = await api(c, 'POST', '/objects/confirm', confirm);
      } finally {
        await ceph.startGateway();
      }
      assert.equal(down.status, 503, JSON.stringify(down.body));
      assert.equal(down.body.error.code, 'storage_unavailable');
      assert.equal(down.body.error.retryable, true);
      // Nothing was recorded as received: the objects are still AUTHORIZED, waiting for a confirm that can read them.
      assert.deepEqual([...new Set((await outcomes(prefix)).map((r) => r.status))], ['AUTHORIZED']);
      let again;
      for (let attempt = 0; attempt < 60; attempt++) {
        again = await api(c, 'POST', '/objects/confirm', confirm);
        if (again.status !== 503) break;
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
      assert.equal(again!.status, 200, JSON.stringify(again!.body));
      assert.ok(again!.body.objects.every((o: { status: string }) => o.status === 'VALIDATING'));
      // Settled by the confirm itself: ACCEPTED at once, no job ran (validation_runs counts job attempts).
      const rows = await outcomes(prefix);
      assert.deepEqual(rows.map((r) => [r.status, r.validation_runs]), files.map(() => ['ACCEPTED', 0]));
      assert.doesNotMatch(c.output(), /validated/);
    } finally {
      await stopInstance(c);
    }
  });

  it('retry validations while the storage is stopped for 10 s, then finish them', async () => {
    const prefix = `${ALICE.space}storage-down-${Date.now()}/`;
    await submitMany(a, prefix, 20, 1024 * 1024);
    await ceph.stopGateway();
    const ready = await api(a, 'GET', '/ready');
    assert.equal(ready.status, 503);
    assert.match(ready.body.storage, /unavailable/);
    await new Promise((resolve) => setTimeout(resolve, 10_000));
    await ceph.startGateway();
    const rows = await settled(prefix);
    assert.equal(rows.length, 20);
    assert.deepEqual(rows.filter((r) => r.status !== 'ACCEPTED'), []);
    assert.equal(a.child.exitCode, null);
    assert.equal(b.child.exitCode, null);
  });

  it('finishes the jobs of an instance killed with SIGKILL mid-validation on the other', async () => {
    const prefix = `${ALICE.space}sigkill-${Date.now()}/`;
    const victim = await startProcess({ DROPOFF_VALIDATION_CONCURRENCY: '4' });
    await stopInstance(b);
    await submitMany(victim, prefix, 40, 2 * 1024 * 1024);
    // Kill it once it has validated something and still has work.
    for (let i = 0; i < 600 && !/validated/.test(victim.output()); i++) await new Promise((resolve) => setTimeout(resolve, 50));
    victim.child.kill('SIGKILL');
    await victim.exited;
    b = await startProcess();
    const rows = await settled(prefix);
    assert.equal(rows.length, 40);
    assert.deepEqual(rows.filter((r) => r.status !== 'ACCEPTED'), []);
  });

  it('exits within 5 s of SIGTERM with a full queue; a worker process finishes the queue', async () => {
    const prefix = `${ALICE.space}sigterm-${Date.now()}/`;
    const busy = await startProcess({ DROPOFF_VALIDATION_CONCURRENCY: '1' });
    await stopInstance(a);
    await stopInstance(b);
    await submitMany(busy, prefix, 30, 4 * 1024 * 1024);
    const signalled = Date.now();
    busy.child.kill('SIGTERM');
    const code = await Promise.race([busy.exited, new Promise<string>((resolve) => setTimeout(() => resolve('still running'), 5000))]);
    assert.equal(code, 0, `exit within 5 s of SIGTERM (${Date.now() - signalled} ms)\n${busy.output()}`);
    // A validation worker process (npm run worker, built) takes the queue over.
    const worker = await startProcess({}, 'worker');
    try {
      const rows = await settled(prefix);
      assert.deepEqual(rows.filter((r) => r.status !== 'ACCEPTED'), []);
      assert.match(worker.output(), /validated/);
    } finally {
      await stopInstance(worker);
    }
  });
});

describe('start-up checks', () => {
  it('names a missing bucket and how to fix it', async () => {
    await assert.rejects(startProcess({ S3_BUCKET: 'no-such-bucket' }), /bucket "no-such-bucket" does not exist.*DROPOFF_BUCKET_SETUP=create/s);
  });

  it('names a taken port and the variable that picks another', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', () => resolve()));
    const port = (blocker.address() as { port: number }).port;
    try {
      await assert.rejects(startProcess({ DROPOFF_PORT: String(port) }), new RegExp(`Port ${port} on 127.0.0.1 is already taken.*DROPOFF_PORT`, 's'));
    } finally {
      blocker.close();
    }
  });

  it('gives up on a database or a storage that accepts connections but never answers, and says which', async () => {
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', () => resolve()));
    const port = (silent.address() as { port: number }).port;
    try {
      await assert.rejects(startProcess({ DATABASE_URL: `postgresql://postgres@127.0.0.1:${port}/postgres`, DATABASE_CONNECT_TIMEOUT_MS: '1000' }),
        /could not start: The records database is unavailable/);
      await assert.rejects(startProcess({ S3_ENDPOINT: `http://127.0.0.1:${port}`, S3_REQUEST_TIMEOUT_MS: '1000' }),
        /could not start: The storage at http:\/\/127\.0\.0\.1:\d+ is not ready.*did not answer about the bucket/s);
    } finally {
      silent.close();
    }
  });

  it('refuses a second process on the same PGlite folder, and a worker without PostgreSQL', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'dropoff-pglite-lock-'));
    const first = await startProcess({ DATABASE_URL: '', DROPOFF_DATA_DIR: folder });
    try {
      await assert.rejects(startProcess({ DATABASE_URL: '', DROPOFF_DATA_DIR: folder }), /in use by process \d+.*DATABASE_URL/s);
      await assert.rejects(startProcess({ DATABASE_URL: '', DROPOFF_DATA_DIR: folder }, 'worker'), /a worker needs DATABASE_URL/);
    } finally {
      await stopInstance(first);
      await rm(folder, { recursive: true, force: true });
    }
  });
});
