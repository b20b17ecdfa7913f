/**
 * The engine against a scripted server and storage (real hash worker): concurrency, progress, retries, failures,
 * pause, resume and cancel.
 */
import { expect } from '@open-wc/testing';
import { BrowserUploadEngine as UploadEngine } from '../../src/browser/browser-upload-engine.ts';
import type { CompleteDetail, ErrorDetail, ProgressDetail } from '../../src/engine/upload-events.ts';
import { fileOf, nextEvent, sha256Of } from '../support/browser-helpers.ts';
import { ScriptedNetwork } from '../support/scripted-network.ts';

const MiB = 1024 * 1024;

function engineOn(network: ScriptedNetwork, options: Partial<ConstructorParameters<typeof UploadEngine>[0]> = {}) {
  return new UploadEngine({
    api: network.api, transport: network.transport, store: null, partSize: 5 * MiB, progressIntervalMs: 0, ...options,
  });
}

function collect<T>(engine: UploadEngine, type: 'complete' | 'error' | 'progress'): T[] {
  const seen: T[] = [];
  engine.addEventListener(type, (event) => seen.push((event as CustomEvent<T>).detail));
  return seen;
}

describe('UploadEngine', () => {
  it('never has more part PUTs in flight than part-concurrency, over all files', async () => {
    const network = new ScriptedNetwork();
    // PUTs much slower than hashing, so the queue is saturated and the cap is what limits.
    network.putDelayMs = 150;
    const engine = engineOn(network, { partConcurrency: 3, objectConcurrency: 3 });
    const done = nextEvent(engine, 'done');
    engine.add([fileOf('a', 21 * MiB, 1), fileOf('b', 21 * MiB, 2), fileOf('c', 21 * MiB, 3)], { destination: 'u/' });
    await done;
    expect(network.maxInFlight).to.equal(3);
    expect(engine.items.every((i) => i.state === 'done')).to.equal(true);
  });

  it('runs at most object-concurrency files at once', async () => {
    const network = new ScriptedNetwork();
    const engine = engineOn(network, { partConcurrency: 6, objectConcurrency: 2 });
    let maxActive = 0;
    engine.addEventListener('state', () => {
      maxActive = Math.max(maxActive, engine.items.filter((i) => ['hashing', 'uploading', 'completing'].includes(i.state)).length);
    });
    const done = nextEvent(engine, 'done');
    engine.add([1, 2, 3, 4, 5].map((n) => fileOf(`f${n}`, 6 * MiB, n)), { destination: 'u/' });
    await done;
    expect(maxActive).to.equal(2);
  });

  it('stores the exact bytes, reports their SHA-256, and reports monotonic progress ending at the total', async () => {
    const network = new ScriptedNetwork();
    const engine = engineOn(network);
    const progress = collect<ProgressDetail>(engine, 'progress');
    const file = fileOf('exact.bin', 12 * MiB + 7, 9);
    const completed = nextEvent<CompleteDetail>(engine, 'complete');
    engine.add([file], { destination: 'u/' });
    const detail = await completed;
    expect(detail.sha256).to.equal(await sha256Of(file));
    const stored = await network.assembled(detail.uploadId);
    expect(await sha256Of(new Blob([stored]))).to.equal(detail.sha256);
    for (let i = 1; i < progress.length; i++) {
      expect(progress[i]!.bytesDone).to.be.at.least(progress[i - 1]!.bytesDone);
      expect(progress[i]!.bytesBuffered).to.be.at.least(progress[i - 1]!.bytesBuffered);
    }
    expect(progress.at(-1)).to.include({ bytesDone: file.size, totalBytes: file.size, complete: true });
    expect(progress.at(-1)!.batch).to.include({ filesDone: 1, filesTotal: 1, bytesSent: file.size, bytesTotal: file.size });
    // Part 1's URL comes with the upload; parts 2 and 3 are signed together once the file has no more parts.
    expect(network.calls.filter((c) => c === 'sign').length).to.equal(1);
    expect(network.partSignBatches).to.deep.equal([2]);
  });

  it('uploads a 0-byte file by one empty PUT', async () => {
    const network = new ScriptedNetwork();
    const engine = engineOn(network);
    const completed = nextEvent<CompleteDetail>(engine, 'complete');
    engine.add([fileOf('empty', 0)], { destination: 'u/' });
    const detail = await completed;
    expect(detail.size).to.equal(0);
    expect(detail.sha256).to.equal('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(network.objects.get('u/empty')!.length).to.equal(0);
    expect(network.calls).to.deep.equal(['sign-objects', 'confirm-objects']);
  });

  it('retries a part the storage answers 503 to, and succeeds', async () => {
    const network = new ScriptedNetwork();
    network.failPut = (_id, partNumber, attempt) => (partNumber === 2 && attempt <= 2 ? 503 : undefined);
    const engine = engineOn(network, { maxRetries: 3 });
    const completed = nextEvent<CompleteDetail>(engine, 'complete');
    engine.add([fileOf('flaky', 11 * MiB, 5)], { destination: 'u/' });
    const detail = await completed;
    expect(network.putAttempts.get(`${detail.uploadId}#2`)).to.equal(3);
    expect(network.putAttempts.get(`${detail.uploadId}#1`)).to.equal(1);
  });

  it('fails a file whose part is refused with a 4xx, while the other files finish', async () => {
    const network = new ScriptedNetwork();
    network.failPut = (id, partNumber) => (id === 'up-1' && partNumber === 1 ? 400 : undefined);
    const engine = engineOn(network, { objectConcurrency: 1 });
    const errors = collect<ErrorDetail>(engine, 'error');
    const completes = collect<CompleteDetail>(engine, 'complete');
    const done = nextEvent(engine, 'done');
    engine.add([fileOf('bad', 6 * MiB, 1), fileOf('good', 6 * MiB, 2)], { destination: 'u/' });
    await done;
    expect(errors.map((e) => [e.key, e.code, e.retryable])).to.deep.equal([['u/bad', 'storage_rejected', false]]);
    expect(errors[0]!.message).to.contain('400');
    expect(completes.map((c) => c.key)).to.deep.equal(['u/good']);
    expect(network.putAttempts.get('up-1#1')).to.equal(1);
  });

  it('gives up after max-retries on a server that keeps answering 503', async () => {
    const network = new ScriptedNetwork();
    network.failCall = (name) => (name === 'create' ? 503 : undefined);
    const engine = engineOn(network, { maxRetries: 2 });
    const failed = nextEvent<ErrorDetail>(engine, 'error');
    engine.add([fileOf('x', 6 * MiB)], { destination: 'u/' });
    const error = await failed;
    expect(error.retryable).to.equal(true);
    expect(network.calls.filter((c) => c === 'create').length).to.equal(3);
  });

  it('pauses without losing confirmed parts and resumes without sending them again', async () => {
    const network = new ScriptedNetwork();
    network.putDelayMs = 30;
    const engine = engineOn(network, { partConcurrency: 1 });
    const file = fileOf('pausable', 26 * MiB, 11);
    engine.add([file], { destination: 'u/' });
    await nextEvent<ProgressDetail>(engine, 'progress', (p) => p.bytesDone >= 10 * MiB);
    engine.pause('u/pausable');
    expect(engine.items[0]!.state).to.equal('paused');
    // The parts the storage holds at the pause: not always 1..n, since part 3 may be sent before part 2 (its MD5 or URL
    // came first), and a part in flight at the pause is cut off and rightly sent again.
    const storedAtPause = new Set(network.uploads.get('up-1')!.parts.keys());
    expect(storedAtPause.size).to.be.within(2, 5);
    const completed = nextEvent<CompleteDetail>(engine, 'complete');
    engine.resume('u/pausable');
    const detail = await completed;
    expect(detail.sha256).to.equal(await sha256Of(file));
    expect(detail.uploadId).to.equal('up-1');
    for (let n = 1; n <= 6; n++) expect(network.putAttempts.get(`up-1#${n}`), `part ${n}`).to.be.at.most(storedAtPause.has(n) ? 1 : 2);
  });

  it('cancels an upload and aborts it on the server', async () => {
    const network = new ScriptedNetwork();
    network.putDelayMs = 50;
    const engine = engineOn(network, { partConcurrency: 1 });
    engine.add([fileOf('doomed', 20 * MiB)], { destination: 'u/' });
    await nextEvent<ProgressDetail>(engine, 'progress', (p) => p.bytesDone > 0);
    await engine.cancel('u/doomed');
    expect(engine.items[0]!.state).to.equal('cancelled');
    expect(network.uploads.get('up-1')!.aborted).to.equal(true);
    expect(network.uploads.get('up-1')!.completed).to.equal(false);
  });

  it('refuses files whose key is invalid or already queued, with a reason', async () => {
    const network = new ScriptedNetwork();
    const engine = engineOn(network, { autoStart: false });
    const rejected = nextEvent<{ files: { name: string; reason: string }[] }>(engine, 'rejected');
    engine.add([fileOf('ok', 1), fileOf('ok', 1), fileOf('tab\there', 1)], { destination: 'u/' });
    const { files } = await rejected;
    expect(files.map((f) => f.name)).to.deep.equal(['ok', 'tab\there']);
    expect(files[0]!.reason).to.contain('already in the queue');
    expect(files[1]!.reason).to.contain('control character');
    expect(engine.items.map((i) => i.state)).to.deep.equal(['queued']);
    expect(network.calls).to.deep.equal([]);
  });

  it('puts several files under a prefix but only one under a key', () => {
    const engine = engineOn(new ScriptedNetwork(), { autoStart: false });
    const accepted = engine.add([fileOf('a', 1), fileOf('b', 1)], { destination: 'u/data.bin' });
    expect(accepted.map((i) => i.key)).to.deep.equal(['u/data.bin']);
  });
});
