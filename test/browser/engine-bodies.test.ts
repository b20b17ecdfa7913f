/**
 * putObject / putObjects with every body kind, streams of unknown length, lazy intake, and batched signing, against
 * the scripted network (real hash pool).
 */
import { expect } from '@open-wc/testing';
import { BrowserUploadEngine as UploadEngine } from '../../src/browser/browser-upload-engine.ts';
import type { PutEntry } from '../../src/engine/upload-engine.ts';
import { StreamPartReader } from '../../src/engine/body-source.ts';
import { streamPartSize } from '../../src/engine/part-plan.ts';
import type { ProgressDetail } from '../../src/engine/upload-events.ts';
import { bytesOf, sha256Of } from '../support/browser-helpers.ts';
import { ScriptedNetwork } from '../support/scripted-network.ts';

const MiB = 1024 * 1024;

function engineOn(network: ScriptedNetwork, options: Partial<ConstructorParameters<typeof UploadEngine>[0]> = {}) {
  return new UploadEngine({ api: network.api, transport: network.transport, store: null, partSize: 5 * MiB, progressIntervalMs: 0, ...options });
}

/** An async iterable yielding `bytes` in chunks of `chunk` bytes, and counting how far it was read. */
function chunked(bytes: Uint8Array<ArrayBuffer>, chunk: number, read = { bytes: 0 }): AsyncIterable<Uint8Array> {
  return {
    async *[Symbol.asyncIterator]() {
      for (let i = 0; i < bytes.length; i += chunk) {
        await new Promise((resolve) => setTimeout(resolve, 0));
        read.bytes = Math.min(bytes.length, i + chunk);
        yield bytes.subarray(i, i + chunk);
      }
    },
  };
}

async function storedSha(network: ScriptedNetwork, key: string, uploadId: string): Promise<string> {
  const bytes = uploadId ? await network.assembled(uploadId) : network.objects.get(key)!;
  return sha256Of(new Blob([bytes]));
}

describe('putObject bodies', () => {
  const bytes = bytesOf(12 * MiB + 5, 42);
  let expected: string;
  before(async () => {
    expected = await sha256Of(new Blob([bytes]));
  });

  const kinds: [string, () => unknown][] = [
    ['a Blob', () => new Blob([bytes])],
    ['an ArrayBuffer', () => bytes.buffer.slice(0)],
    ['a typed array view into a larger buffer', () => {
      const padded = new Uint8Array(bytes.length + 10);
      padded.set(bytes, 5);
      return new Uint8Array(padded.buffer, 5, bytes.length);
    }],
    ['a DataView', () => new DataView(bytes.buffer.slice(0))],
    ['a ReadableStream', () => new Blob([bytes]).stream()],
    ['an async iterable of chunks', () => chunked(bytes, 700_000)],
  ];
  for (const [label, make] of kinds) {
    it(`stores ${label} with the right bytes and SHA-256`, async () => {
      const network = new ScriptedNetwork();
      const engine = engineOn(network);
      const detail = await engine.putObject(make() as Blob, 'u/body.bin');
      expect(detail.sha256).to.equal(expected);
      expect(detail.size).to.equal(bytes.length);
      expect(await storedSha(network, detail.key, detail.uploadId)).to.equal(expected);
    });
  }

  it('rejects a body of the wrong kind with a TypeError message and a bad key before any request', async () => {
    const network = new ScriptedNetwork();
    const engine = engineOn(network);
    let error = await engine.putObject('text' as unknown as Blob, 'u/x').catch((e: Error) => e);
    expect((error as Error).message).to.contain('must be a Blob');
    error = await engine.putObject(new Blob(['x']), 'u/../x').catch((e: Error) => e);
    expect((error as Error).message).to.contain('".."');
    expect(network.calls).to.deep.equal([]);
  });
});

