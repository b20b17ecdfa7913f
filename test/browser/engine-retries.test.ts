/**
 * How the engine meets failures (scripted network, real hash pool): Retry-After, a retry's wait that holds no PUT slot,
 * bounded retries after a 500, a 403 signed again without counting as a failure, a BadDigest re-hashed once, a hash
 * worker failing after a part's MD5, and pausing while the browser is offline.
 */
import { expect } from '@open-wc/testing';
import { BrowserUploadEngine as UploadEngine } from '../../src/browser/browser-upload-engine.ts';
import { MAX_RETRIES_AFTER_500 } from '../../src/engine/retry.ts';
import type { CompleteDetail } from '../../src/engine/upload-events.ts';
import { UploadError, parseRetryAfter } from '../../src/engine/upload-error.ts';
import { HashError, HashPool, type PartHasher } from '../../src/worker/hash-pool.ts';
import { fileOf, nextEvent, sha256Of } from '../support/browser-helpers.ts';
import { ScriptedNetwork } from '../support/scripted-network.ts';

const MiB = 1024 * 1024;

function engineOn(network: ScriptedNetwork, options: Partial<ConstructorParameters<typeof UploadEngine>[0]> = {}) {
  return new UploadEngine({ api: network.api, transport: network.transport, store: null, partSize: 5 * MiB, progressIntervalMs: 0, ...options });
}

