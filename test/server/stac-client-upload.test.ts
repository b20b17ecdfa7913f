/**
 * The STAC client end to end: the engine with the STAC adapter (StacApi, also as loadStacApi loads it on first use)
 * against the real reference server's STAC API on Ceph RGW, with a fault proxy in front of the server and one in
 * front of the storage (the server signs part URLs for that proxy). One part, many parts, a 0-byte file, a collection
 * asset, resume after a "reload" (a new engine on the same resume store), expired URLs, "already in progress" with and
 * without take-over, and every row of the retry table.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalStack, type LocalStack } from '../../scripts/stack/local-stack.ts';
import { startServer, type RunningServer } from '../../server/main.ts';
import { hashPassword } from '../../server/stac/password-hash.ts';
import { parseBasicUsers } from '../../server/stac/stac-config.ts';
import type { UploadError } from '../../src/engine/upload-error.ts';
import { FileResumeStore } from '../../src/node/file-resume-store.ts';
import { NodeUploadEngine, type NodeUploadEngineOptions } from '../../src/node/node-upload-engine.ts';
import { StacApi } from '../../src/protocol/stac/stac-api.ts';
import { loadStacApi } from '../../src/protocol/stac/load-stac-api.ts';
import { startFaultProxy, type FaultProxy, type FaultRule } from '../support/fault-proxy.ts';
import { stac, type Credentials } from '../support/stac-client.ts';
import { readStoredObject } from '../support/stored-object.ts';
import { ALICE, TEST_TOKENS } from '../support/test-users.ts';

const MiB = 1024 * 1024;
const BASIC = { username: 'alice', password: 'alice stac client password' };
const alice: Credentials = { user: BASIC.username, password: BASIC.password };
let stack: LocalStack;
let server: RunningServer;
let storageProxy: FaultProxy;
let serverProxy: FaultProxy;
/** The STAC API through the server's fault proxy (what the client uses). */
let base: string;
/** The STAC API directly (what the tests use to set up and check). */
let direct: string;
let dir: string;
let counter = 0;

before(async () => {
  stack = await startLocalStack({ storage: 'ceph', tokens: TEST_TOKENS, stac: { basicUsers: parseBasicUsers(`alice:${await hashPassword(BASIC.password)}`) } });
  storageProxy = await startFaultProxy(Number(new URL(stack.s3.endpoint).port), 'storage');
  server = await startServer({ ...stack.config, port: 0, s3: { ...stack.s3, endpoint: storageProxy.url } });
  serverProxy = await startFaultProxy(Number(new URL(server.url).port), 'server');
  base = `${serverProxy.url}/stac/v1`;
  direct = `${server.url}/stac/v1`;
  dir = await mkdtemp(join(tmpdir(), 'dropoff-stac-client-'));
});

