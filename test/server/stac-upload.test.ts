/**
 * The STAC asset upload routes on the real reference server in front of Ceph RGW, driven as the geoadmin docs'
 * Python example drives them: create with md5_parts and file:checksum, PUT each part to its URL with Content-MD5,
 * complete with the ETags. One part, many parts, an empty file, the one-in-progress rule, bad completes, abort,
 * the storage's MD5 check, the validation job's SHA-256 check, and collection assets.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startLocalStack, type LocalStack } from '../../scripts/stack/local-stack.ts';
import { hashPassword } from '../../server/stac/password-hash.ts';
import { parseBasicUsers } from '../../server/stac/stac-config.ts';
import { openUploads, readStoredObject } from '../support/stored-object.ts';
import { ALICE, TEST_TOKENS } from '../support/test-users.ts';
import { base64Md5, md5Parts, partOf, sha256Multihash, stac, type Credentials } from '../support/stac-client.ts';

const MiB = 1024 * 1024;
const ALICE_BASIC = { user: 'alice', password: 'alice correct horse battery' };
const alice: Credentials = ALICE_BASIC;
let stack: LocalStack;
let base: string;
let counter = 0;

before(async () => {
  stack = await startLocalStack({
    storage: 'ceph', tokens: TEST_TOKENS,
    stac: { basicUsers: parseBasicUsers(`alice:${await hashPassword(ALICE_BASIC.password)}`) },
  });
  base = `${stack.serverUrl}/stac/v1`;
});

after(async () => {
  await stack?.stop();
});

/** A fresh collection, item and asset of Alice's; returns the asset's path as the Python example names it. */
async function freshAsset(type = 'application/octet-stream'): Promise<{ collection: string; item: string; asset: string; assetPath: string }> {
  const n = counter++;
  const collection = `ch.test.upload-${Date.now()}-${n}`;
  const item = `item-${n}`;
  const asset = `asset-${n}.bin`;
  const created = await stac(base, 'PUT', `/collections/${collection}`, alice, { id: collection, description: 'Upload tests', license: 'proprietary' });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const madeItem = await stac(base, 'PUT', `/collections/${collection}/items/${item}`, alice, {
    id: item, geometry: { type: 'Point', coordinates: [7.44, 46.95] }, properties: { datetime: '2026-11-30T08:00:00Z', title: 'A test item' },
  });
  assert.equal(madeItem.status, 201, JSON.stringify(madeItem.body));
  const madeAsset = await stac(base, 'PUT', `/collections/${collection}/items/${item}/assets/${asset}`, alice, { id: asset, type, title: 'Test data' });
  assert.equal(madeAsset.status, 201, JSON.stringify(madeAsset.body));
  return { collection, item, asset, assetPath: `/collections/${collection}/items/${item}/assets/${asset}` };
}

