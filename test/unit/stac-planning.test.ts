/**
 * The STAC client's pure parts: planning at most 100 parts, asset paths and endpoints, the classification of wire
 * errors (the retry table), and the Authorization header for Basic and Bearer.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chooseCappedPartSize } from '../../src/engine/signed-part-plan.ts';
import { MAX_PART_SIZE, MIN_PART_SIZE, partCount } from '../../src/engine/part-plan.ts';
import { assetKey, parseAssetPath, splitEndpoint } from '../../src/protocol/stac/stac-asset-path.ts';
import { authorization } from '../../src/protocol/stac/stac-auth.ts';
import { describe as describeBody, stacFailure, stacPartFailure } from '../../src/protocol/stac/stac-failures.ts';

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

describe('planning at most 100 parts', () => {
  it('keeps the requested size while the file fits in 100 parts, never below 5 MiB', () => {
    assert.equal(chooseCappedPartSize(12 * MiB, 8 * MiB, 100), 8 * MiB);
    assert.equal(chooseCappedPartSize(12 * MiB, 1 * MiB, 100), MIN_PART_SIZE);
    assert.equal(chooseCappedPartSize(0, 8 * MiB, 100), 8 * MiB);
    assert.equal(partCount(0, 8 * MiB), 1, 'a 0-byte file is one (empty) part');
    assert.equal(chooseCappedPartSize(800 * MiB, 8 * MiB, 100), 8 * MiB, 'exactly 100 parts');
  });

  it('grows the part size (whole MiB) for big files so that no more than 100 parts are needed', () => {
    for (const size of [800 * MiB + 1, 1 * GiB, 10 * GiB + 12345, 123 * GiB]) {
      const partSize = chooseCappedPartSize(size, 8 * MiB, 100);
      assert.ok(partCount(size, partSize) <= 100, `${size}: ${partCount(size, partSize)} parts`);
      assert.equal(partSize % MiB, 0);
      assert.ok(partSize >= MIN_PART_SIZE && partSize <= MAX_PART_SIZE);
    }
    assert.equal(chooseCappedPartSize(1 * GiB, 8 * MiB, 100), 11 * MiB);
  });

  it('refuses a file that would need parts above 5 GiB, and bad arguments', () => {
    assert.throws(() => chooseCappedPartSize(100 * MAX_PART_SIZE + 1, 8 * MiB, 100), /more than 100 parts of 5 GiB/);
    assert.equal(chooseCappedPartSize(100 * MAX_PART_SIZE, 8 * MiB, 100), MAX_PART_SIZE);
    assert.throws(() => chooseCappedPartSize(-1, 8 * MiB, 100), RangeError);
    assert.throws(() => chooseCappedPartSize(10, 8 * MiB, 0), RangeError);
  });
});

describe('asset paths and endpoints', () => {
  it('reads item and collection asset paths, and nothing else', () => {
    assert.deepEqual(parseAssetPath('collections/c1/items/i1/assets/a.tif'), { collection: 'c1', item: 'i1', asset: 'a.tif' });
    assert.deepEqual(parseAssetPath('collections/c1/assets/thumb.png'), { collection: 'c1', asset: 'thumb.png' });
    assert.deepEqual(parseAssetPath('collections/c%201/assets/a'), { collection: 'c 1', asset: 'a' });
    for (const bad of ['a.tif', 'collections/c1', 'collections/c1/items/i1', 'collections/c1/items/i1/assets/', 'x/collections/c/assets/a', 'collections/c/items/i/assets/a/b']) {
      assert.equal(parseAssetPath(bad), undefined, bad);
    }
    assert.equal(assetKey('c', 'i', 'a'), 'collections/c/items/i/assets/a');
    assert.equal(assetKey('c', undefined, 'a'), 'collections/c/assets/a');
  });

  it('splits an asset URL into the base and the asset; a base URL stays a base', () => {
    assert.deepEqual(splitEndpoint('https://h.example/api/stac/v1/collections/c/items/i/assets/a.tif'),
      { base: 'https://h.example/api/stac/v1', asset: { collection: 'c', item: 'i', asset: 'a.tif' } });
    assert.deepEqual(splitEndpoint('https://h.example/stac/v1/collections/c/assets/a/'), { base: 'https://h.example/stac/v1', asset: { collection: 'c', asset: 'a' } });
    assert.deepEqual(splitEndpoint('https://h.example/stac/v1/'), { base: 'https://h.example/stac/v1' });
    assert.deepEqual(splitEndpoint('https://h.example/stac/v1/collections/c'), { base: 'https://h.example/stac/v1/collections/c' });
  });
});

describe('the retry table', () => {
  it('retries 502, 503 and 504 of any call; cancels on 500 and on other 400s', () => {
    for (const status of [502, 503, 504]) assert.deepEqual(stacFailure(status, ''), { code: 'unavailable', kind: 'retryable', retryable: true });
    assert.deepEqual(stacFailure(500, 'boom'), { code: 'server_error', kind: 'failed', retryable: false });
    assert.deepEqual(stacFailure(400, 'Too few parts'), { code: 'invalid_request', kind: 'invalid', retryable: false });
    assert.equal(stacFailure(401, '').kind, 'unauthorized');
    assert.equal(stacFailure(403, '').kind, 'forbidden');
    assert.equal(stacFailure(404, '').kind, 'not_found');
    assert.equal(stacFailure(429, '').retryable, false, 'only 502, 503 and 504 are in the table');
  });

  it('tells "Upload already in progress" (409, or 400 on older servers) and "No upload in progress"', () => {
    assert.deepEqual(stacFailure(409, 'Upload already in progress'), { code: 'upload_in_progress', kind: 'conflict', retryable: false });
    assert.deepEqual(stacFailure(400, 'Upload already in progress'), { code: 'upload_in_progress', kind: 'conflict', retryable: false });
    assert.deepEqual(stacFailure(409, 'No upload in progress'), { code: 'no_upload_in_progress', kind: 'not_found', retryable: false });
  });

  it('part PUTs: 400 aborts, 502/503/504 retry, 500 and the rest stop', () => {
    assert.equal(stacPartFailure(400), 'abort');
    for (const status of [502, 503, 504]) assert.equal(stacPartFailure(status), 'retry');
    for (const status of [500, 404, 429, 501]) assert.equal(stacPartFailure(status), 'stop');
  });

  it('reads descriptions given as a sentence, a list, or fields with problems', () => {
    assert.equal(describeBody('Too few parts'), 'Too few parts');
    assert.equal(describeBody(['a', 'b']), 'a b');
    assert.equal(describeBody({ number_parts: ['Ensure this value is less than or equal to 100.'] }), 'number_parts: Ensure this value is less than or equal to 100.');
    assert.equal(describeBody(undefined), '');
  });
});

describe('credentials', () => {
  it('sends Basic as base64 of UTF-8 user:password, Bearer as is, nothing without credentials', async () => {
    assert.equal(await authorization({ basic: { username: 'alice', password: 'pä:ss' } }), `Basic ${Buffer.from('alice:pä:ss', 'utf8').toString('base64')}`);
    assert.equal(await authorization({ token: 'tok' }), 'Bearer tok');
    assert.equal(await authorization({ token: async () => 'fresh' }), 'Bearer fresh');
    assert.equal(await authorization(undefined), undefined);
  });
});