describe('streams of unknown length', () => {
  it('reports totalBytes as unknown until the end, and holds at most the part window in memory', async () => {
    const network = new ScriptedNetwork();
    network.putDelayMs = 40;
    const engine = engineOn(network, { partConcurrency: 2, hashPipelineDepth: 1 });
    const bytes = bytesOf(40 * MiB, 7);
    const read = { bytes: 0 };
    let maxAhead = 0;
    const progress: ProgressDetail[] = [];
    engine.on('progress', (e) => {
      progress.push(e.detail);
      maxAhead = Math.max(maxAhead, read.bytes - e.detail.bytesDone);
    });
    const detail = await engine.putObject(chunked(bytes, MiB, read), 'u/stream.bin');
    expect(detail.size).to.equal(40 * MiB);
    expect(progress.slice(0, -1).every((p) => p.totalBytes === undefined)).to.equal(true);
    expect(progress.at(-1)).to.include({ totalBytes: 40 * MiB, bytesDone: 40 * MiB, complete: true });
    // Window of 3 parts of 5 MiB, plus the chunk read ahead to see whether the stream has ended.
    expect(maxAhead).to.be.at.most(3 * 5 * MiB + MiB);
    expect(await storedSha(network, detail.key, detail.uploadId)).to.equal(await sha256Of(new Blob([bytes])));
  });

  it('sends a stream that ends within one part by a single PUT', async () => {
    const network = new ScriptedNetwork();
    const engine = engineOn(network);
    const detail = await engine.putObject(chunked(bytesOf(3 * MiB, 3), 100_000), 'u/short-stream.bin');
    expect(detail.uploadId).to.equal('');
    expect(network.calls).to.deep.equal(['sign-objects', 'confirm-objects']);
  });

  it('stores an empty stream as an empty object', async () => {
    const network = new ScriptedNetwork();
    const detail = await engineOn(network).putObject(chunked(new Uint8Array(0), 10), 'u/empty-stream');
    expect(detail.size).to.equal(0);
    expect(network.objects.get('u/empty-stream')!.length).to.equal(0);
  });

  it('pauses and resumes a stream without reading any byte twice', async () => {
    const network = new ScriptedNetwork();
    network.putDelayMs = 30;
    const engine = engineOn(network, { partConcurrency: 1 });
    const bytes = bytesOf(30 * MiB, 9);
    const upload = engine.putObject(chunked(bytes, MiB), 'u/paused-stream.bin');
    await new Promise<void>((resolve) => engine.on('progress', (e) => { if (e.detail.bytesDone >= 10 * MiB) resolve(); }));
    engine.pause();
    await engine.whenIdle();
    engine.resume();
    const detail = await upload;
    expect(detail.size).to.equal(bytes.length);
    expect(await storedSha(network, detail.key, detail.uploadId)).to.equal(await sha256Of(new Blob([bytes])));
  });

  it('cuts parts at the requested sizes and doubles them every 1,000 parts', async () => {
    const reader = new StreamPartReader(chunked(bytesOf(25, 1), 7)[Symbol.asyncIterator]());
    const sizes = [];
    for (let blob = await reader.next(10); blob; blob = await reader.next(10)) sizes.push(blob.size);
    expect(sizes).to.deep.equal([10, 10, 5]);
    expect(reader.ended).to.equal(true);
    expect([1, 1000, 1001, 2001, 9999].map((n) => streamPartSize(8 * MiB, n) / MiB)).to.deep.equal([8, 8, 16, 32, 4096]);
    expect(streamPartSize(8 * MiB, 10_000)).to.equal(4096 * MiB);
    expect(streamPartSize(64 * MiB, 10_000)).to.equal(5 * 1024 * MiB);
  });
});

describe('putObjects', () => {
  it('takes entries lazily, signs small objects in batches, and reports every outcome', async () => {
    const network = new ScriptedNetwork();
    // A server round trip of 20 ms: objects hashed while a signing call is out wait and go together in the next.
    network.callDelayMs = 20;
    const engine = engineOn(network, { partConcurrency: 4, objectConcurrency: 2, smallObjectConcurrency: 16 });
    let pulled = 0;
    let settled = 0;
    let maxAhead = 0;
    let maxOpen = 0;
    engine.on('state', () => {
      maxOpen = Math.max(maxOpen, engine.items.filter((i) => !['done', 'failed', 'cancelled'].includes(i.state)).length);
    });
    engine.on('complete', () => settled++);
    engine.on('error', () => settled++);
    function* entries(): Generator<PutEntry> {
      for (let n = 0; n < 200; n++) {
        pulled++;
        // Entries refused before they start (the bad key) never reach the engine's events: count them here.
        if (n === 7) settled++;
        maxAhead = Math.max(maxAhead, pulled - settled);
        yield { body: new Blob([bytesOf(2000, n)]), key: n === 7 ? 'u/bad/../key' : `u/many/${n}.bin` };
      }
    }
    const result = await engine.putObjects(entries(), { category: 'bulk' });
    expect(pulled).to.equal(200);
    expect(result.completed.length).to.equal(199);
    expect(result.failed.map((f) => f.key)).to.deep.equal(['u/bad/../key']);
    // Never more than the intake window (small objects open + 2 x objects = 20) taken from the iterable ahead of
    // what settled.
    expect(maxAhead).to.be.at.most(21);
    expect(maxOpen).to.be.at.most(20);
    expect(Math.max(...network.signBatches)).to.be.above(1);
    expect(network.calls.filter((c) => c === 'sign-objects').length).to.be.below(199);
  });
});
