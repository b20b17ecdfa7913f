/**
 * End to end: <dropoff-uploader> in Chromium uploads through the real reference server to real storage (Ceph RGW and
 * s3rver), and the stored bytes are read back and checked.
 */
import { expect, fixture, html } from '@open-wc/testing';
import '../../src/element/dropoff-uploader.ts';
import type { DropoffUploader } from '../../src/element/dropoff-uploader.ts';
import type { CompleteDetail, ErrorDetail, ProgressDetail } from '../../src/engine/upload-events.ts';
import { ALICE, BOB } from '../support/test-users.ts';
import { fileOf, nextEvent, openUploads, readObject, sha256Of, stacks, uniquePrefix, type StorageKind } from '../support/browser-helpers.ts';

const MiB = 1024 * 1024;
const PART = 5 * MiB;

async function uploader(serverUrl: string, destination: string, token: string = ALICE.token): Promise<DropoffUploader> {
  return fixture<DropoffUploader>(html`
    <dropoff-uploader endpoint=${serverUrl} token=${token} destination=${destination} category="miniseed" part-size="5MiB" multiple no-resume>
    </dropoff-uploader>`);
}

for (const storage of ['ceph', 's3rver'] as StorageKind[]) {
  describe(`upload to ${storage} through the reference server`, () => {
    let serverUrl: string;
    before(async () => {
      serverUrl = (await stacks())[storage].serverUrl;
    });

    it('stores files of 0 bytes, exactly one part, and several parts with a short last part, with a unicode name', async () => {
      const prefix = uniquePrefix(ALICE.space, `sizes-${storage}`);
      const el = await uploader(serverUrl, prefix);
      const files = [
        fileOf('empty.bin', 0, 1),
        fileOf('one part.bin', PART, 2),
        fileOf('several-parts.mseed', 2 * PART + 12345, 3),
        fileOf('données sismiques ü 2025 ☃.mseed', 300_001, 4),
      ];
      const completed = new Map<string, CompleteDetail>();
      const progress = new Map<string, ProgressDetail[]>();
      const errors: ErrorDetail[] = [];
      el.addEventListener('dropoff-complete', (e) => completed.set(e.detail.key, e.detail));
      el.addEventListener('dropoff-error', (e) => errors.push(e.detail));
      el.addEventListener('dropoff-progress', (e) => progress.set(e.detail.key, [...(progress.get(e.detail.key) ?? []), e.detail]));
      const done = nextEvent(el, 'dropoff-done');
      el.addFiles(files);
      await done;
      expect(errors).to.deep.equal([]);
      expect(completed.size).to.equal(files.length);

      for (const file of files) {
        const key = `${prefix}${file.name}`;
        const detail = completed.get(key);
        expect(detail, key).to.exist;
        const expectedSha = await sha256Of(file);
        expect(detail!.sha256).to.equal(expectedSha);
        expect(detail!.size).to.equal(file.size);
        expect(detail!.status).to.equal('VALIDATING');
        expect(detail!.category).to.equal('miniseed');

        const stored = await readObject(storage, key, PART);
        expect(stored.exists, `${key} stored`).to.equal(true);
        expect(stored.size).to.equal(file.size);
        expect(stored.sha256).to.equal(expectedSha);
        expect(stored.metadata['dropoff-user']).to.equal('alice');
        expect(detail!.etag).to.equal(stored.etag);
        if (file.size <= PART) {
          // Objects that fit in one part go by a single PUT: the ETag is the MD5 of the bytes.
          expect(stored.etag).to.equal(stored.singleEtag);
          expect(detail!.uploadId).to.equal('');
        } else if (storage === 'ceph') {
          // Ceph computes the real S3 multipart ETag: md5 of the parts' md5s, dash, part count.
          expect(stored.etag).to.equal(stored.multipartEtag);
          expect(stored.etag).to.match(/^"[0-9a-f]{32}-3"$/);
        }
        expect(stored.contentType).to.equal('application/octet-stream');
        expect(stored.metadata['dropoff-category']).to.equal('miniseed');

        const events = progress.get(key)!;
        const last = events.at(-1)!;
        expect(last).to.include({ complete: true, bytesDone: file.size, totalBytes: file.size });
        for (let i = 1; i < events.length; i++) expect(events[i]!.bytesDone).to.be.at.least(events[i - 1]!.bytesDone);
      }
      expect(el.items.map((i) => i.state)).to.deep.equal(['done', 'done', 'done', 'done']);
      const rows = el.shadowRoot!.querySelectorAll('li.done');
      expect(rows.length).to.equal(4);
      if (storage === 'ceph') expect(await openUploads(prefix)).to.deep.equal([]);
    });

    it('uploads a file dropped on the drop zone', async () => {
      const prefix = uniquePrefix(ALICE.space, `drop-${storage}`);
      const el = await uploader(serverUrl, prefix);
      const file = fileOf('dropped file.dat', 6 * MiB + 1, 7);
      const transfer = new DataTransfer();
      transfer.items.add(file);
      const completed = nextEvent<CompleteDetail>(el, 'dropoff-complete');
      const zone = el.shadowRoot!.querySelector('[part=dropzone]')!;
      zone.dispatchEvent(new DragEvent('dragover', { dataTransfer: transfer, bubbles: true, cancelable: true }));
      zone.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
      const detail = await completed;
      expect(detail.key).to.equal(`${prefix}dropped file.dat`);
      const stored = await readObject(storage, detail.key, PART);
      expect(stored.sha256).to.equal(await sha256Of(file));
    });

    it('reports a wrong token as an error that names it, and stores nothing', async () => {
      const prefix = uniquePrefix(ALICE.space, `token-${storage}`);
      const el = await uploader(serverUrl, prefix, 'not-a-valid-token');
      const failed = nextEvent<ErrorDetail>(el, 'dropoff-error');
      el.addFiles([fileOf('a.bin', 1000)]);
      const error = await failed;
      expect(error.code).to.equal('server');
      expect(error.message).to.contain('token');
      expect(error.retryable).to.equal(false);
      expect((await readObject(storage, `${prefix}a.bin`, PART)).exists).to.equal(false);
      expect(el.shadowRoot!.querySelector('li.failed [role=alert]')!.textContent).to.contain('token');
    });

    it("refuses a destination in another user's space", async () => {
      const el = await uploader(serverUrl, uniquePrefix(BOB.space, `theft-${storage}`));
      const failed = nextEvent<ErrorDetail>(el, 'dropoff-error');
      el.addFiles([fileOf('b.bin', 1000)]);
      const error = await failed;
      expect((error.error as { serverCode?: string }).serverCode).to.equal('forbidden_key');
      expect(error.message).to.contain('outside your space');
    });
  });
}
