/**
 * Node's ports on their own: files as lazy Blobs that notice a change on disk, the worker-thread hash pool (same
 * answers as node:crypto, for file ranges and bytes in memory), and the file-backed resume store (atomic, no lost
 * parts when many finish together, hash states kept, broken files ignored).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileBody } from '../../src/node/file-body.ts';
import { FileResumeStore } from '../../src/node/file-resume-store.ts';
import { NodeHashPool } from '../../src/node/node-hash-pool.ts';
import { HashError } from '../../src/worker/hash-pool.ts';
import { RESUME_RECORD_VERSION, type ResumeRecord } from '../../src/store/resume-record.ts';

let dir: string;
before(async () => { dir = await mkdtemp(join(tmpdir(), 'dropoff-unit-')); });
after(async () => { await rm(dir, { recursive: true, force: true }); });

describe('file bodies', () => {
  it('read any slice lazily, as a Blob and as a stream', async () => {
    const bytes = randomBytes(3 * 1024 * 1024 + 5);
    await writeFile(join(dir, 'f.bin'), bytes);
    const { file, name, lastModified } = await fileBody(join(dir, 'f.bin'));
    assert.ok(file instanceof Blob);
    assert.equal(name, 'f.bin');
    assert.ok(lastModified > 0);
    assert.equal(file.size, bytes.length);
    const slice = file.slice(1000, 2 * 1024 * 1024).slice(10, -10);
    assert.deepEqual(Buffer.from(await slice.arrayBuffer()), bytes.subarray(1010, 2 * 1024 * 1024 - 10));
    const chunks: Uint8Array[] = [];
    for await (const chunk of file.slice(7).stream()) chunks.push(chunk);
    assert.deepEqual(Buffer.concat(chunks), bytes.subarray(7));
  });

  it('refuse to read a file changed or removed since it was opened', async () => {
    const path = join(dir, 'changing.bin');
    await writeFile(path, randomBytes(100));
    const { file } = await fileBody(path);
    await utimes(path, new Date(), new Date(Date.now() + 60_000));
    await assert.rejects(file.arrayBuffer(), /changed on disk/);
    await rm(path);
    await assert.rejects(file.arrayBuffer(), /can no longer be read/);
  });
});

describe('NodeHashPool', () => {
  it('hashes file ranges and bytes in memory in worker threads, as node:crypto does', async () => {
    const pool = new NodeHashPool({ size: 2 });
    try {
      const bytes = randomBytes(2 * 1024 * 1024 + 11);
      await writeFile(join(dir, 'h.bin'), bytes);
      const { file } = await fileBody(join(dir, 'h.bin'));
      const half = 1024 * 1024;
      const first = pool.hashPart('s', file.slice(0, half), false);
      const second = pool.hashPart('s', new Blob([bytes.subarray(half)]), false);
      assert.equal((await first.md5).md5, createHash('md5').update(bytes.subarray(0, half)).digest('base64'));
      assert.equal((await second.md5).md5, createHash('md5').update(bytes.subarray(half)).digest('base64'));
      await Promise.all([first.sha256, second.sha256]);
      assert.equal(await pool.sha256Finish('s'), createHash('sha256').update(bytes).digest('hex'));
    } finally {
      pool.terminate();
    }
  });

  it('reports a file that vanished as unreadable', async () => {
    const pool = new NodeHashPool({ size: 1 });
    try {
      const path = join(dir, 'vanishing.bin');
      await writeFile(path, randomBytes(10));
      const { file } = await fileBody(path);
      await rm(path);
      await assert.rejects(pool.md5(file), (error) => error instanceof HashError && error.reason === 'unreadable');
    } finally {
      pool.terminate();
    }
  });
});

describe('FileResumeStore', () => {
  const record = (fingerprint: string): ResumeRecord => ({
    version: RESUME_RECORD_VERSION, fingerprint, endpoint: 'http://x', key: 'alice/k', uploadId: 'u1', name: 'k', size: 100,
    partSize: 5 * 1024 * 1024, parts: {}, createdAt: 1, updatedAt: 1,
  });

  it('keeps every part when many finish at once, and the hash state, across instances', async () => {
    const folder = join(dir, 'store-1');
    const store = new FileResumeStore(folder);
    await store.put(record('fp'));
    await Promise.all(Array.from({ length: 50 }, (_, i) => store.addPart('fp', i + 1, { etag: `"e${i + 1}"`, size: i })));
    await store.saveHashState('fp', 3, new Uint8Array([1, 2, 3]));
    await store.saveHashState('fp', 2, new Uint8Array([9]));
    const again = await new FileResumeStore(folder).get('fp');
    assert.equal(Object.keys(again!.parts).length, 50);
    assert.deepEqual(again!.sha256, { throughPart: 3, state: new Uint8Array([1, 2, 3]) }, 'an older state never replaces a newer one');
    assert.deepEqual((await readdir(folder)).filter((n) => !n.endsWith('.json')), [], 'no temporary files left behind');
  });

  it('lists, removes, ignores records of other versions and unreadable files, and adds nothing to a removed record', async () => {
    const folder = join(dir, 'store-2');
    const store = new FileResumeStore(folder);
    await store.put(record('a'));
    await store.put({ ...record('b'), version: RESUME_RECORD_VERSION + 1 });
    await writeFile(join(folder, 'garbage.json'), '{not json');
    assert.deepEqual((await store.list()).map((r) => r.fingerprint), ['a']);
    assert.equal(await store.get('b'), undefined);
    await store.remove('a');
    await store.addPart('a', 1, { etag: 'e', size: 1 });
    assert.equal(await store.get('a'), undefined);
  });
});
