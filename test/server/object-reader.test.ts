/**
 * The server's signed GETs (ObjectReader) against Ceph RGW: odd keys, ranges, metadata, a missing object, wrong
 * credentials, a storage that refuses, stalls or answers 503 once, an aborted read, and kept-alive connections.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { ApiError } from '../../server/errors.ts';
import { ObjectReader, StorageReadError } from '../../server/storage/object-reader.ts';
import { createS3Client, type S3Settings } from '../../server/storage/s3-client.ts';
import { isNotFound, toApiError } from '../../server/storage/storage-errors.ts';
import { UploadStore } from '../../server/storage/upload-store.ts';
import { startLocalStack, type LocalStack } from '../../scripts/stack/local-stack.ts';
import { startFaultProxy, type FaultProxy } from '../support/fault-proxy.ts';
import { ALICE, TEST_TOKENS } from '../support/test-users.ts';

let ceph: LocalStack;
let client: S3Client;

before(async () => {
  ceph = await startLocalStack({ storage: 'ceph', tokens: TEST_TOKENS });
  client = createS3Client(ceph.s3);
});
after(async () => {
  client?.destroy();
  await ceph?.stop();
});

/** Reads `body` to its end. */
async function bytesOf(body: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of body) chunks.push(chunk);
  return Buffer.concat(chunks);
}

/** A reader with `settings` (default: Ceph's), closed after `use`. */
async function withReader<T>(use: (reader: ObjectReader) => Promise<T>, settings: S3Settings = ceph.s3, attempts?: number): Promise<T> {
  const reader = new ObjectReader(client, settings, attempts);
  try {
    return await use(reader);
  } finally {
    reader.destroy();
  }
}

describe('ObjectReader on Ceph RGW', () => {
  it('reads objects under odd keys whole, with their ETag and user metadata, as the SDK stored them', async () => {
    const names = ['plain.bin', 'with space.txt', 'plus+sign.bin', 'per%cent.bin', 'été/日本語.mseed', "bang!quote'(paren)*star.bin",
      'tilde~and=eq&amp.bin', 'question?hash#.bin', 'double//slash.bin', 'a/b/c/deep.bin'];
    await withReader(async (reader) => {
      for (const name of names) {
        const key = `${ALICE.space}reader-${Date.now()}/${name}`;
        const bytes = randomBytes(1000 + name.length);
        await client.send(new PutObjectCommand({ Bucket: ceph.s3.bucket, Key: key, Body: bytes, Metadata: { 'sha256': 'x'.repeat(8), 'dropoff-token': 'T1' } }));
        const read = await reader.get(key);
        assert.equal(read.size, bytes.length, name);
        assert.equal(read.etag, `"${createHash('md5').update(bytes).digest('hex')}"`, name);
        assert.deepEqual(read.metadata, { sha256: 'x'.repeat(8), 'dropoff-token': 'T1' }, name);
        assert.ok((await bytesOf(read.body)).equals(bytes), name);
      }
    });
  });

  it('reads a range', async () => {
    const key = `${ALICE.space}reader-range-${Date.now()}.bin`;
    const bytes = randomBytes(5000);
    await client.send(new PutObjectCommand({ Bucket: ceph.s3.bucket, Key: key, Body: bytes }));
    await withReader(async (reader) => {
      const read = await reader.get(key, { range: { start: 10, end: 109 } });
      assert.equal(read.size, 100);
      assert.ok((await bytesOf(read.body)).equals(bytes.subarray(10, 110)));
    });
  });

  it('a missing object is the storage\'s 404 NoSuchKey, which UploadStore.readBack answers as no object', async () => {
    await withReader(async (reader) => {
      const error = await reader.get(`${ALICE.space}never-stored-${Date.now()}`).then(() => undefined, (e: unknown) => e);
      assert.ok(error instanceof StorageReadError);
      assert.equal(error.name, 'NoSuchKey');
      assert.equal(error.$metadata.httpStatusCode, 404);
      assert.ok(isNotFound(error));
      const store = new UploadStore(client, reader, ceph.s3.bucket, 60);
      assert.equal(await store.readBack(`${ALICE.space}never-stored-${Date.now()}`, 0, 1), undefined);
    });
  });

  it('wrong credentials are the storage\'s refusal, a storage_error the client is not asked to retry', async () => {
    const settings = { ...ceph.s3, secretAccessKey: 'not-the-secret' };
    const wrong = createS3Client(settings);
    const reader = new ObjectReader(wrong, settings);
    try {
      const error = await reader.get(`${ALICE.space}anything`).then(() => undefined, (e: unknown) => e);
      assert.ok(error instanceof StorageReadError);
      assert.equal(error.$metadata.httpStatusCode, 403);
      assert.equal(error.name, 'SignatureDoesNotMatch');
      const api = toApiError(error, 'read');
      assert.equal(api.code, 'storage_error');
      assert.equal(api.retryable, false);
    } finally {
      reader.destroy();
      wrong.destroy();
    }
  });

  it('a 503 is retried; a storage that keeps refusing connections is storage_unavailable after three attempts', async () => {
    const proxy: FaultProxy = await startFaultProxy(Number(new URL(ceph.s3.endpoint).port), 'storage');
    try {
      const key = `${ALICE.space}reader-retry-${Date.now()}.bin`;
      await client.send(new PutObjectCommand({ Bucket: ceph.s3.bucket, Key: key, Body: 'retried' }));
      proxy.script([{ method: 'GET', action: 'status', status: 503, times: 1 }]);
      await withReader(async (reader) => {
        assert.equal((await bytesOf((await reader.get(key)).body)).toString(), 'retried');
      }, { ...ceph.s3, endpoint: proxy.url });
      assert.equal(proxy.log().forwarded.GET, 1);
      assert.equal(proxy.log().faults.status, 1);
    } finally {
      await proxy.close();
    }
    // A port nobody listens on.
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const error = await withReader((reader) => reader.get('x'), { ...ceph.s3, endpoint: `http://127.0.0.1:${port}` }).then(() => undefined, (e: unknown) => e);
    assert.ok(error instanceof StorageReadError);
    assert.equal(error.name, 'ECONNREFUSED');
    const api = toApiError(error, 'read');
    assert.ok(api instanceof ApiError);
    assert.equal(api.code, 'storage_unavailable');
    assert.equal(api.retryable, true);
  });
});

