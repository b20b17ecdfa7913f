/**
 * <dropoff-uploader protocol="stac"> in the browser: a file to an asset of the reference server's STAC API on Ceph RGW
 * (the Bearer token as the element's `token`), in parts, the whole file hashed before the first part is confirmed,
 * and the asset carrying the file's checksum and size afterwards. The retry table and the rest are covered in Node
 * (test/server/stac-client-upload.test.ts); this is the element's path through them.
 */
import { expect, fixture, html } from '@open-wc/testing';
import '../../src/element/dropoff-uploader.ts';
import type { DropoffUploader } from '../../src/element/dropoff-uploader.ts';
import type { CompleteDetail, ErrorDetail, ProgressDetail } from '../../src/engine/upload-events.ts';
import { ALICE } from '../support/test-users.ts';
import { fileOf, nextEvent, sha256Of, stacks } from '../support/browser-helpers.ts';

const MiB = 1024 * 1024;

/** PUTs a STAC document as Alice (Bearer). */
async function put(base: string, path: string, body: unknown): Promise<void> {
  const response = await fetch(`${base}${path}`, { method: 'PUT', headers: { authorization: `Bearer ${ALICE.token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect(response.status, `${path}: ${await response.clone().text()}`).to.equal(201);
}

describe('<dropoff-uploader protocol="stac">', () => {
  it('uploads a file in parts to a STAC asset, hashing it whole first, and the asset gets its file:checksum', async () => {
    const base = `${(await stacks()).ceph.serverUrl}/stac/v1`;
    const id = `${Date.now()}-${Math.floor(Math.random() * 1e6)}`;
    const collection = `ch.test.element-${id}`;
    await put(base, `/collections/${collection}`, { id: collection, description: 'Element test', license: 'proprietary' });
    await put(base, `/collections/${collection}/items/item-1`, { id: 'item-1', geometry: { type: 'Point', coordinates: [7.44, 46.95] }, properties: { datetime: '2026-11-30T08:00:00Z' } });
    await put(base, `/collections/${collection}/items/item-1/assets/scene.bin`, { id: 'scene.bin', type: 'application/octet-stream' });
    const assetPath = `collections/${collection}/items/item-1/assets/scene.bin`;
    const el = await fixture<DropoffUploader>(html`
      <dropoff-uploader protocol="stac" endpoint=${base} token=${ALICE.token} destination=${assetPath} part-size="5MiB" no-resume></dropoff-uploader>`);
    const file = fileOf('scene.bin', 2 * 5 * MiB + 4321, 11);
    const progress: ProgressDetail[] = [];
    const errors: ErrorDetail[] = [];
    el.addEventListener('dropoff-progress', (e) => progress.push(e.detail));
    el.addEventListener('dropoff-error', (e) => errors.push(e.detail));
    const completed = nextEvent<CompleteDetail>(el, 'dropoff-complete');
    el.addFiles([file]);
    const detail = await completed;
    expect(errors).to.deep.equal([]);
    const sha256 = await sha256Of(file);
    expect(detail.key).to.equal(assetPath);
    expect(detail.sha256).to.equal(sha256);
    expect(detail.size).to.equal(file.size);
    expect(detail.status).to.equal('ACCEPTED');
    // The whole file is read and hashed before any part is confirmed: whenever bytesDone moved, bytesBuffered was whole.
    expect(progress.some((p) => p.bytesDone > 0)).to.equal(true);
    expect(progress.filter((p) => p.bytesDone > 0 && !p.complete).every((p) => p.bytesBuffered === file.size)).to.equal(true);
    const asset = await (await fetch(`${base}/${assetPath}`, { headers: { authorization: `Bearer ${ALICE.token}` } })).json() as Record<string, unknown>;
    expect(asset['file:checksum']).to.equal(`1220${sha256}`);
    expect(asset['file:size']).to.equal(file.size);
    expect(el.shadowRoot!.querySelector('[part~="sha256"]')?.textContent).to.contain(sha256);
  });
});
