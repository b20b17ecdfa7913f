/**
 * The hash pool's side of a part's two answers, against a scripted worker: with one worker, a part's MD5 settles on
 * the worker's early answer while its SHA-256 update is still pending, so the part's PUT need not wait for it; a
 * failure before the MD5 fails both, a failure after it fails only the SHA-256.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { HashError, HashPool } from '../../src/worker/hash-pool.ts';
import type { HashRequest, HashResponse } from '../../src/worker/hash-protocol.ts';

/** A worker whose answers the test gives, one at a time. */
class ScriptedWorker {
  onmessage: ((event: MessageEvent<HashResponse>) => void) | null = null;
  onerror: ((event: ErrorEvent) => void) | null = null;
  readonly requests: HashRequest[] = [];
  postMessage(request: HashRequest): void {
    this.requests.push(request);
  }
  terminate(): void {}
  answer(response: HashResponse): void {
    this.onmessage?.({ data: response } as MessageEvent<HashResponse>);
  }
}

/** Whether `promise` has settled once every queued callback has run. */
async function settled(promise: Promise<unknown>): Promise<boolean> {
  let done = false;
  promise.then(() => { done = true; }, () => { done = true; });
  await new Promise((resolve) => setImmediate(resolve));
  return done;
}

function onePool(): { pool: HashPool; worker: ScriptedWorker } {
  const worker = new ScriptedWorker();
  return { pool: new HashPool({ size: 1, createWorker: () => worker as unknown as Worker }), worker };
}

describe('the hash pool with one worker', () => {
  it("settles a part's MD5 on the early answer, and its SHA-256 update only on the final one", async () => {
    const { pool, worker } = onePool();
    const hashed = pool.hashPart('file', new Blob(['abc']), true);
    const [request] = worker.requests;
    assert.equal(request?.op, 'part', 'one request carries both hashes');
    worker.answer({ id: request.id, ok: true, early: true, md5: 'kAFQmDzST7DWlj99KOF/cg==', bytes: 3 });
    assert.deepEqual(await hashed.md5, { md5: 'kAFQmDzST7DWlj99KOF/cg==', bytes: 3 });
    assert.equal(await settled(hashed.sha256), false, 'the SHA-256 update is still running');
    const state = new Uint8Array([1, 2, 3]);
    worker.answer({ id: request.id, ok: true, md5: 'kAFQmDzST7DWlj99KOF/cg==', bytes: 3, state });
    assert.deepEqual(await hashed.sha256, state);
  });

  it('fails both when the bytes cannot be read, and only the SHA-256 when it fails after the MD5', async () => {
    const { pool, worker } = onePool();
    const unread = pool.hashPart('a', new Blob(['x']), false);
    worker.answer({ id: worker.requests[0]!.id, ok: false, reason: 'unreadable', message: 'gone' });
    await assert.rejects(unread.md5, (error) => error instanceof HashError && error.reason === 'unreadable');
    await assert.rejects(unread.sha256, HashError);

    const late = pool.hashPart('b', new Blob(['y']), false);
    const id = worker.requests[1]!.id;
    worker.answer({ id, ok: true, early: true, md5: 'QUFB', bytes: 1 });
    worker.answer({ id, ok: false, reason: 'failed', message: 'out of memory' });
    assert.deepEqual(await late.md5, { md5: 'QUFB', bytes: 1 });
    await assert.rejects(late.sha256, (error) => error instanceof HashError && error.reason === 'failed');
  });
});
