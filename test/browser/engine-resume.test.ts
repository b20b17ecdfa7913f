/**
 * What survives a reload on the engine's side (scripted network, real IndexedDB): the list of resumable uploads,
 * discarding one, expiry of stale records with their server-side uploads aborted, and one upload per file across tabs
 * (Web Locks).
 */
import { expect, fixture, html } from '@open-wc/testing';
import '../../src/element/dropoff-uploader.ts';
import type { DropoffUploader } from '../../src/element/dropoff-uploader.ts';
import { BrowserUploadEngine as UploadEngine } from '../../src/browser/browser-upload-engine.ts';
import { UploadError } from '../../src/engine/upload-error.ts';
import type { ResumableDetail } from '../../src/engine/upload-events.ts';
import { IdbResumeStore } from '../../src/browser/idb-resume-store.ts';
import { userScope } from '../../src/store/user-scope.ts';
import { RESUME_RECORD_VERSION, fingerprintOf } from '../../src/store/resume-record.ts';
import { ALICE } from '../support/test-users.ts';
import { fileOf, nextEvent, sha256Of, stacks } from '../support/browser-helpers.ts';
import { ScriptedNetwork } from '../support/scripted-network.ts';

const MiB = 1024 * 1024;
const DAY = 24 * 3600 * 1000;

function freshStore(): IdbResumeStore {
  return new IdbResumeStore(`dropoff-test-${Math.random().toString(36).slice(2)}`);
}

describe('resumable uploads', () => {
  it('lists an unfinished upload with its progress, and resumes it when the same file is added again', async () => {
    const network = new ScriptedNetwork();
    network.putDelayMs = 30;
    const store = freshStore();
    const options = { api: network.api, transport: network.transport, store, partSize: 5 * MiB, partConcurrency: 1, progressIntervalMs: 0 };
    const file = fileOf('long.bin', 30 * MiB, 3);
    const first = new UploadEngine(options);
    first.add([file], { destination: 'u/' });
    await nextEvent(first, 'progress', (p: { bytesDone: number }) => p.bytesDone >= 10 * MiB);
    first.pause();
    await first.whenIdle();

    const second = new UploadEngine(options);
    const [listed] = await second.listResumable();
    expect(listed).to.include({ key: 'u/long.bin', name: 'long.bin', size: 30 * MiB });
    expect(listed!.bytesDone).to.be.at.least(10 * MiB);
    second.add([file], { destination: 'u/' });
    expect(await second.listResumable()).to.deep.equal([]);
    await nextEvent(second, 'complete');
    expect(await second.listResumable()).to.deep.equal([]);
    expect(network.calls.filter((c) => c === 'create')).to.have.length(1);
    first.dispose();
    second.dispose();
  });

  it('never resumes a different file that has the same name, size and date (its first part differs)', async () => {
    const network = new ScriptedNetwork();
    network.putDelayMs = 30;
    const store = freshStore();
    const logs: string[] = [];
    const options = { api: network.api, transport: network.transport, store, partSize: 5 * MiB, partConcurrency: 1, progressIntervalMs: 0, log: (l: string) => logs.push(l) };
    const original = fileOf('twin.bin', 20 * MiB, 1);
    const impostor = new File([await fileOf('twin.bin', 20 * MiB, 2).arrayBuffer()], 'twin.bin', { lastModified: original.lastModified, type: original.type });
    const first = new UploadEngine(options);
    first.add([original], { destination: 'u/' });
    await nextEvent(first, 'progress', (p: { bytesDone: number }) => p.bytesDone >= 5 * MiB);
    first.pause();
    await first.whenIdle();
    const second = new UploadEngine(options);
    second.add([impostor], { destination: 'u/' });
    const detail = await nextEvent<{ uploadId: string; sha256: string }>(second, 'complete');
    expect(detail.uploadId).to.equal('up-2');
    expect(network.uploads.get('up-1')!.aborted).to.equal(true);
    expect(logs.join('\n')).to.contain('a different file with the same name, size and date');
    expect(await sha256Of(new Blob([await network.assembled('up-2')]))).to.equal(await sha256Of(impostor));
    first.dispose();
    second.dispose();
  });

  it('drops records older than resumeMaxAgeDays and aborts their uploads on the server', async () => {
    const network = new ScriptedNetwork();
    const store = freshStore();
    const { uploadId } = await network.api.createUpload({ key: 'u/old', category: '', size: 10 * MiB, contentType: '', partSize: 5 * MiB });
    const now = Date.now();
    const record = (fingerprint: string, updatedAt: number, id: string) => ({
      version: RESUME_RECORD_VERSION, fingerprint, endpoint: '', key: 'u/old', uploadId: id, name: 'old', size: 10 * MiB,
      partSize: 5 * MiB, parts: {}, createdAt: updatedAt, updatedAt,
    });
    await store.put(record('stale', now - 8 * DAY, uploadId));
    await store.put(record('recent', now - 2 * DAY, 'up-recent'));
    const engine = new UploadEngine({ api: network.api, transport: network.transport, store, resumeMaxAgeDays: 7 });
    expect(await engine.expireStale(now)).to.equal(1);
    expect(network.uploads.get(uploadId)!.aborted).to.equal(true);
    expect((await store.list()).map((r) => r.fingerprint)).to.deep.equal(['recent']);
    engine.dispose();
  });

  it('refuses to upload the same file to the same key from a second tab while the first is at it', async () => {
    const network = new ScriptedNetwork();
    network.putDelayMs = 100;
    const store = freshStore();
    const options = { api: network.api, transport: network.transport, store, partSize: 5 * MiB, partConcurrency: 1 };
    const file = fileOf('shared.bin', 20 * MiB, 5);
    const tabA = new UploadEngine(options);
    const tabB = new UploadEngine(options);
    const a = tabA.putObject(file, 'u/shared.bin', { name: 'shared.bin' });
    await nextEvent(tabA, 'state', (s: { state: string }) => s.state === 'uploading');
    const error = await tabB.putObject(file, 'u/shared.bin', { name: 'shared.bin' }).catch((e: UploadError) => e);
    expect((error as UploadError).code).to.equal('in_use');
    expect((error as UploadError).message).to.contain('another tab');
    await a;
    tabA.dispose();
    tabB.dispose();
  });
});

