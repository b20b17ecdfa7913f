/**
 * The engine with the STAC adapter on a scripted STAC API and storage (test/support/scripted-stac.ts): the wire shapes,
 * the whole file hashed before create, every row of the retry table, "already in progress" with and without
 * take-over, expired URLs, and a resume from the file-backed store. End to end against the real server on Ceph RGW:
 * test/server/stac-client-*.test.ts.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UploadEngine, type UploadEngineOptions } from '../../src/engine/upload-engine.ts';
import { UploadError } from '../../src/engine/upload-error.ts';
import type { ProgressDetail } from '../../src/engine/upload-events.ts';
import { FileResumeStore } from '../../src/node/file-resume-store.ts';
import { StacApi } from '../../src/protocol/stac/stac-api.ts';
import { InThreadHasher, ScriptedStac } from '../support/scripted-stac.ts';

const MiB = 1024 * 1024;
const ASSET = 'collections/c1/items/i1/assets/data.bin';
let dir: string;
before(async () => { dir = await mkdtemp(join(tmpdir(), 'dropoff-stac-unit-')); });
after(async () => { await rm(dir, { recursive: true, force: true }); });

function setup(options: Partial<UploadEngineOptions> & { basic?: boolean } = {}) {
  const stac = new ScriptedStac();
  const hasher = new InThreadHasher();
  const api = new StacApi({ endpoint: stac.base, fetch: stac.fetch, ...(options.basic ? { basic: { username: 'alice', password: 'secret' } } : { token: 'tok' }) });
  const engine = new UploadEngine({
    api, hasher, transport: stac.transport, store: null, endpoint: stac.base, partSize: 5 * MiB, progressIntervalMs: 0, maxRetries: 3, ...options,
  });
  return { stac, hasher, engine, api };
}

function file(size: number): { blob: Blob; bytes: Buffer; sha256: string } {
  const bytes = randomBytes(size);
  return { blob: new Blob([bytes]), bytes, sha256: createHash('sha256').update(bytes).digest('hex') };
}

async function failure(promise: Promise<unknown>): Promise<UploadError> {
  const error = await promise.then(() => assert.fail('expected the upload to fail'), (e: unknown) => e);
  assert.ok(error instanceof UploadError, String(error));
  return error;
}

describe('STAC asset upload through the engine (scripted network)', () => {
  it('creates with every MD5 and the multihash, PUTs with Content-MD5, completes with the ETags', async () => {
    const { stac, engine } = setup({ basic: true });
    const { blob, bytes, sha256 } = file(12 * MiB + 7);
    const progress: ProgressDetail[] = [];
    engine.on('progress', (e) => progress.push(e.detail));
    const stored = await engine.putObject(blob, ASSET);
    assert.equal(stored.sha256, sha256);
    assert.equal(stored.status, 'ACCEPTED');
    const [create] = stac.named('create');
    assert.equal(create!.path, `${ASSET}/uploads`);
    assert.equal(create!.body.number_parts, 3);
    assert.equal(create!.body['file:checksum'], `1220${sha256}`);
    assert.deepEqual(create!.body.md5_parts.map((p: { part_number: number }) => p.part_number), [1, 2, 3]);
    assert.equal(create!.body.md5_parts[0].md5, createHash('md5').update(bytes.subarray(0, 5 * MiB)).digest('base64'));
    assert.equal(create!.authorization, `Basic ${Buffer.from('alice:secret').toString('base64')}`);
    const [complete] = stac.named('complete');
    assert.deepEqual(complete!.body.parts.map((p: { part_number: number }) => p.part_number), [1, 2, 3]);
    assert.ok(complete!.body.parts.every((p: { etag: string }) => /^"[0-9a-f]{32}"$/.test(p.etag)));
    assert.deepEqual(stac.assembled(stored.uploadId), bytes);
    assert.equal(stac.named('get-asset').length, 1, 'the asset is read back to check file:checksum');
    // The whole file is hashed (bytesBuffered = size) before any part is confirmed (bytesDone moves).
    const firstDone = progress.findIndex((p) => p.bytesDone > 0);
    assert.ok(firstDone > 0);
    assert.ok(progress.slice(0, firstDone).some((p) => p.bytesBuffered === blob.size && p.bytesDone === 0), 'bytesBuffered reached the size first');
    assert.ok(progress.every((p) => p.bytesBuffered >= p.bytesDone));
    engine.dispose();
  });

  it('uploads a 0-byte file as one empty part, and goes to a collection asset', async () => {
    const { stac, engine } = setup();
    const stored = await engine.putObject(new Blob([]), 'collections/c1/assets/empty.txt');
    assert.equal(stored.size, 0);
    const [create] = stac.named('create');
    assert.equal(create!.path, 'collections/c1/assets/empty.txt/uploads');
    assert.deepEqual(create!.body.md5_parts, [{ part_number: 1, md5: createHash('md5').update(Buffer.alloc(0)).digest('base64') }]);
    assert.equal(create!.body['file:checksum'], `1220${createHash('sha256').update(Buffer.alloc(0)).digest('hex')}`);
    assert.equal(create!.authorization, 'Bearer tok');
    engine.dispose();
  });

  it('refuses a key that is not an asset path, and a stream, with clear errors', async () => {
    const { stac, engine } = setup();
    const notPath = await failure(engine.putObject(new Blob(['x']), 'some/file.bin'));
    assert.match(notPath.message, /not a STAC asset path/);
    assert.equal(notPath.kind, 'invalid');
    async function* chunks() { yield new Uint8Array(10); }
    const stream = await failure(engine.putObject(chunks(), ASSET));
    assert.equal(stream.code, 'not_supported');
    assert.equal(stac.named('create').length, 0);
    engine.dispose();
  });

  describe('create', () => {
    it('retries 502, 503 and 504, waiting at least 100 ms', async () => {
      const { stac, engine } = setup();
      stac.failCall = (name, attempt) => (name === 'create' ? [502, 503, 504][attempt] : undefined);
      const waits: number[] = [];
      engine.on('state', (e) => { if (e.detail.retryAt) waits.push(e.detail.retryAt - Date.now()); });
      await engine.putObject(file(6 * MiB).blob, ASSET);
      assert.deepEqual(stac.named('create').map((c) => c.status), [502, 503, 504, 201]);
      assert.equal(waits.length, 3);
      assert.ok(waits.every((ms) => ms >= 100), `waits: ${waits}`);
      engine.dispose();
    });

    it('cancels at once on 500 and on another 400', async () => {
      for (const status of [500, 400]) {
        const { stac, engine } = setup();
        stac.failCall = (name) => (name === 'create' ? status : undefined);
        const error = await failure(engine.putObject(file(100).blob, ASSET));
        assert.equal(stac.named('create').length, 1, `${status}: not retried`);
        assert.equal(error.status, status);
        assert.equal(error.kind, status === 500 ? 'failed' : 'invalid');
        assert.match(error.message, new RegExp(`answered ${status}`));
        assert.equal(stac.putAttempts.size, 0);
        engine.dispose();
      }
    });

    it('without take-over, "already in progress" fails naming the upload id, and aborts nothing', async () => {
      const { stac, engine } = setup();
      // An upload started elsewhere, on this server.
      const started = await new StacApi({ endpoint: stac.base, fetch: stac.fetch }).createUpload({
        key: ASSET, category: '', size: 1, contentType: '', partSize: 5 * MiB, parts: [{ partNumber: 1, md5: 'x' }], sha256: '0'.repeat(64),
      });
      const error = await failure(engine.putObject(file(100).blob, ASSET));
      assert.equal(error.kind, 'conflict');
      assert.match(error.message, new RegExp(`already in progress \\(upload id ${started.uploadId}\\)`));
      assert.match(error.message, /take-over/);
      assert.equal(stac.named('abort').length, 0);
      assert.equal(stac.uploads.get(started.uploadId)!.status, 'in-progress');
      engine.dispose();
    });

    for (const legacy of [false, true]) {
      it(`with take-over, "already in progress" (${legacy ? '400 of older servers' : '409'}) lists, aborts and creates again`, async () => {
        const { stac, engine } = setup({ takeOver: true });
        stac.legacyConflict = legacy;
        const started = await new StacApi({ endpoint: stac.base, fetch: stac.fetch }).createUpload({
          key: ASSET, category: '', size: 1, contentType: '', partSize: 5 * MiB, parts: [{ partNumber: 1, md5: 'x' }], sha256: '0'.repeat(64),
        });
        const { blob, bytes } = file(100);
        const stored = await engine.putObject(blob, ASSET);
        assert.deepEqual(stac.named('create').map((c) => c.status), [201, legacy ? 400 : 409, 201]);
        assert.deepEqual(stac.named('list-uploads').map((c) => c.path), [`${ASSET}/uploads?status=in-progress`]);
        assert.deepEqual(stac.named('abort').map((c) => c.path), [`${ASSET}/uploads/${started.uploadId}/abort`]);
        assert.equal(stac.uploads.get(started.uploadId)!.status, 'aborted');
        assert.deepEqual(stac.assembled(stored.uploadId), bytes);
        engine.dispose();
      });
    }
  });

  describe('part PUT', () => {
    it('retries 502, 503 and 504', async () => {
      const { stac, engine } = setup();
      stac.failPut = (_id, n, attempt) => (attempt === 1 ? [502, 503, 504][n - 1] : undefined);
      const { blob, bytes } = file(12 * MiB);
      const stored = await engine.putObject(blob, ASSET);
      assert.deepEqual([...stac.putAttempts.values()], [2, 2, 2]);
      assert.deepEqual(stac.assembled(stored.uploadId), bytes);
      engine.dispose();
    });

    it('aborts the upload on 400 and fails saying so', async () => {
      const { stac, engine } = setup();
      stac.failPut = (_id, n) => (n === 2 ? { status: 400, code: 'BadDigest' } : undefined);
      const error = await failure(engine.putObject(file(12 * MiB).blob, ASSET));
      assert.equal(error.status, 400);
      assert.match(error.message, /Part 2: .*aborted on the server/);
      const [upload] = stac.uploads.values();
      assert.equal(upload!.status, 'aborted');
      assert.equal(stac.putAttempts.get(`${upload!.id}#2`), 1, 'not retried');
      assert.equal(stac.named('complete').length, 0);
      engine.dispose();
    });

    it('cancels on 500 keeping the upload; a retry continues it, sending only what is missing', async () => {
      const { stac, engine, hasher } = setup();
      stac.failPut = (_id, n, attempt) => (n === 3 && attempt === 1 ? 500 : undefined);
      const { blob, bytes } = file(12 * MiB);
      const error = await failure(engine.putObject(blob, ASSET));
      assert.equal(error.status, 500);
      assert.match(error.message, /kept on the server: retry to continue it/);
      const [upload] = stac.uploads.values();
      assert.equal(upload!.status, 'in-progress');
      assert.equal(stac.putAttempts.get(`${upload!.id}#3`), 1, 'a 500 is not retried');
      const hashed = hasher.counts.hashPart;
      const done = new Promise<void>((resolve) => engine.on('complete', () => resolve()));
      engine.retry();
      await done;
      assert.equal(hasher.counts.hashPart, hashed, 'the file was not hashed again');
      assert.equal(stac.named('create').length, 1, 'the same upload was continued');
      assert.equal(stac.named('list-parts').length >= 1, true, 'the storage was asked which parts it holds');
      assert.deepEqual([...stac.putAttempts.entries()].map(([k, v]) => [k.split('#')[1], v]), [['1', 1], ['2', 1], ['3', 2]]);
      assert.deepEqual(stac.assembled(upload!.id), bytes);
      engine.dispose();
    });

    it('a 403 (expired URL) aborts the upload and creates it again with new URLs', async () => {
      const { stac, engine } = setup();
      let expired = false;
      stac.failPut = (_id, n) => {
        if (n !== 2 || expired) return undefined;
        expired = true;
        return { status: 403, code: 'AccessDenied' };
      };
      const { blob, bytes } = file(12 * MiB);
      const stored = await engine.putObject(blob, ASSET);
      const [first, second] = [...stac.uploads.values()];
      assert.equal(first!.status, 'aborted');
      assert.equal(second!.id, stored.uploadId);
      assert.deepEqual(stac.named('create').map((c) => c.status), [201, 201]);
      assert.equal(stac.named('create')[1]!.body['file:checksum'], stac.named('create')[0]!.body['file:checksum'], 'the same digests, not hashed again');
      assert.deepEqual(stac.assembled(stored.uploadId), bytes);
      engine.dispose();
    });

    it('URLs past their expiry are renewed before sending; URLs refused each time fail after a bounded number of renewals', async () => {
      const { stac, engine } = setup();
      stac.urlTtlMs = -1000;
      const error = await failure(engine.putObject(file(6 * MiB).blob, ASSET));
      assert.equal(error.code, 'storage_rejected');
      assert.match(error.message, /created again with new URLs 2 times/);
      assert.equal(stac.named('create').length, 3);
      assert.equal(stac.named('abort').length, 3);
      assert.equal(stac.putAttempts.size, 0, 'nothing sent to an expired URL');
      engine.dispose();
    });
  });

  describe('complete', () => {
    it('retries 502, 503 and 504', async () => {
      const { stac, engine } = setup();
      stac.failCall = (name, attempt) => (name === 'complete' ? [502, 503, 504][attempt] : undefined);
      await engine.putObject(file(100).blob, ASSET);
      assert.deepEqual(stac.named('complete').map((c) => c.status), [502, 503, 504, 200]);
      engine.dispose();
    });

    it('cancels on 400 and on 500', async () => {
      for (const status of [400, 500]) {
        const { stac, engine } = setup();
        stac.failCall = (name) => (name === 'complete' ? { status, body: { code: status, description: status === 400 ? 'Too few parts' : 'Internal error' } } : undefined);
        const error = await failure(engine.putObject(file(100).blob, ASSET));
        assert.equal(stac.named('complete').length, 1, `${status}: not retried`);
        assert.equal(error.status, status);
        if (status === 400) assert.match(error.message, /Too few parts/);
        engine.dispose();
      }
    });

    it('fails when the asset read back does not carry the file\'s checksum', async () => {
      const { stac, engine } = setup();
      stac.assetOverride = () => ({ 'file:checksum': `1220${'ab'.repeat(32)}` });
      const error = await failure(engine.putObject(file(100).blob, ASSET));
      assert.equal(error.code, 'verification_failed');
      assert.match(error.message, /file:checksum/);
      engine.dispose();
    });
  });

  describe('resume after a reload', () => {
    it('continues the upload from the record while its URLs are valid, without hashing the file again', async () => {
      const store = new FileResumeStore(join(dir, 'resume-valid'));
      const first = setup({ store });
      first.stac.failPut = (_id, n) => (n === 3 ? 500 : undefined);
      const { blob, bytes } = file(12 * MiB);
      await failure(first.engine.putObject(blob, ASSET, { lastModified: 1 }));
      first.engine.dispose();
      const [record] = await store.list();
      assert.ok(record?.signed, 'the record keeps the URLs and digests');
      assert.equal(record.signed.urls.length, 3);
      assert.deepEqual(Object.keys(record.parts).sort(), ['1', '2']);
      // A new page: a new engine and hasher, the same store and server.
      const hasher = new InThreadHasher();
      const second = new UploadEngine({ api: first.api, hasher, transport: first.stac.transport, store, endpoint: first.stac.base, partSize: 5 * MiB, progressIntervalMs: 0 });
      first.stac.failPut = () => undefined;
      const stored = await second.putObject(blob, ASSET, { lastModified: 1 });
      assert.equal(hasher.counts.hashPart, 0, 'not hashed again');
      assert.equal(hasher.counts.md5, 1, 'only the first part, to tell the file apart');
      assert.equal(first.stac.named('create').length, 1);
      assert.deepEqual([...first.stac.putAttempts.values()], [1, 1, 2]);
      assert.deepEqual(first.stac.assembled(stored.uploadId), bytes);
      assert.equal((await store.list()).length, 0, 'the record is dropped once stored');
      second.dispose();
    });

    it('starts a new upload (aborting the old) when the URLs expired, or when the file is another', async () => {
      for (const change of ['expired', 'other file'] as const) {
        const store = new FileResumeStore(join(dir, `resume-${change.replace(' ', '-')}`));
        const first = setup({ store });
        first.stac.failPut = (_id, n) => (n === 2 ? 500 : undefined);
        const { blob } = file(12 * MiB);
        await failure(first.engine.putObject(blob, ASSET, { lastModified: 1 }));
        first.engine.dispose();
        const [old] = first.stac.uploads.values();
        if (change === 'expired') (old as { expires: number }).expires = Date.now() - 1;
        const record = (await store.list())[0]!;
        if (change === 'expired') await store.put({ ...record, signed: { ...record.signed!, urls: record.signed!.urls.map((u) => ({ ...u, expiresAt: new Date(Date.now() - 1000).toISOString() })) } });
        first.stac.failPut = () => undefined;
        const again = change === 'expired' ? blob : file(12 * MiB).blob;
        const second = new UploadEngine({ api: first.api, hasher: new InThreadHasher(), transport: first.stac.transport, store, endpoint: first.stac.base, partSize: 5 * MiB, progressIntervalMs: 0 });
        const stored = await second.putObject(again, ASSET, { lastModified: 1 });
        assert.equal(old!.status, 'aborted', change);
        assert.notEqual(stored.uploadId, old!.id);
        assert.equal(first.stac.named('create').length, 2, change);
        second.dispose();
      }
    });

    it('a resumed upload the server no longer has in progress starts over', async () => {
      const store = new FileResumeStore(join(dir, 'resume-gone'));
      const first = setup({ store });
      first.stac.failPut = (_id, n) => (n === 2 ? 500 : undefined);
      const { blob, bytes } = file(12 * MiB);
      await failure(first.engine.putObject(blob, ASSET, { lastModified: 1 }));
      first.engine.dispose();
      const [old] = first.stac.uploads.values();
      old!.status = 'aborted';
      first.stac.failPut = () => undefined;
      const second = new UploadEngine({ api: first.api, hasher: new InThreadHasher(), transport: first.stac.transport, store, endpoint: first.stac.base, partSize: 5 * MiB, progressIntervalMs: 0 });
      const stored = await second.putObject(blob, ASSET, { lastModified: 1 });
      assert.notEqual(stored.uploadId, old!.id);
      assert.deepEqual(first.stac.assembled(stored.uploadId), bytes);
      second.dispose();
    });
  });
});