describe('retries', () => {
  it('waits as long as a 429 Retry-After asks before trying again', async () => {
    const network = new ScriptedNetwork();
    network.failPut = (_id, n, attempt) => (n === 1 && attempt === 1 ? { status: 429, code: 'SlowDown', retryAfterSeconds: 2 } : undefined);
    const detail = await engineOn(network).putObject(fileOf('slow', 6 * MiB), 'u/slow');
    const [first, second] = network.putTimes.get(`${detail.uploadId}#1`)!;
    expect(second! - first!).to.be.at.least(1900);
  });

  it('gives its PUT slot to other parts while it waits to retry', async () => {
    const network = new ScriptedNetwork();
    network.failPut = (id, n, attempt) => (id === 'up-1' && n === 1 && attempt === 1 ? { status: 503, code: 'SlowDown', retryAfterSeconds: 1 } : undefined);
    const engine = engineOn(network, { partConcurrency: 1 });
    const done = nextEvent(engine, 'done');
    engine.add([fileOf('first', 6 * MiB, 1), fileOf('second', 6 * MiB, 2)], { destination: 'u/' });
    await done;
    const [failed, retried] = network.putTimes.get('up-1#1')!;
    const others = [...network.putTimes].filter(([key]) => key !== 'up-1#1').flatMap(([, times]) => times);
    // One slot: before the fix, nothing else was sent while the failed part waited its second out in it.
    expect(others.filter((t) => t > failed! && t < retried!).length, JSON.stringify([...network.putTimes])).to.be.at.least(1);
    expect(engine.items.map((i) => i.state)).to.deep.equal(['done', 'done']);
  });

  it(`retries a 500 at most ${MAX_RETRIES_AFTER_500} times, however many retries are allowed`, async () => {
    const network = new ScriptedNetwork();
    network.failPut = (_id, n) => (n === 1 ? 500 : undefined);
    const error = await engineOn(network, { maxRetries: 5 }).putObject(fileOf('broken', 6 * MiB), 'u/broken').catch((e: UploadError) => e);
    expect(error).to.be.instanceOf(UploadError);
    expect((error as UploadError).status).to.equal(500);
    expect(network.putAttempts.get('up-1#1')).to.equal(1 + MAX_RETRIES_AFTER_500);
  });

  it('signs again after a 403 (an expired URL) without counting it as a failure', async () => {
    const network = new ScriptedNetwork();
    network.failPut = (_id, n, attempt) => (n === 2 && attempt === 1 ? { status: 403, code: 'AccessDenied' } : undefined);
    const detail = await engineOn(network, { maxRetries: 0 }).putObject(fileOf('expired', 11 * MiB, 4), 'u/expired');
    expect(network.putAttempts.get(`${detail.uploadId}#2`)).to.equal(2);
    // Parts 2 and 3 in one call (part 1 came with the upload), then part 2 alone again, at once.
    expect(network.partSignBatches).to.deep.equal([2, 1]);
  });

  it('fails with the storage message when a fresh signature is refused too', async () => {
    const network = new ScriptedNetwork();
    network.failPut = () => ({ status: 403, code: 'AccessDenied' });
    const error = await engineOn(network).putObject(fileOf('denied', 6 * MiB), 'u/denied').catch((e: UploadError) => e);
    expect((error as UploadError).code).to.equal('storage_rejected');
    expect((error as UploadError).message).to.contain('403 AccessDenied');
    expect(network.putAttempts.get('up-1#1')).to.equal(2);
  });

  it('sends a part once more after a BadDigest when the file still holds the bytes hashed', async () => {
    const network = new ScriptedNetwork();
    network.failPut = (_id, n, attempt) => (n === 1 && attempt === 1 ? { status: 400, code: 'BadDigest' } : undefined);
    const file = fileOf('flipped-bit', 6 * MiB, 8);
    const detail = await engineOn(network).putObject(file, 'u/flipped-bit');
    expect(detail.sha256).to.equal(await sha256Of(file));
    expect(network.putAttempts.get(`${detail.uploadId}#1`)).to.equal(2);
  });

  it('says the file changed when the storage refuses a part as corrupted twice', async () => {
    const network = new ScriptedNetwork();
    network.failPut = (_id, n) => (n === 1 ? { status: 400, code: 'BadDigest' } : undefined);
    const error = await engineOn(network).putObject(fileOf('changing', 6 * MiB), 'u/changing').catch((e: UploadError) => e);
    expect((error as UploadError).code).to.equal('file_changed');
    expect((error as UploadError).message).to.contain('changed while it was being uploaded');
  });

  it("fails the file with hash_failed, completing nothing, when the hash worker fails after a part's MD5; a retry stores it", async () => {
    const network = new ScriptedNetwork();
    const pool = new HashPool({ size: 1 });
    let failNext = true;
    // The real pool, except that the first part it hashes whole (part 2: part 1's MD5 is taken apart, to open the
    // upload) fails its SHA-256 update once, after its MD5 was answered, as when the worker fails between the two: the
    // part's PUT may already be on its way.
    const hasher: PartHasher = {
      hashPart: (session, blob, save) => {
        const hashed = pool.hashPart(session, blob, save);
        if (!failNext) return hashed;
        failNext = false;
        return { md5: hashed.md5, sha256: hashed.sha256.then(() => Promise.reject(new HashError('failed', 'The hash worker ran out of memory.'))) };
      },
      md5: (blob) => pool.md5(blob),
      sha256Update: (session, blob, save) => pool.sha256Update(session, blob, save),
      sha256Restore: (session, state) => pool.sha256Restore(session, state),
      sha256Finish: (session) => pool.sha256Finish(session),
      discard: (session) => pool.discard(session),
    };
    const engine = engineOn(network, { hasher });
    const file = fileOf('worker-fails', 11 * MiB, 5);
    const error = await engine.putObject(file, 'u/worker-fails').catch((e: UploadError) => e);
    expect(error).to.be.instanceOf(UploadError);
    expect((error as UploadError).code).to.equal('hash_failed');
    expect((error as UploadError).message).to.contain('ran out of memory');
    expect([...network.uploads.values()].some((u) => u.completed), 'nothing completed with a SHA-256 not taken').to.equal(false);
    const detail = await engine.putObject(file, 'u/worker-fails');
    expect(detail.sha256).to.equal(await sha256Of(file));
    engine.dispose();
    pool.terminate();
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    expect(parseRetryAfter('3')).to.equal(3000);
    expect(parseRetryAfter(new Date(Date.UTC(2030, 0, 1, 0, 0, 10)).toUTCString(), Date.UTC(2030, 0, 1))).to.equal(10_000);
    expect(parseRetryAfter('soon')).to.equal(undefined);
    expect(parseRetryAfter(null)).to.equal(undefined);
  });
});

describe('offline', () => {
  it('pauses running uploads while the browser is offline and resumes them when it is back', async () => {
    const network = new ScriptedNetwork();
    network.putDelayMs = 40;
    const engine = engineOn(network, { partConcurrency: 1 });
    const file = fileOf('commute', 30 * MiB, 12);
    const upload = engine.putObject(file, 'u/commute');
    await nextEvent(engine, 'progress', (p: { bytesDone: number }) => p.bytesDone > 0);
    const paused = nextEvent<{ state: string }>(engine, 'state', (s) => s.state === 'paused');
    window.dispatchEvent(new Event('offline'));
    await paused;
    await engine.whenIdle();
    const putsWhileOffline = [...network.putAttempts.values()].reduce((a, b) => a + b, 0);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect([...network.putAttempts.values()].reduce((a, b) => a + b, 0)).to.equal(putsWhileOffline);
    window.dispatchEvent(new Event('online'));
    const detail: CompleteDetail = await upload;
    expect(detail.sha256).to.equal(await sha256Of(file));
    engine.dispose();
  });
});
