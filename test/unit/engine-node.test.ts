/**
 * The engine under Node on a scripted network (no server, no storage): files from disk in parts hashed in worker
 * threads, small files signed in batches, streams, retries, and a resume from the file-backed store that sends only
 * the parts not confirmed before.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileBody } from '../../src/node/file-body.ts';
import { FileResumeStore } from '../../src/node/file-resume-store.ts';
import { NodeUploadEngine, type NodeUploadEngineOptions } from '../../src/node/node-upload-engine.ts';
import { ScriptedNetwork } from '../support/scripted-network.ts';
import { UploadEngine } from '../../src/engine/upload-engine.ts';

const MiB = 1024 * 1024;
let dir: string;
before(async () => { dir = await mkdtemp(join(tmpdir(), 'dropoff-engine-node-')); });
after(async () => { await rm(dir, { recursive: true, force: true }); });

function engineOn(network: ScriptedNetwork, options: Partial<NodeUploadEngineOptions> = {}): NodeUploadEngine {
  return new NodeUploadEngine({ api: network.api, transport: network.transport, store: null, partSize: 5 * MiB, progressIntervalMs: 0, hashThreads: 2, ...options });
}

async function onDisk(name: string, size: number): Promise<{ path: string; bytes: Buffer }> {
  const bytes = randomBytes(size);
  const path = join(dir, name);
  await writeFile(path, bytes);
  return { path, bytes };
}

describe('the engine in Node', () => {
  it('needs its ports: the engine alone says which, the assembled engines give them', () => {
    const network = new ScriptedNetwork();
    assert.throws(() => new UploadEngine({ api: network.api }), /needs its ports, a hasher and a transport/);
    engineOn(network).dispose();
  });

  it('uploads a file from disk in parts, hashed in worker threads', async () => {
    const network = new ScriptedNetwork();
    const engine = engineOn(network);
    try {
      const { path, bytes } = await onDisk('parts.bin', 12 * MiB + 3);
      const body = await fileBody(path);
      const stored = await engine.putObject(body.file, 'alice/parts.bin', { lastModified: body.lastModified });
      assert.equal(stored.sha256, createHash('sha256').update(bytes).digest('hex'));
      assert.deepEqual(Buffer.from(await network.assembled(stored.uploadId)), bytes);
      assert.equal(network.uploads.get(stored.uploadId)!.parts.size, 3);
    } finally {
      engine.dispose();
    }
  });

  it('signs small files in batches, takes streams, and retries a part the storage refused with 503', async () => {
    const network = new ScriptedNetwork();
    network.failPut = (id, _n, attempt) => (id !== 'object' && attempt === 1 ? 503 : undefined);
    // PUTs slower than hashing: objects hashed while the PUT queue is full wait and are signed together.
    network.putDelayMs = 60;
    const engine = engineOn(network, { maxRetries: 2, partConcurrency: 2 });
    try {
      const result = await engine.putObjects(Array.from({ length: 20 }, (_, i) => ({ body: randomBytes(100 + i), key: `alice/small/${i}.bin` })));
      assert.equal(result.failed.length, 0);
      assert.equal(result.completed.length, 20);
      assert.ok(network.signBatches.length < 20, `batched: ${network.signBatches}`);
      async function* chunks() { for (let i = 0; i < 7; i++) yield new Uint8Array(MiB).fill(i); }
      const streamed = await engine.putObject(chunks(), 'alice/stream.bin');
      assert.equal(streamed.size, 7 * MiB);
      const streamParts = [...network.putAttempts].filter(([key]) => key.startsWith(`${streamed.uploadId}#`));
      assert.equal(streamParts.length, 2);
      assert.ok(streamParts.every(([, attempts]) => attempts === 2), 'every part was sent again once after its 503');
    } finally {
      engine.dispose();
    }
  });

  it('resumes from the file-backed store after a pause, sending only the parts not confirmed', async () => {
    const network = new ScriptedNetwork();
    const store = new FileResumeStore(join(dir, 'records'));
    const { path, bytes } = await onDisk('resume.bin', 21 * MiB);
    const body = await fileBody(path);
    const first = engineOn(network, { store, partConcurrency: 1, objectConcurrency: 1 });
    let confirmed = 0;
    network.putDelayMs = 20;
    const paused = new Promise<void>((resolve) => {
      first.on('progress', (event) => {
        if (event.detail.bytesDone >= 2 * 5 * MiB && confirmed === 0) {
          confirmed = event.detail.bytesDone;
          first.pause();
          resolve();
        }
      });
    });
    void first.putObject(body.file, 'alice/resume.bin', { lastModified: body.lastModified });
    await paused;
    await first.whenIdle();
    first.dispose();
    const [record] = await store.list();
    assert.ok(record, 'the record survives the engine');
    const recordedParts = Object.keys(record.parts).length;
    assert.ok(recordedParts >= 2);
    const before = new Map(network.putAttempts);

    const second = engineOn(network, { store });
    try {
      const stored = await second.putObject(body.file, 'alice/resume.bin', { lastModified: body.lastModified });
      assert.equal(stored.uploadId, record.uploadId, 'the same upload continued');
      const resent = [...network.putAttempts].filter(([key, attempts]) => attempts > (before.get(key) ?? 0)).map(([key]) => Number(key.split('#')[1]));
      assert.deepEqual(resent.sort(), [1, 2, 3, 4, 5].filter((n) => !(n in record.parts)), 'only the parts not recorded were sent');
      assert.equal(stored.sha256, createHash('sha256').update(bytes).digest('hex'));
      assert.equal(await store.get(record.fingerprint), undefined, 'the record is gone once stored');
    } finally {
      second.dispose();
    }
  });
});