after(async () => {
  await serverProxy?.close();
  await server?.close();
  await storageProxy?.close();
  await stack?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** A fresh collection, item (unless `collectionAsset`) and asset of Alice's. */
async function freshAsset(collectionAsset = false): Promise<{ key: string; storedKey: string }> {
  const n = counter++;
  const collection = `ch.test.client-${Date.now()}-${n}`;
  const item = `item-${n}`;
  const asset = `data-${n}.bin`;
  assert.equal((await stac(direct, 'PUT', `/collections/${collection}`, alice, { id: collection, description: 'Client tests', license: 'proprietary' })).status, 201);
  if (collectionAsset) {
    const made = await stac(direct, 'PUT', `/collections/${collection}/assets/${asset}`, alice, { id: asset, type: 'application/octet-stream' });
    assert.equal(made.status, 201, JSON.stringify(made.body));
    return { key: `collections/${collection}/assets/${asset}`, storedKey: `${ALICE.space}stac/${collection}/${asset}` };
  }
  assert.equal((await stac(direct, 'PUT', `/collections/${collection}/items/${item}`, alice, {
    id: item, geometry: { type: 'Point', coordinates: [7.44, 46.95] }, properties: { datetime: '2026-11-30T08:00:00Z' },
  })).status, 201);
  const made = await stac(direct, 'PUT', `/collections/${collection}/items/${item}/assets/${asset}`, alice, { id: asset, type: 'application/octet-stream' });
  assert.equal(made.status, 201, JSON.stringify(made.body));
  return { key: `collections/${collection}/items/${item}/assets/${asset}`, storedKey: `${ALICE.space}stac/${collection}/${item}/${asset}` };
}

function engine(options: Partial<NodeUploadEngineOptions> = {}): NodeUploadEngine {
  return new NodeUploadEngine({
    api: new StacApi({ endpoint: base, basic: BASIC }), endpoint: base, store: null, partSize: 5 * MiB, hashThreads: 1, maxRetries: 3, progressIntervalMs: 0, ...options,
  });
}

function file(size: number): { blob: Blob; bytes: Buffer; sha256: string } {
  const bytes = randomBytes(size);
  return { blob: new Blob([bytes]), bytes, sha256: createHash('sha256').update(bytes).digest('hex') };
}

/** The asset as the API shows it, and the object the storage holds. */
async function assertStored(key: string, storedKey: string, sha256: string, size: number): Promise<void> {
  const asset = await stac(direct, 'GET', `/${key}`, alice);
  assert.equal(asset.body['file:checksum'], `1220${sha256}`);
  assert.equal(asset.body['file:size'], size);
  const stored = await readStoredObject(stack.s3, storedKey, 5 * MiB);
  assert.equal(stored.sha256, sha256);
}

/** The asset's uploads as the API lists them, with their status. */
async function uploadsOf(key: string): Promise<{ upload_id: string; status: string }[]> {
  const listed = await stac(direct, 'GET', `/${key}/uploads`, alice);
  assert.equal(listed.status, 200, JSON.stringify(listed.body));
  return listed.body.uploads;
}

async function failure(promise: Promise<unknown>): Promise<UploadError> {
  return promise.then(() => assert.fail('expected the upload to fail'), (error: UploadError) => error);
}

function faults(proxy: FaultProxy, rules: FaultRule[]): void {
  proxy.script(rules);
}

describe('STAC client on the real server and Ceph RGW', () => {
  it('uploads one part (Basic), many parts (Bearer, adapter loaded on first use), a 0-byte file and a collection asset', async () => {
    faults(serverProxy, []);
    faults(storageProxy, []);
    const small = await freshAsset();
    const one = file(1000);
    const e = engine();
    try {
      const stored = await e.putObject(one.blob, small.key);
      assert.equal(stored.status, 'ACCEPTED');
      await assertStored(small.key, small.storedKey, one.sha256, 1000);
    } finally {
      e.dispose();
    }
    const large = await freshAsset();
    const many = file(12 * MiB + 345);
    const lazy = engine({ api: new (await loadStacApi())({ endpoint: base, token: ALICE.token }) });
    try {
      const stored = await lazy.putObject(many.blob, large.key);
      assert.equal(stored.size, many.bytes.length);
      await assertStored(large.key, large.storedKey, many.sha256, many.bytes.length);
      assert.equal(storageProxy.log().forwarded.PUT, 4, 'one PUT per part (3), plus the one-part upload before');
      const [upload] = await uploadsOf(large.key);
      assert.equal(upload!.status, 'completed');
    } finally {
      lazy.dispose();
    }
    const empty = await freshAsset();
    const e0 = engine();
    const collection = await freshAsset(true);
    try {
      await e0.putObject(new Blob([]), empty.key);
      await assertStored(empty.key, empty.storedKey, createHash('sha256').update(Buffer.alloc(0)).digest('hex'), 0);
      const bytes = file(2048);
      await e0.putObject(bytes.blob, collection.key);
      await assertStored(collection.key, collection.storedKey, bytes.sha256, 2048);
    } finally {
      e0.dispose();
    }
  });

  it('resumes after a reload: a new engine on the same resume store sends only the parts the storage lacks', async () => {
    faults(serverProxy, []);
    const { key, storedKey } = await freshAsset();
    const store = new FileResumeStore(join(dir, 'resume'));
    const data = file(12 * MiB + 1);
    // Part 3 fails with 500: the retry table's "cancel", which keeps the upload (and its record) for later.
    faults(storageProxy, [{ method: 'PUT', path: 'partNumber=3&', status: 500, action: 'status' }]);
    // One part at a time, so that parts 1 and 2 are stored before part 3 fails.
    const first = engine({ store, partConcurrency: 1 });
    const error = await failure(first.putObject(data.blob, key, { lastModified: 1 }));
    first.dispose();
    assert.equal(error.status, 500);
    assert.match(error.message, /kept on the server/);
    const [record] = await store.list();
    assert.equal(record?.signed?.urls.length, 3, 'the record keeps the upload id and its URLs');
    const held = (await stac(direct, 'GET', `/${key}/uploads/${record!.uploadId}/parts`, alice)).body.parts as { part_number: number; size: number }[];
    assert.deepEqual(held.map((p) => p.part_number), [1, 2]);
    faults(storageProxy, []);
    const second = engine({ store });
    try {
      const stored = await second.putObject(data.blob, key, { lastModified: 1 });
      assert.equal(stored.uploadId, record!.uploadId, 'the same upload, continued');
      const missing = data.bytes.length - held.reduce((sum, p) => sum + p.size, 0);
      assert.equal(storageProxy.log().putBytesForwarded, missing, 'only part 3, which the storage lacked, was sent');
      await assertStored(key, storedKey, data.sha256, data.bytes.length);
      assert.equal((await store.list()).length, 0);
    } finally {
      second.dispose();
    }
  });

  it('expired URLs: a 403 from the storage aborts the upload and creates it again; a resume record with expired URLs starts a new upload', async () => {
    faults(serverProxy, []);
    const { key, storedKey } = await freshAsset();
    const data = file(6 * MiB);
    faults(storageProxy, [{ method: 'PUT', action: 'expire' }]);
    const e = engine();
    try {
      await e.putObject(data.blob, key);
    } finally {
      e.dispose();
    }
    await assertStored(key, storedKey, data.sha256, data.bytes.length);
    assert.deepEqual((await uploadsOf(key)).map((u) => u.status).sort(), ['aborted', 'completed']);

    const again = await freshAsset();
    const store = new FileResumeStore(join(dir, 'resume-expired'));
    faults(storageProxy, [{ method: 'PUT', path: 'partNumber=2&', status: 500, action: 'status' }]);
    const first = engine({ store });
    await failure(first.putObject(data.blob, again.key, { lastModified: 2 }));
    first.dispose();
    const record = (await store.list())[0]!;
    await store.put({ ...record, signed: { ...record.signed!, urls: record.signed!.urls.map((u) => ({ ...u, expiresAt: new Date(Date.now() - 1000).toISOString() })) } });
    faults(storageProxy, []);
    const second = engine({ store });
    try {
      const stored = await second.putObject(data.blob, again.key, { lastModified: 2 });
      assert.notEqual(stored.uploadId, record.uploadId);
    } finally {
      second.dispose();
    }
    const statuses = new Map((await uploadsOf(again.key)).map((u) => [u.upload_id, u.status]));
    assert.equal(statuses.get(record.uploadId), 'aborted');
    await assertStored(again.key, again.storedKey, data.sha256, data.bytes.length);
  });

  it('"already in progress": fails naming the upload without take-over; with take-over aborts it and uploads', async () => {
    faults(serverProxy, []);
    faults(storageProxy, []);
    const { key, storedKey } = await freshAsset();
    const other = await stac(direct, 'POST', `/${key}/uploads`, alice, {
      number_parts: 1, md5_parts: [{ part_number: 1, md5: createHash('md5').update('x').digest('base64') }], 'file:checksum': `1220${createHash('sha256').update('x').digest('hex')}`,
    });
    assert.equal(other.status, 201);
    const data = file(3000);
    const plain = engine();
    const error = await failure(plain.putObject(data.blob, key));
    plain.dispose();
    assert.equal(error.kind, 'conflict');
    assert.match(error.message, new RegExp(`upload id ${other.body.upload_id}`));
    assert.equal((await stac(direct, 'GET', `/${key}/uploads/${other.body.upload_id}`, alice)).body.status, 'in-progress');
    const takeOver = engine({ takeOver: true });
    try {
      await takeOver.putObject(data.blob, key);
    } finally {
      takeOver.dispose();
    }
    assert.equal((await stac(direct, 'GET', `/${key}/uploads/${other.body.upload_id}`, alice)).body.status, 'aborted');
    await assertStored(key, storedKey, data.sha256, 3000);
  });

  describe('the retry table through the fault proxies', () => {
    /** Uploads `size` bytes while `faulty` answers 502, 503 and 504 once each to `request`; all three are retried. */
    async function storedDespite502to504(faulty: FaultProxy, request: Pick<FaultRule, 'method' | 'path'>, size: number): Promise<void> {
      faults(faulty === serverProxy ? storageProxy : serverProxy, []);
      const { key, storedKey } = await freshAsset();
      faults(faulty, [502, 503, 504].map((status) => ({ ...request, status, action: 'status' as const })));
      const data = file(size);
      const e = engine();
      try {
        await e.putObject(data.blob, key);
      } finally {
        e.dispose();
      }
      assert.equal(faulty.log().faults.status, 3);
      await assertStored(key, storedKey, data.sha256, size);
    }

    for (const [call, path] of [['create', '/uploads$'], ['complete', '/complete$']] as const) {
      it(`${call}: 502, 503 and 504 are retried`, () => storedDespite502to504(serverProxy, { method: 'POST', path }, 100));
    }

    for (const status of [500, 400]) {
      it(`create: ${status} cancels at once`, async () => {
        const { key } = await freshAsset();
        faults(storageProxy, []);
        faults(serverProxy, [{ method: 'POST', path: '/uploads$', status, action: 'status', times: -1 }]);
        const e = engine();
        const error = await failure(e.putObject(file(100).blob, key));
        e.dispose();
        assert.equal(error.status, status);
        assert.equal(serverProxy.log().faults.status, 1, 'asked once');
        assert.deepEqual(await uploadsOf(key), []);
      });
    }

    it('part PUT: 502, 503 and 504 are retried', () => storedDespite502to504(storageProxy, { method: 'PUT' }, 12 * MiB));

    it('part PUT: 400 aborts the upload', async () => {
      faults(serverProxy, []);
      const { key } = await freshAsset();
      faults(storageProxy, [{ method: 'PUT', status: 400, action: 'status' }]);
      const e = engine();
      const error = await failure(e.putObject(file(6 * MiB).blob, key));
      e.dispose();
      assert.equal(error.status, 400);
      assert.match(error.message, /aborted on the server/);
      assert.deepEqual((await uploadsOf(key)).map((u) => u.status), ['aborted']);
    });

    it('part PUT: 500 cancels, keeping the upload; retrying the file continues it', async () => {
      faults(serverProxy, []);
      const { key, storedKey } = await freshAsset();
      faults(storageProxy, [{ method: 'PUT', path: 'partNumber=2&', status: 500, action: 'status' }]);
      const data = file(12 * MiB);
      const e = engine();
      try {
        const error = await failure(e.putObject(data.blob, key));
        assert.equal(error.status, 500);
        assert.equal(storageProxy.log().faults.status, 1, 'not retried');
        assert.deepEqual((await uploadsOf(key)).map((u) => u.status), ['in-progress']);
        const done = new Promise<void>((resolve) => e.on('complete', () => resolve()));
        e.retry();
        await done;
      } finally {
        e.dispose();
      }
      assert.deepEqual((await uploadsOf(key)).map((u) => u.status), ['completed']);
      await assertStored(key, storedKey, data.sha256, data.bytes.length);
    });


    it('complete whose answer is lost: the retry meets "No upload in progress", the upload reads completed, the file is stored', async () => {
      faults(storageProxy, []);
      const { key, storedKey } = await freshAsset();
      faults(serverProxy, [{ method: 'POST', path: '/complete$', action: 'lose-answer' }]);
      const data = file(100);
      const e = engine();
      try {
        const stored = await e.putObject(data.blob, key);
        assert.equal(stored.sha256, data.sha256);
      } finally {
        e.dispose();
      }
      assert.equal(serverProxy.log().faults['lose-answer'], 1);
      assert.equal(serverProxy.log().forwarded.POST, 3, 'create, the complete whose answer was lost, and its retry');
      assert.deepEqual((await uploadsOf(key)).map((u) => u.status), ['completed']);
      await assertStored(key, storedKey, data.sha256, 100);
    });

    for (const status of [400, 500]) {
      it(`complete: ${status} cancels at once`, async () => {
        faults(storageProxy, []);
        const { key } = await freshAsset();
        faults(serverProxy, [{ method: 'POST', path: '/complete$', status, action: 'status', times: -1 }]);
        const e = engine();
        const error = await failure(e.putObject(file(100).blob, key));
        e.dispose();
        assert.equal(error.status, status);
        assert.equal(serverProxy.log().faults.status, 1, 'asked once');
        assert.deepEqual((await uploadsOf(key)).map((u) => u.status), ['in-progress'], 'cancelled, not aborted');
      });
    }
  });
});