/** The Python example's three steps for `data` in `count` parts of `partSize` (one part: the whole file). */
async function upload(assetPath: string, data: Uint8Array, count = 1, partSize = data.length, credentials: Credentials = alice) {
  const created = await stac(base, 'POST', `${assetPath}/uploads`, credentials, {
    number_parts: count, md5_parts: md5Parts(data, partSize, count), 'file:checksum': sha256Multihash(data),
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const parts = [];
  for (let i = 0; i < count; i++) {
    const bytes = partOf(data, partSize, count, i);
    const put = await fetch(created.body.urls[i].url, { method: 'PUT', body: Buffer.from(bytes), headers: { 'Content-MD5': base64Md5(bytes) } });
    assert.equal(put.status, 200, await put.text());
    parts.push({ etag: put.headers.get('etag')!, part_number: i + 1 });
  }
  const completed = await stac(base, 'POST', `${assetPath}/uploads/${created.body.upload_id}/complete`, credentials, { parts });
  return { created, parts, completed };
}

function bytes(size: number, seed = 1): Uint8Array {
  return new Uint8Array(size).map((_, i) => (i * 31 + seed) & 0xff);
}

describe('the upload as the seed example drives it', () => {
  it('uploads one part: 201 with urls, PUT with Content-MD5, complete sets file:checksum and file:size', async () => {
    const { assetPath, collection, item, asset } = await freshAsset('image/tiff; application=geotiff');
    const data = bytes(1024);
    const { created, completed } = await upload(assetPath, data);
    assert.deepEqual(Object.keys(created.body), ['upload_id', 'status', 'created', 'number_parts', 'md5_parts', 'urls', 'update_interval', 'content_encoding', 'file:checksum']);
    assert.equal(created.body.status, 'in-progress');
    assert.deepEqual(created.body.md5_parts, [{ part_number: 1, md5: base64Md5(data) }]);
    assert.deepEqual(Object.keys(created.body.urls[0]), ['url', 'part', 'expires']);
    assert.ok(new Date(created.body.urls[0].expires).getTime() > Date.now());
    assert.match(created.headers.get('location') ?? '', new RegExp(`${assetPath}/uploads/`));
    assert.equal(completed.status, 200, JSON.stringify(completed.body));
    assert.deepEqual(Object.keys(completed.body), ['upload_id', 'status', 'created', 'completed', 'number_parts', 'update_interval', 'content_encoding', 'file:checksum']);
    assert.equal(completed.body.status, 'completed');
    assert.ok(new Date(completed.body.completed) > new Date(completed.body.created));
    const stored = await readStoredObject(stack.s3, `${ALICE.space}stac/${collection}/${item}/${asset}`, 5 * MiB);
    assert.equal(stored.sha256, sha256Multihash(data).slice(4));
    assert.equal(stored.contentType, 'image/tiff; application=geotiff');
    const got = await stac(base, 'GET', assetPath, alice);
    assert.equal(got.body['file:checksum'], sha256Multihash(data));
    assert.equal(got.body['file:size'], 1024);
    assert.equal(got.body.href, `s3://${stack.s3.bucket}/${ALICE.space}stac/${collection}/${item}/${asset}`);
    await stack.server.validator.idle();
    const validated = await stac(base, 'GET', assetPath, alice);
    assert.equal(validated.body['dropoff:validation'], 'ACCEPTED');
    const itemDoc = await stac(base, 'GET', `/collections/${collection}/items/${item}`, alice);
    assert.equal(itemDoc.body.assets[asset]['file:size'], 1024);
    assert.ok(itemDoc.body.stac_extensions.includes('https://stac-extensions.github.io/file/v2.1.0/schema.json'));
  });

  it('uploads three parts (5 MiB, 5 MiB, the rest) and lists them before completing', async () => {
    const { assetPath } = await freshAsset();
    const data = bytes(10 * MiB + 12_345, 7);
    const count = 3;
    const created = await stac(base, 'POST', `${assetPath}/uploads`, alice, { number_parts: count, md5_parts: md5Parts(data, 5 * MiB, count), 'file:checksum': sha256Multihash(data) });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const uploadPath = `${assetPath}/uploads/${created.body.upload_id}`;
    assert.deepEqual((await stac(base, 'GET', `${uploadPath}/parts`, alice)).body, { parts: [], links: [] });
    const parts = [];
    for (let i = 0; i < count; i++) {
      const part = partOf(data, 5 * MiB, count, i);
      const put = await fetch(created.body.urls[i].url, { method: 'PUT', body: Buffer.from(part), headers: { 'Content-MD5': base64Md5(part) } });
      assert.equal(put.status, 200);
      parts.push({ etag: put.headers.get('etag')!, part_number: i + 1 });
    }
    const listed = await stac(base, 'GET', `${uploadPath}/parts`, alice);
    assert.deepEqual(listed.body.parts.map((p: { part_number: number; size: number }) => [p.part_number, p.size]), [[1, 5 * MiB], [2, 5 * MiB], [3, 12_345]]);
    for (const p of listed.body.parts) assert.deepEqual(Object.keys(p), ['etag', 'part_number', 'modified', 'size']);
    const page = await stac(base, 'GET', `${uploadPath}/parts?limit=2`, alice);
    assert.equal(page.body.parts.length, 2);
    assert.equal(page.body.links[0].rel, 'next');
    const done = await stac(base, 'POST', `${uploadPath}/complete`, alice, { parts });
    assert.equal(done.status, 200, JSON.stringify(done.body));
    assert.equal((await stac(base, 'GET', assetPath, alice)).body['file:size'], data.length);
  });

  it('uploads a 0-byte file in one part', async () => {
    const { assetPath } = await freshAsset();
    const { completed } = await upload(assetPath, new Uint8Array(0));
    assert.equal(completed.status, 200, JSON.stringify(completed.body));
    const got = await stac(base, 'GET', assetPath, alice);
    assert.equal(got.body['file:size'], 0);
    assert.equal(got.body['file:checksum'], '1220e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('uploads a collection asset the same way', async () => {
    const { collection } = await freshAsset();
    const assetPath = `/collections/${collection}/assets/legend.png`;
    assert.equal((await stac(base, 'PUT', assetPath, alice, { id: 'legend.png', type: 'image/png', roles: ['legend'] })).status, 201);
    const data = bytes(333);
    const { completed } = await upload(assetPath, data);
    assert.equal(completed.status, 200, JSON.stringify(completed.body));
    const got = await stac(base, 'GET', `/collections/${collection}`, alice);
    assert.equal(got.body.assets['legend.png']['file:checksum'], sha256Multihash(data));
    const stored = await readStoredObject(stack.s3, `${ALICE.space}stac/${collection}/legend.png`, 5 * MiB);
    assert.equal(stored.size, 333);
  });
});

describe('the one-in-progress rule', () => {
  it('answers a second create with 409 "Upload already in progress" and the upload_id, and keeps one storage upload', async () => {
    const { assetPath, collection, item, asset } = await freshAsset();
    const data = bytes(100);
    const body = { number_parts: 1, md5_parts: md5Parts(data, 100, 1), 'file:checksum': sha256Multihash(data) };
    const first = await stac(base, 'POST', `${assetPath}/uploads`, alice, body);
    assert.equal(first.status, 201);
    const second = await stac(base, 'POST', `${assetPath}/uploads`, alice, body);
    assert.equal(second.status, 409);
    assert.deepEqual(second.body, { code: 409, description: 'Upload already in progress', upload_id: first.body.upload_id });
    assert.deepEqual(await openUploads(stack.s3, `${ALICE.space}stac/${collection}/${item}/${asset}`), [first.body.upload_id]);
    const inProgress = await stac(base, 'GET', `${assetPath}/uploads?status=in-progress`, alice);
    assert.deepEqual(inProgress.body.uploads.map((u: { upload_id: string }) => u.upload_id), [first.body.upload_id]);
    assert.equal(inProgress.body.uploads[0].urls.length, 1, 'an upload in progress still offers its URLs (resume)');
  });

  it('lets only one of five racing creates through', async () => {
    const { assetPath, collection, item, asset } = await freshAsset();
    const data = bytes(10);
    const body = { number_parts: 1, md5_parts: md5Parts(data, 10, 1), 'file:checksum': sha256Multihash(data) };
    const answers = await Promise.all(Array.from({ length: 5 }, () => stac(base, 'POST', `${assetPath}/uploads`, alice, body)));
    const created = answers.filter((a) => a.status === 201);
    assert.equal(created.length, 1, answers.map((a) => a.status).join(','));
    for (const a of answers.filter((x) => x.status !== 201)) {
      assert.equal(a.status, 409);
      assert.equal(a.body.description, 'Upload already in progress');
      assert.equal(a.body.upload_id, created[0]!.body.upload_id);
    }
    assert.deepEqual(await openUploads(stack.s3, `${ALICE.space}stac/${collection}/${item}/${asset}`), [created[0]!.body.upload_id]);
  });

  it('aborts: 200 aborted, the storage drops the upload, complete then answers 409 "No upload in progress", and a new create works', async () => {
    const { assetPath, collection, item, asset } = await freshAsset();
    const data = bytes(64);
    const created = await stac(base, 'POST', `${assetPath}/uploads`, alice, { number_parts: 1, md5_parts: md5Parts(data, 64, 1), 'file:checksum': sha256Multihash(data) });
    const put = await fetch(created.body.urls[0].url, { method: 'PUT', body: Buffer.from(data), headers: { 'Content-MD5': base64Md5(data) } });
    const uploadPath = `${assetPath}/uploads/${created.body.upload_id}`;
    const aborted = await stac(base, 'POST', `${uploadPath}/abort`, alice);
    assert.equal(aborted.status, 200, JSON.stringify(aborted.body));
    assert.deepEqual(Object.keys(aborted.body), ['upload_id', 'status', 'created', 'aborted', 'number_parts', 'update_interval', 'content_encoding', 'file:checksum']);
    assert.equal(aborted.body.status, 'aborted');
    assert.deepEqual(await openUploads(stack.s3, `${ALICE.space}stac/${collection}/${item}/${asset}`), []);
    const late = await stac(base, 'POST', `${uploadPath}/complete`, alice, { parts: [{ etag: put.headers.get('etag'), part_number: 1 }] });
    assert.deepEqual([late.status, late.body], [409, { code: 409, description: 'No upload in progress' }]);
    assert.equal((await stac(base, 'POST', `${uploadPath}/abort`, alice)).status, 409);
    assert.equal((await stac(base, 'GET', uploadPath, alice)).body.status, 'aborted');
    const { completed } = await upload(assetPath, data);
    assert.equal(completed.status, 200);
    const all = await stac(base, 'GET', `${assetPath}/uploads`, alice);
    assert.deepEqual(all.body.uploads.map((u: { status: string }) => u.status), ['aborted', 'completed']);
    assert.deepEqual((await stac(base, 'GET', `${assetPath}/uploads?status=aborted`, alice)).body.uploads.map((u: { upload_id: string }) => u.upload_id), [created.body.upload_id]);
    const firstPage = await stac(base, 'GET', `${assetPath}/uploads?limit=1`, alice);
    assert.deepEqual(firstPage.body.uploads.map((u: { status: string }) => u.status), ['aborted']);
    const next = new URL(firstPage.body.links.find((l: { rel: string }) => l.rel === 'next').href);
    assert.doesNotMatch(next.searchParams.get('cursor')!, /^\d+$/, 'the cursor is sealed, not a row number');
    const secondPage = await stac(base, 'GET', `${next.pathname.slice('/stac/v1'.length)}${next.search}`, alice);
    assert.deepEqual(secondPage.body.uploads.map((u: { status: string }) => u.status), ['completed']);
    assert.deepEqual(secondPage.body.links, []);
    const forged = await stac(base, 'GET', `${assetPath}/uploads?limit=1&cursor=1`, alice);
    assert.equal(forged.status, 400);
    assert.match(forged.body.description, /cursor/);
    const again = await stac(base, 'POST', `${assetPath}/uploads/${completed.body.upload_id}/complete`, alice, { parts: [{ etag: 'x', part_number: 1 }] });
    assert.deepEqual([again.status, again.body], [409, { code: 409, description: 'No upload in progress' }]);
  });
});

describe('bad completes and bad parts', () => {
  it('answers 400 "Too few parts" and "Too many parts", and the upload stays usable', async () => {
    const { assetPath } = await freshAsset();
    const data = bytes(10 * MiB, 3);
    const created = await stac(base, 'POST', `${assetPath}/uploads`, alice, { number_parts: 2, md5_parts: md5Parts(data, 5 * MiB, 2), 'file:checksum': sha256Multihash(data) });
    const parts = [];
    for (let i = 0; i < 2; i++) {
      const part = partOf(data, 5 * MiB, 2, i);
      const put = await fetch(created.body.urls[i].url, { method: 'PUT', body: Buffer.from(part), headers: { 'Content-MD5': base64Md5(part) } });
      parts.push({ etag: put.headers.get('etag')!, part_number: i + 1 });
    }
    const path = `${assetPath}/uploads/${created.body.upload_id}/complete`;
    assert.deepEqual((await stac(base, 'POST', path, alice, { parts: parts.slice(0, 1) })).body, { code: 400, description: { parts: ['Too few parts'] } });
    assert.deepEqual((await stac(base, 'POST', path, alice, { parts: [...parts, { etag: 'dummy', number_part: 3 }] })).body, { code: 400, description: { parts: ['Too many parts'] } });
    assert.deepEqual((await stac(base, 'POST', path, alice, {})).body, { code: 400, description: { parts: ['Missing required field'] } });
    assert.deepEqual((await stac(base, 'POST', path, alice, { parts: [] })).body, { code: 400, description: { parts: ['This list may not be empty.'] } });
    const wrongEtag = await stac(base, 'POST', path, alice, { parts: [parts[0], { etag: '"0123456789abcdef0123456789abcdef"', part_number: 2 }] });
    assert.equal(wrongEtag.status, 400);
    assert.ok(Array.isArray(wrongEtag.body.description), JSON.stringify(wrongEtag.body));
    assert.match(wrongEtag.body.description[0], /InvalidPart/);
    const done = await stac(base, 'POST', path, alice, { parts });
    assert.equal(done.status, 200, JSON.stringify(done.body));
  });

  it('has the storage refuse a part whose bytes do not match the MD5 given at create (and one sent without Content-MD5)', async () => {
    const { assetPath } = await freshAsset();
    const data = bytes(500);
    const created = await stac(base, 'POST', `${assetPath}/uploads`, alice, { number_parts: 1, md5_parts: md5Parts(data, 500, 1), 'file:checksum': sha256Multihash(data) });
    const url = created.body.urls[0].url;
    const corrupted = bytes(500, 9);
    const wrong = await fetch(url, { method: 'PUT', body: Buffer.from(corrupted), headers: { 'Content-MD5': base64Md5(data) } });
    assert.equal(wrong.status, 400);
    assert.match(await wrong.text(), /BadDigest/);
    const otherMd5 = await fetch(url, { method: 'PUT', body: Buffer.from(corrupted), headers: { 'Content-MD5': base64Md5(corrupted) } });
    assert.equal(otherMd5.status, 403, 'the MD5 is signed into the URL');
    const noMd5 = await fetch(url, { method: 'PUT', body: Buffer.from(data) });
    assert.equal(noMd5.status, 403);
    const listed = await stac(base, 'GET', `${assetPath}/uploads/${created.body.upload_id}/parts`, alice);
    assert.deepEqual(listed.body.parts, []);
  });

  it('has the validation job catch a file whose SHA-256 is not the declared file:checksum', async () => {
    const { assetPath } = await freshAsset();
    const data = bytes(2048);
    const created = await stac(base, 'POST', `${assetPath}/uploads`, alice, { number_parts: 1, md5_parts: md5Parts(data, 2048, 1), 'file:checksum': sha256Multihash(bytes(2048, 2)) });
    const put = await fetch(created.body.urls[0].url, { method: 'PUT', body: Buffer.from(data), headers: { 'Content-MD5': base64Md5(data) } });
    const done = await stac(base, 'POST', `${assetPath}/uploads/${created.body.upload_id}/complete`, alice, { parts: [{ etag: put.headers.get('etag'), part_number: 1 }] });
    assert.equal(done.status, 200);
    await stack.server.validator.idle();
    const got = await stac(base, 'GET', assetPath, alice);
    assert.equal(got.body['dropoff:validation'], 'FAILED');
    assert.match(got.body['dropoff:validation_message'], /SHA-256/);
  });
});

describe('bad create bodies', () => {
  it('answers 400 naming each bad field', async () => {
    const { assetPath } = await freshAsset();
    const empty = await stac(base, 'POST', `${assetPath}/uploads`, alice, {});
    assert.deepEqual(empty.body, { code: 400, description: { number_parts: ['This field is required.'], md5_parts: ['This field is required.'], 'file:checksum': ['This field is required.'] } });
    const tooMany = await stac(base, 'POST', `${assetPath}/uploads`, alice, {
      number_parts: 101, md5_parts: Array.from({ length: 101 }, (_, i) => ({ part_number: i + 1, md5: '1B2M2Y8AsgTpgAmY7PhCfg==' })), 'file:checksum': 'abcdef',
    });
    assert.equal(tooMany.status, 400);
    assert.deepEqual(tooMany.body.description.number_parts, ['Ensure this value is less than or equal to 100.']);
    assert.match(tooMany.body.description['file:checksum'][0], /Invalid multihash/);
    const checksum = sha256Multihash(bytes(1));
    const duplicate = await stac(base, 'POST', `${assetPath}/uploads`, alice, {
      number_parts: 3, md5_parts: [1, 1, 2].map((n) => ({ part_number: n, md5: '1B2M2Y8AsgTpgAmY7PhCfg==' })), 'file:checksum': checksum,
    });
    assert.deepEqual(duplicate.body, { code: 400, description: { non_field_errors: ['Missing, too many or duplicate part_number in md5_parts field list: list should have 3 item(s).'] } });
    const badMd5 = await stac(base, 'POST', `${assetPath}/uploads`, alice, { number_parts: 1, md5_parts: [{ part_number: 1, md5: 'abcdef' }], 'file:checksum': checksum });
    assert.match(badMd5.body.description['md5_parts.0.md5'][0], /base64/);
    const notJson = await stac(base, 'POST', `${assetPath}/uploads`, alice, undefined, '{"number_parts": 1,');
    assert.equal(notJson.status, 400);
    assert.match(notJson.body.description, /JSON/);
    const encoding = await stac(base, 'POST', `${assetPath}/uploads`, alice, { number_parts: 1, md5_parts: [{ part_number: 1, md5: '1B2M2Y8AsgTpgAmY7PhCfg==' }], 'file:checksum': checksum, content_encoding: 'hello world' });
    assert.deepEqual(encoding.body.description, { content_encoding: ['Invalid encoding "hello world": must be one of "br, gzip"'] });
    assert.equal((await stac(base, 'GET', `${assetPath}/uploads?status=done`, alice)).status, 400);
    assert.deepEqual((await stac(base, 'GET', `${assetPath}/uploads`, alice)).body, { uploads: [], links: [] });
  });

  it('answers 404 for an asset, item or collection that does not exist', async () => {
    const { collection, item } = await freshAsset();
    const data = bytes(1);
    const body = { number_parts: 1, md5_parts: md5Parts(data, 1, 1), 'file:checksum': sha256Multihash(data) };
    for (const path of [`/collections/${collection}/items/${item}/assets/nope.bin`, `/collections/${collection}/items/nope/assets/a`, `/collections/nope/items/${item}/assets/a`]) {
      const answer = await stac(base, 'POST', `${path}/uploads`, alice, body);
      assert.equal(answer.status, 404, path);
      assert.equal(answer.body.code, 404);
    }
  });
});
