/**
 * End to end on real storage: every confirmed part is recorded in IndexedDB as it finishes, and a new engine (as after
 * a reload) that is given the same file resumes from that record, sending only the parts not yet stored. In every
 * browser a fresh <dropoff-uploader> lists the unfinished upload and resumes it when the user picks the file again (the
 * one-click resume from a kept file handle is Chromium's: e2e-handles.chromium-only.test.ts).
 */
import { expect, fixture, html } from '@open-wc/testing';
import '../../src/element/dropoff-uploader.ts';
import type { DropoffUploader } from '../../src/element/dropoff-uploader.ts';
import { BrowserUploadEngine as UploadEngine } from '../../src/browser/browser-upload-engine.ts';
import { XhrPartTransport } from '../../src/browser/xhr-transport.ts';
import { userScope } from '../../src/store/user-scope.ts';
import type { PartTransport } from '../../src/engine/part-transport.ts';
import type { CompleteDetail, ProgressDetail, ResumableDetail } from '../../src/engine/upload-events.ts';
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

describe('resume by picking the file again, through <dropoff-uploader>', () => {
  it('lists the unfinished upload, asks for the file again, and goes on with the same multipart upload when it is picked', async () => {
    const serverUrl = (await stacks()).ceph.serverUrl;
    const prefix = uniquePrefix(ALICE.space, 'repick');
    const file = fileOf('picked again.bin', 30 * MiB, 31);
    const key = `${prefix}${file.name}`;
    const before = new UploadEngine({
      api: new DropoffApi({ endpoint: serverUrl, token: ALICE.token }), store: new IdbResumeStore(undefined, undefined, () => userScope(ALICE.token)), endpoint: serverUrl,
      partSize: 5 * MiB, partConcurrency: 1, progressIntervalMs: 0,
    });
    before.add([file], { destination: prefix });
    await nextEvent<ProgressDetail>(before, 'progress', (p) => p.bytesDone >= 10 * MiB);
    before.pause();
    await before.whenIdle();
    before.dispose();

    // As after a reload: a new element on the same endpoint, with the default resume store.
    const el = document.createElement('dropoff-uploader') as DropoffUploader;
    const found = nextEvent<ResumableDetail>(el, 'dropoff-resumable', (d) => d.uploads.some((u) => u.key === key));
    el.endpoint = serverUrl;
    el.token = ALICE.token;
    el.destination = prefix;
    el.partSize = '5MiB';
    (await fixture<HTMLDivElement>(html`<div></div>`)).append(el);
    const upload = (await found).uploads.find((u) => u.key === key)!;
    expect(upload.hasHandle, 'a File from a plain pick has no handle').to.equal(false);
    const recordedUploadId = (await new IdbResumeStore(undefined, undefined, () => userScope(ALICE.token)).get(upload.fingerprint))!.uploadId;
    await el.updateComplete;
    const row = el.shadowRoot!.querySelector<HTMLElement>(`[part=resumable] li[data-key="${CSS.escape(key)}"]`)!;
    expect(row.textContent).to.contain('Pick this file again to resume it.');
    expect(row.querySelector('button[aria-label^="Resume"]')).to.equal(null);

    // The user picks the same file in the element's file input.
    const completed = nextEvent<CompleteDetail>(el, 'dropoff-complete');
    const input = el.shadowRoot!.querySelector<HTMLInputElement>('input[type=file]')!;
    const picked = new DataTransfer();
    picked.items.add(file);
    input.files = picked.files;
    input.dispatchEvent(new Event('change', { bubbles: true }));
    const detail = await completed;
    expect(detail.key).to.equal(key);
    expect(detail.uploadId, 'the same multipart upload went on').to.equal(recordedUploadId);
    expect(detail.sha256).to.equal(await sha256Of(file));
    expect((await readObject('ceph', key, 5 * MiB)).sha256).to.equal(detail.sha256);
    expect(await new IdbResumeStore().get(upload.fingerprint), 'record removed once stored').to.equal(undefined);
  });
});