describe('<dropoff-uploader> after a reload', () => {
  it('lists unfinished uploads of its endpoint, fires dropoff-resumable, and discards one on request', async () => {
    const serverUrl = (await stacks()).ceph.serverUrl;
    // The element shows the records of its user only (the token's scope): this one is Alice's.
    const store = new IdbResumeStore(undefined, undefined, () => userScope(ALICE.token));
    const file = fileOf('left-behind.bin', 12 * MiB, 9);
    const key = `${ALICE.space}left/${file.name}`;
    const fingerprint = fingerprintOf({ name: file.name, size: file.size, type: file.type, lastModified: file.lastModified }, key, serverUrl);
    const now = Date.now();
    await store.put({
      version: RESUME_RECORD_VERSION, fingerprint, endpoint: serverUrl, key, uploadId: 'not-on-the-server', name: file.name,
      size: file.size, partSize: 5 * MiB, parts: { 1: { etag: '"x"', size: 5 * MiB } }, createdAt: now - 3600_000, updatedAt: now - 600_000,
    });
    const el = document.createElement('dropoff-uploader') as DropoffUploader;
    const found = nextEvent<ResumableDetail>(el, 'dropoff-resumable');
    el.endpoint = serverUrl;
    el.token = ALICE.token;
    await fixture(html`<div></div>`).then((host) => host.append(el));
    const { uploads } = await found;
    expect(uploads.map((u) => [u.key, u.bytesDone])).to.deep.equal([[key, 5 * MiB]]);
    await el.updateComplete;
    const row = el.shadowRoot!.querySelector('[part=resumable] li')!;
    expect(row.textContent).to.contain('left-behind.bin');
    expect(row.textContent).to.contain('41% of 12.0 MiB');
    expect(row.textContent).to.contain(new Intl.RelativeTimeFormat('en', { numeric: 'auto' }).format(-10, 'minute'));
    // The record kept no file handle (as everywhere but Chromium): no one-click Resume, but a plain word that only
    // picking the file again resumes it.
    expect(row.querySelector('button[aria-label^="Resume"]'), 'no Resume button without a handle').to.equal(null);
    expect(row.textContent).to.contain('Pick this file again to resume it.');
    expect(el.shadowRoot!.querySelector('#resumable-title')!.textContent).to.contain('pick or drop the same file again');
    await expect(el).to.be.accessible();
    (row.querySelector('button') as HTMLButtonElement).click();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await store.get(fingerprint)).to.equal(undefined);
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('[part=resumable]')).to.equal(null);
  });
});