describe('ObjectReader against a storage that misbehaves (a local HTTP server)', () => {
  let server: Server;
  let connections = 0;
  let mode: 'stall' | 'answer' = 'answer';
  before(async () => {
    server = createServer((req, res) => {
      if (mode === 'stall') return; // Accepts the request and never answers.
      res.writeHead(200, { 'content-length': '5', etag: '"e"', 'x-amz-meta-sha256': 'abc' }).end('hello');
    });
    server.on('connection', () => connections++);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  const settings = (): S3Settings => ({ ...ceph.s3, endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requestTimeoutMs: 300 });

  it('keeps its connections alive: twenty GETs one after the other use one connection', async () => {
    mode = 'answer';
    connections = 0;
    await withReader(async (reader) => {
      for (let i = 0; i < 20; i++) {
        const read = await reader.get(`k${i}`);
        assert.equal(read.metadata.sha256, 'abc');
        assert.equal((await bytesOf(read.body)).toString(), 'hello');
      }
    }, settings());
    assert.equal(connections, 1);
  });

  it('a storage that stops answering fails the read after the request timeout, with no status (storage_unavailable)', async () => {
    mode = 'stall';
    const error = await withReader((reader) => reader.get('stalled'), settings(), 1).then(() => undefined, (e: unknown) => e);
    assert.ok(error instanceof StorageReadError);
    assert.equal(error.name, 'TimeoutError');
    assert.equal(toApiError(error, 'read').code, 'storage_unavailable');
  });

  it('an aborted read stops at once and is not retried', async () => {
    mode = 'stall';
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const before = connections;
    const error = await withReader((reader) => reader.get('aborted', { signal: controller.signal }), { ...settings(), requestTimeoutMs: 30_000 }).then(() => undefined, (e: unknown) => e);
    assert.equal((error as Error).name, 'AbortError');
    assert.equal(connections - before, 1);
  });
});
