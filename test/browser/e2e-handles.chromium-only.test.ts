/**
 * Resume without a new pick, end to end on Ceph RGW: a file handle (here from the origin private file system, the same
 * FileSystemFileHandle type Chromium's picker and drag and drop give) is kept in the resume record, and after the
 * upload is interrupted a "Resume" click on a fresh <dropoff-uploader> finishes it from the handle. Chromium only:
 * Firefox and WebKit give no File System Access handles; there the resume is by picking the file again
 * (e2e-resume.test.ts).
 */
import { expect, fixture, html } from '@open-wc/testing';
import '../../src/element/dropoff-uploader.ts';
import type { DropoffUploader } from '../../src/element/dropoff-uploader.ts';
import type { ResumableFileHandle } from '../../src/engine/file-handles.ts';
import { BrowserUploadEngine as UploadEngine } from '../../src/browser/browser-upload-engine.ts';
import type { CompleteDetail, ResumableDetail } from '../../src/engine/upload-events.ts';
import { DropoffApi } from '../../src/protocol/dropoff-api.ts';
import { IdbResumeStore } from '../../src/browser/idb-resume-store.ts';
import { userScope } from '../../src/store/user-scope.ts';
import { ALICE } from '../support/test-users.ts';
import { bytesOf, nextEvent, readObject, sha256Of, stacks, uniquePrefix } from '../support/browser-helpers.ts';

const MiB = 1024 * 1024;

async function fileInPrivateStorage(name: string, size: number): Promise<ResumableFileHandle> {
  const root = await navigator.storage.getDirectory();
  const handle = await root.getFileHandle(name, { create: true });
  const writable = await handle.createWritable();
  await writable.write(bytesOf(size, 77));
  await writable.close();
  return handle as unknown as ResumableFileHandle;
}

describe('resume from a kept file handle (Chromium only: File System Access handles)', () => {
  it('keeps the handle in the resume record and resumes with one click after the upload was interrupted', async () => {
    const serverUrl = (await stacks()).ceph.serverUrl;
    const handle = await fileInPrivateStorage(`handle-${Date.now()}.bin`, 30 * MiB);
    const file = await handle.getFile();
    const destination = uniquePrefix(ALICE.space, 'handle');

    const before = new UploadEngine({
      api: new DropoffApi({ endpoint: serverUrl, token: ALICE.token }), store: new IdbResumeStore(undefined, undefined, () => userScope(ALICE.token)), endpoint: serverUrl,
      partSize: 5 * MiB, partConcurrency: 1, progressIntervalMs: 0,
    });
    before.add([{ file, name: file.name, lastModified: file.lastModified, handle }], { destination });
    await nextEvent(before, 'progress', (p: { bytesDone: number }) => p.bytesDone >= 10 * MiB);
    before.pause();
    await before.whenIdle();
    before.dispose();

    const el = document.createElement('dropoff-uploader') as DropoffUploader;
    const found = nextEvent<ResumableDetail>(el, 'dropoff-resumable', (d) => d.uploads.some((u) => u.key === `${destination}${file.name}`));
    el.endpoint = serverUrl;
    el.token = ALICE.token;
    (await fixture<HTMLDivElement>(html`<div></div>`)).append(el);
    const upload = (await found).uploads.find((u) => u.key === `${destination}${file.name}`)!;
    expect(upload.hasHandle).to.equal(true);
    expect(upload.bytesDone).to.be.at.least(10 * MiB);
    const recordedUploadId = (await new IdbResumeStore(undefined, undefined, () => userScope(ALICE.token)).get(upload.fingerprint))!.uploadId;
    await el.updateComplete;
    const row = el.shadowRoot!.querySelector<HTMLElement>(`[part=resumable] li[data-key="${CSS.escape(upload.key)}"]`)!;
    expect(row.textContent, 'a one-click resume needs no new pick').not.to.contain('Pick this file again');
    const completed = nextEvent<CompleteDetail>(el, 'dropoff-complete');
    const resume = el.shadowRoot!.querySelector<HTMLButtonElement>(`[part=resumable] li[data-key="${CSS.escape(upload.key)}"] button[aria-label^="Resume"]`)!;
    resume.click();
    const detail = await completed;
    expect(detail.uploadId, 'the same multipart upload went on').to.equal(recordedUploadId);
    expect(detail.sha256).to.equal(await sha256Of(file));
    expect((await readObject('ceph', detail.key, 5 * MiB)).sha256).to.equal(detail.sha256);
    expect(el.items[0]!.bytesDone).to.equal(file.size);
  });
});
