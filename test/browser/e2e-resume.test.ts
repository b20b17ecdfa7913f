/**
 * End to end on real storage: every confirmed part is recorded in IndexedDB as it finishes, and a new engine (as after
 * a reload) that is given the same file resumes from that record, sending only the parts not yet stored.
 */
import { expect } from '@open-wc/testing';
import { BrowserUploadEngine as UploadEngine } from '../../src/browser/browser-upload-engine.ts';
import { XhrPartTransport } from '../../src/browser/xhr-transport.ts';
import type { PartTransport } from '../../src/engine/part-transport.ts';
import type { CompleteDetail, ProgressDetail } from '../../src/engine/upload-events.ts';
import { DropoffApi } from '../../src/protocol/dropoff-api.ts';
import { IdbResumeStore } from '../../src/browser/idb-resume-store.ts';
import { ALICE } from '../support/test-users.ts';
import { fileOf, nextEvent, readObject, sha256Of, stacks, uniquePrefix, type StorageKind } from '../support/browser-helpers.ts';

const MiB = 1024 * 1024;

/** The real XHR transport, noting which part numbers it was asked to send. */
function countingTransport(sent: number[]): PartTransport {
  const xhr = new XhrPartTransport();
  return {
    put(request, onProgress, signal) {
      sent.push(Number(new URL(request.url).searchParams.get('partNumber')));
      return xhr.put(request, onProgress, signal);
    },
  };
}

for (const storage of ['ceph', 's3rver'] as StorageKind[]) {
  describe(`resume on ${storage}`, () => {
    it('records each confirmed part and resumes in a new engine without sending stored parts again', async () => {
      const serverUrl = (await stacks())[storage].serverUrl;
      const store = new IdbResumeStore(`dropoff-test-${Math.random().toString(36).slice(2)}`);
      const api = new DropoffApi({ endpoint: serverUrl, token: ALICE.token });
      const prefix = uniquePrefix(ALICE.space, `resume-${storage}`);
      const file = fileOf('resumable ü.bin', 26 * MiB, 21);
      const options = { api, store, endpoint: serverUrl, partSize: 5 * MiB, partConcurrency: 1, progressIntervalMs: 0 };

      const firstSent: number[] = [];
      const first = new UploadEngine({ ...options, transport: countingTransport(firstSent) });
      first.add([file], { destination: prefix });
      await nextEvent<ProgressDetail>(first, 'progress', (p) => p.bytesDone >= 10 * MiB);
      first.pause();
      await first.whenIdle();

      const [record] = await store.list();
      expect(record, 'resume record').to.exist;
      expect(record!.key).to.equal(`${prefix}resumable ü.bin`);
      expect(record!.partSize).to.equal(5 * MiB);
      const recorded = Object.keys(record!.parts).map(Number).sort((a, b) => a - b);
      expect(recorded.length).to.be.within(2, 5);
      for (const n of recorded) expect(record!.parts[n]!.etag).to.match(/^"[0-9a-f]{32}"$/);

      const secondSent: number[] = [];
      const logs: string[] = [];
      const second = new UploadEngine({ ...options, transport: countingTransport(secondSent), log: (line) => logs.push(line) });
      const completed = nextEvent<CompleteDetail>(second, 'complete');
      second.add([file], { destination: prefix });
      const detail = await completed;

      expect(detail.uploadId).to.equal(record!.uploadId);
      expect([...secondSent].sort((a, b) => a - b)).to.deep.equal([1, 2, 3, 4, 5, 6].filter((n) => !recorded.includes(n)));
      expect(detail.sha256).to.equal(await sha256Of(file));
      const stored = await readObject(storage, detail.key, 5 * MiB);
      expect(stored.sha256).to.equal(detail.sha256);
      expect(stored.size).to.equal(file.size);
      if (storage === 'ceph') expect(stored.etag).to.equal(stored.multipartEtag);
      else expect(logs.join('\n')).to.contain('cannot list parts; trusting');
      expect(await store.list(), 'record removed once stored').to.deep.equal([]);
    });
  });
}

describe('resume when the storage forgot the upload', () => {
  it('starts over cleanly and says so', async () => {
    const serverUrl = (await stacks()).ceph.serverUrl;
    const store = new IdbResumeStore(`dropoff-test-${Math.random().toString(36).slice(2)}`);
    const api = new DropoffApi({ endpoint: serverUrl, token: ALICE.token });
    const prefix = uniquePrefix(ALICE.space, 'forgotten');
    const file = fileOf('forgotten.bin', 40 * MiB, 5);
    const options = { api, store, endpoint: serverUrl, partSize: 5 * MiB, partConcurrency: 1, progressIntervalMs: 0 };
    const first = new UploadEngine(options);
    first.add([file], { destination: prefix });
    await nextEvent<ProgressDetail>(first, 'progress', (p) => p.bytesDone >= 5 * MiB);
    first.pause();
    await first.whenIdle();
    const [record] = await store.list();
    await api.abortUpload(record!.uploadId, record!.key);

    const logs: string[] = [];
    const second = new UploadEngine({ ...options, log: (line) => logs.push(line) });
    const completed = nextEvent<CompleteDetail>(second, 'complete');
    second.add([file], { destination: prefix });
    const detail = await completed;
    expect(detail.uploadId).not.to.equal(record!.uploadId);
    expect(logs.join('\n')).to.contain('no longer knows upload');
    expect((await readObject('ceph', detail.key, 5 * MiB)).sha256).to.equal(await sha256Of(file));
  });
});
