/**
 * The STAC asset upload on the embedded default storage (s3rver behind its signature guard, as `npm start` runs it):
 * the seed example's three steps store the file, and an abort, which s3rver cannot do, still ends the upload so the
 * asset can be uploaded again.
 */
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { startLocalStack, type LocalStack } from '../../scripts/stack/local-stack.ts';
import { readStoredObject } from '../support/stored-object.ts';
import { ALICE, TEST_TOKENS } from '../support/test-users.ts';
import { base64Md5, md5Parts, sha256Multihash, stac, type Credentials } from '../support/stac-client.ts';

const alice: Credentials = { token: ALICE.token };
let stack: LocalStack;
let base: string;

before(async () => {
  stack = await startLocalStack({ storage: 's3rver', tokens: TEST_TOKENS });
  base = `${stack.serverUrl}/stac/v1`;
});

after(async () => {
  await stack?.stop();
});

it('uploads, aborts and uploads again on s3rver', async () => {
  const assetPath = '/collections/embedded/items/i/assets/a.bin';
  assert.equal((await stac(base, 'PUT', '/collections/embedded', alice, { description: 'On s3rver', license: 'proprietary' })).status, 201);
  assert.equal((await stac(base, 'PUT', '/collections/embedded/items/i', alice, { geometry: null, properties: { datetime: '2026-11-30T10:00:00Z' } })).status, 201);
  assert.equal((await stac(base, 'PUT', assetPath, alice, { type: 'application/octet-stream' })).status, 201);
  const data = new Uint8Array(4096).map((_, i) => i & 0xff);
  const body = { number_parts: 1, md5_parts: md5Parts(data, data.length, 1), 'file:checksum': sha256Multihash(data) };
  const first = await stac(base, 'POST', `${assetPath}/uploads`, alice, body);
  assert.equal(first.status, 201, JSON.stringify(first.body));
  const aborted = await stac(base, 'POST', `${assetPath}/uploads/${encodeURIComponent(first.body.upload_id)}/abort`, alice);
  assert.equal(aborted.status, 200, JSON.stringify(aborted.body));
  assert.equal(aborted.body.status, 'aborted');
  const second = await stac(base, 'POST', `${assetPath}/uploads`, alice, body);
  assert.equal(second.status, 201, JSON.stringify(second.body));
  const put = await fetch(second.body.urls[0].url, { method: 'PUT', body: Buffer.from(data), headers: { 'Content-MD5': base64Md5(data) } });
  assert.equal(put.status, 200, await put.text());
  const done = await stac(base, 'POST', `${assetPath}/uploads/${encodeURIComponent(second.body.upload_id)}/complete`, alice, { parts: [{ etag: put.headers.get('etag'), part_number: 1 }] });
  assert.equal(done.status, 200, JSON.stringify(done.body));
  const stored = await readStoredObject(stack.s3, `${ALICE.space}stac/embedded/i/a.bin`, 5 * 1024 * 1024);
  assert.equal(stored.sha256, sha256Multihash(data).slice(4));
  await stack.server.validator.idle();
  assert.equal((await stac(base, 'GET', assetPath, alice)).body['dropoff:validation'], 'ACCEPTED');
});
