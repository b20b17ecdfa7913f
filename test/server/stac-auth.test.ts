/**
 * The STAC API's authentication, confinement and catalog checks, on a reference server whose records are in a real
 * PostgreSQL (the upload tests run on PGlite): HTTP Basic users from scrypt hashes, Bearer static tokens and OIDC
 * JWTs mapped to the same users, 401 for wrong credentials, 404 for another user's collections and upload ids, and
 * 400 for documents that are not valid STAC.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startLocalStack, type LocalStack } from '../../scripts/stack/local-stack.ts';
import { startPostgres, type RunningPostgres } from '../../scripts/stack/postgres.ts';
import { startServer, type RunningServer } from '../../server/main.ts';
import { DEFAULT_SECURITY } from '../../server/security/security-config.ts';
import { hashPassword, verifyPassword } from '../../server/stac/password-hash.ts';
import { parseBasicUsers } from '../../server/stac/stac-config.ts';
import { startIdentityProvider, type TestIdentityProvider } from '../support/identity-provider.ts';
import { base64Md5, md5Parts, sha256Multihash, stac, type Credentials } from '../support/stac-client.ts';
import { ALICE, BOB, TEST_TOKENS } from '../support/test-users.ts';

const MiB = 1024 * 1024;
const ALICE_BASIC = { user: 'alice', password: 'alice: a password with a colon' };
const BOB_BASIC = { user: 'bob', password: 'bob-secret-9f2c' };
let ceph: LocalStack;
let postgres: RunningPostgres;
let idp: TestIdentityProvider;
let server: RunningServer;
let base: string;
let counter = 0;

before(async () => {
  [ceph, postgres, idp] = await Promise.all([startLocalStack({ storage: 'ceph', tokens: TEST_TOKENS }), startPostgres(), startIdentityProvider()]);
  const basicUsers = parseBasicUsers(`alice:${await hashPassword(ALICE_BASIC.password)},bob:${await hashPassword(BOB_BASIC.password)}`);
  server = await startServer({
    ...ceph.config, port: 0, databaseUrl: postgres.url, stac: { basicUsers },
    // Small limits for the limits test; the other tests send a few bytes, and Bob none of the quota's.
    security: { ...DEFAULT_SECURITY, maxObjectBytes: MiB, quotaBytes: 2.5 * MiB, oidc: { jwksUrl: idp.jwksUrl, issuer: idp.issuer, audience: idp.audience, userClaim: 'sub', clockToleranceSeconds: 5, algorithms: ['RS256'] } },
  });
  base = `${server.url}/stac/v1`;
});

after(async () => {
  await server?.close();
  await ceph?.stop();
  await postgres?.stop();
  await idp?.close();
});

const validItem = (id: string) => ({ id, geometry: { type: 'Polygon', coordinates: [[[7, 46], [8, 46], [8, 47], [7, 47], [7, 46]]] }, properties: { datetime: '2026-11-30T09:00:00Z' } });

/** A collection, item and asset of `who`'s. */
async function freshAsset(who: Credentials) {
  const n = counter++;
  const collection = `auth-${Date.now()}-${n}`;
  assert.equal((await stac(base, 'PUT', `/collections/${collection}`, who, { id: collection, description: 'Auth tests', license: 'CC-BY-4.0' })).status, 201);
  assert.equal((await stac(base, 'PUT', `/collections/${collection}/items/i`, who, validItem('i'))).status, 201);
  assert.equal((await stac(base, 'PUT', `/collections/${collection}/items/i/assets/a.bin`, who, { type: 'application/octet-stream' })).status, 201);
  return { collection, assetPath: `/collections/${collection}/items/i/assets/a.bin` };
}

function createBody(data: Uint8Array) {
  return { number_parts: 1, md5_parts: md5Parts(data, data.length, 1), 'file:checksum': sha256Multihash(data) };
}

describe('Basic and Bearer authentication', () => {
  it('accepts Basic, the static Bearer token and an OIDC JWT as the same user, on one catalog', async () => {
    const { collection } = await freshAsset(ALICE_BASIC);
    const jwt = await idp.token('alice');
    for (const who of [ALICE_BASIC, { token: ALICE.token }, { token: jwt }] as Credentials[]) {
      const answer = await stac(base, 'GET', `/collections/${collection}`, who);
      assert.equal(answer.status, 200, JSON.stringify(answer.body));
      assert.equal(answer.body.id, collection);
    }
  });

  it('answers 401 with {code, description} and WWW-Authenticate to missing, wrong or unknown credentials', async () => {
    const cases: [Credentials, string][] = [
      [null, 'Bearer'],
      [{ user: 'alice', password: 'wrong' }, 'Basic'],
      [{ user: 'mallory', password: ALICE_BASIC.password }, 'Basic'],
      [{ user: 'alice', password: '' }, 'Basic'],
      [{ token: 'not-a-token-at-all-0123' }, 'Bearer'],
      [{ token: await idp.token('alice', -60) }, 'Bearer'],
    ];
    for (const [who, scheme] of cases) {
      const answer = await stac(base, 'GET', '/collections', who);
      assert.equal(answer.status, 401, JSON.stringify(who));
      assert.equal(answer.body.code, 401);
      assert.equal(typeof answer.body.description, 'string');
      assert.match(answer.headers.get('www-authenticate') ?? '', new RegExp(`^${scheme} realm=`));
    }
    const garbled = await fetch(`${base}/collections`, { headers: { authorization: 'Basic !!!' } });
    assert.equal(garbled.status, 401);
  });

  it('serves the landing page without credentials', async () => {
    const landing = await stac(base, 'GET', '/', null);
    assert.equal(landing.status, 200);
    assert.equal(landing.body.type, 'Catalog');
    assert.equal(landing.body.links.find((l: { rel: string }) => l.rel === 'data').href, `${base}/collections`);
    assert.equal((await stac(base, 'GET', '', null)).body.type, 'Catalog');
    const unknown = await stac(base, 'GET', '/nothing-here', null);
    assert.equal(unknown.status, 404);
    assert.match(unknown.body.description, /No such route in the STAC API/);
    const wrongMethod = await stac(base, 'DELETE', '/collections/x', ALICE_BASIC);
    assert.deepEqual([wrongMethod.status, wrongMethod.body.code], [404, 404]);
  });

  it('refuses a plaintext password in DROPOFF_STAC_BASIC_USERS, and checks hashes in constant form', async () => {
    assert.throws(() => parseBasicUsers('alice:hunter2'), /not a scrypt hash \(plaintext passwords are refused\)/);
    assert.throws(() => parseBasicUsers('alice'), /must be user:hash/);
    const hash = await hashPassword('pw');
    assert.throws(() => parseBasicUsers(`alice:${hash},alice:${hash}`), /twice/);
    assert.equal(parseBasicUsers(`carol:${hash}`).get('carol')?.user.space, 'carol/');
    assert.equal(await verifyPassword('pw', hash), true);
    assert.equal(await verifyPassword('pW', hash), false);
    assert.equal(await verifyPassword('pw', 'scrypt$1$1$1$x$y'), false);
  });
});

describe("another user's catalog", () => {
  it("answers 404, never 403, to Bob for Alice's collections, assets and upload ids", async () => {
    const { collection, assetPath } = await freshAsset(ALICE_BASIC);
    const data = new Uint8Array([1, 2, 3]);
    const created = await stac(base, 'POST', `${assetPath}/uploads`, ALICE_BASIC, createBody(data));
    assert.equal(created.status, 201);
    const uploadPath = `${assetPath}/uploads/${created.body.upload_id}`;
    const bob: Credentials = { token: BOB.token };
    for (const [method, path, body] of [
      ['GET', `/collections/${collection}`, undefined],
      ['GET', assetPath, undefined],
      ['GET', `${assetPath}/uploads`, undefined],
      ['POST', `${assetPath}/uploads`, createBody(data)],
      ['GET', uploadPath, undefined],
      ['GET', `${uploadPath}/parts`, undefined],
      ['POST', `${uploadPath}/complete`, { parts: [{ etag: 'x', part_number: 1 }] }],
      ['POST', `${uploadPath}/abort`, undefined],
      ['PUT', `${assetPath}`, { type: 'text/plain' }],
    ] as const) {
      const answer = await stac(base, method, path, bob, body);
      assert.equal(answer.status, 404, `${method} ${path}: ${JSON.stringify(answer.body)}`);
      assert.equal(answer.body.code, 404);
    }
    assert.deepEqual((await stac(base, 'GET', '/collections', BOB_BASIC)).body.collections.map((c: { id: string }) => c.id).includes(collection), false);
    // Bob's own collection of the same name is another one; Alice's upload id means nothing there either.
    await stac(base, 'PUT', `/collections/${collection}`, bob, { id: collection, description: "Bob's", license: 'proprietary' });
    await stac(base, 'PUT', `/collections/${collection}/items/i`, bob, validItem('i'));
    await stac(base, 'PUT', assetPath, bob, { type: 'text/plain' });
    assert.equal((await stac(base, 'GET', uploadPath, bob)).status, 404);
    assert.equal((await stac(base, 'POST', `${uploadPath}/abort`, bob)).status, 404);
    assert.equal((await stac(base, 'GET', `/collections/${collection}`, bob)).body.description, "Bob's");
    // Alice's upload was not touched: she completes it.
    const put = await fetch(created.body.urls[0].url, { method: 'PUT', body: Buffer.from(data), headers: { 'Content-MD5': base64Md5(data) } });
    const done = await stac(base, 'POST', `${uploadPath}/complete`, { token: ALICE.token }, { parts: [{ etag: put.headers.get('etag'), part_number: 1 }] });
    assert.equal(done.status, 200, JSON.stringify(done.body));
  });
});

describe('STAC documents are checked against the schemas', () => {
  it('answers 400 naming the fields of an item that is not valid STAC, and stores nothing', async () => {
    const { collection } = await freshAsset(ALICE_BASIC);
    const path = `/collections/${collection}/items/bad`;
    const noDatetime = await stac(base, 'PUT', path, ALICE_BASIC, { id: 'bad', geometry: null, properties: {} });
    assert.deepEqual(noDatetime.body, { code: 400, description: { 'properties.datetime': ['This field is required.'] } });
    const badDate = await stac(base, 'PUT', path, ALICE_BASIC, { ...validItem('bad'), properties: { datetime: 'yesterday' } });
    assert.deepEqual(badDate.body.description, { 'properties.datetime': ['Must match format "date-time".'] });
    const openRange = await stac(base, 'PUT', path, ALICE_BASIC, { ...validItem('bad'), properties: { datetime: null } });
    assert.deepEqual(openRange.body.description, { 'properties.start_datetime': ['This field is required.'], 'properties.end_datetime': ['This field is required.'] });
    const openRing = await stac(base, 'PUT', path, ALICE_BASIC, { ...validItem('bad'), geometry: { type: 'Polygon', coordinates: [[[7, 46], [8, 46], [7, 46]]] } });
    assert.deepEqual(openRing.body.description, { 'geometry.coordinates.0': ['Must NOT have fewer than 4 items.'] });
    const notGeometry = await stac(base, 'PUT', path, ALICE_BASIC, { ...validItem('bad'), geometry: { type: 'Circle', radius: 3 } });
    assert.equal(notGeometry.status, 400);
    assert.ok('geometry.type' in notGeometry.body.description);
    assert.equal((await stac(base, 'GET', path, ALICE_BASIC)).status, 404);
    const ranged = await stac(base, 'PUT', path, ALICE_BASIC, { ...validItem('bad'), properties: { datetime: null, start_datetime: '2026-01-01T00:00:00Z', end_datetime: '2026-12-31T00:00:00Z' } });
    assert.equal(ranged.status, 201, JSON.stringify(ranged.body));
    assert.deepEqual(ranged.body.bbox, [7, 46, 8, 47]);
  });

  it('answers 400 to a collection without description or license, a bad id, an id differing from the path, and an external asset href', async () => {
    const missing = await stac(base, 'PUT', '/collections/c-missing', ALICE_BASIC, { id: 'c-missing' });
    assert.deepEqual(missing.body, { code: 400, description: { description: ['This field is required.'], license: ['This field is required.'] } });
    const badId = await stac(base, 'PUT', '/collections/bad%20id', ALICE_BASIC, { description: 'x', license: 'proprietary' });
    assert.equal(badId.status, 400);
    assert.match(badId.body.description.collection[0], /Invalid id/);
    const other = await stac(base, 'PUT', '/collections/c-one', ALICE_BASIC, { id: 'c-two', description: 'x', license: 'proprietary' });
    assert.match(other.body.description.id[0], /differs from the one in the path/);
    const { collection } = await freshAsset(ALICE_BASIC);
    const external = await stac(base, 'PUT', `/collections/${collection}/items/i/assets/ext.tif`, ALICE_BASIC, { type: 'image/tiff', href: 'https://example.org/x.tif' });
    assert.match(external.body.description.href[0], /External assets are not supported/);
    const untyped = await stac(base, 'PUT', `/collections/${collection}/items/i/assets/x.bin`, ALICE_BASIC, { title: 'x' });
    assert.equal(untyped.status, 400);
    const notJson = await stac(base, 'PUT', `/collections/${collection}`, ALICE_BASIC, undefined, 'not json');
    assert.equal(notJson.status, 400);
  });

  it('creates with POST (409 when the id exists), replaces with PUT (200), and serves valid STAC with its links', async () => {
    const id = `posted-${Date.now()}`;
    const body = { id, description: 'First', license: 'proprietary', title: 'Posted', links: [{ rel: 'license', href: 'https://example.org/licence' }] };
    const created = await stac(base, 'POST', '/collections', ALICE_BASIC, body);
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal(created.headers.get('location'), `${base}/collections/${id}`);
    assert.equal((await stac(base, 'POST', '/collections', ALICE_BASIC, body)).status, 409);
    const replaced = await stac(base, 'PUT', `/collections/${id}`, ALICE_BASIC, { ...body, description: 'Second' });
    assert.equal(replaced.status, 200);
    const got = await stac(base, 'GET', `/collections/${id}`, ALICE_BASIC);
    assert.equal(got.body.description, 'Second');
    assert.equal(got.body.type, 'Collection');
    assert.equal(got.body.stac_version, '1.0.0');
    assert.deepEqual(got.body.links.map((l: { rel: string }) => l.rel), ['self', 'root', 'parent', 'items', 'license']);
    const item = await stac(base, 'POST', `/collections/${id}/items`, ALICE_BASIC, validItem('first'));
    assert.equal(item.status, 201);
    assert.equal((await stac(base, 'POST', `/collections/${id}/items`, ALICE_BASIC, validItem('first'))).status, 409);
    const items = await stac(base, 'GET', `/collections/${id}/items`, ALICE_BASIC);
    assert.deepEqual(items.body.features.map((f: { id: string }) => f.id), ['first']);
    assert.equal((await stac(base, 'POST', `/collections/${id}/items`, ALICE_BASIC, validItem('second'))).status, 201);
    const page = await stac(base, 'GET', `/collections/${id}/items?limit=1`, ALICE_BASIC);
    assert.deepEqual(page.body.features.map((f: { id: string }) => f.id), ['first']);
    const next = new URL(page.body.links.find((l: { rel: string }) => l.rel === 'next').href);
    assert.deepEqual((await stac(base, 'GET', `${next.pathname.slice('/stac/v1'.length)}${next.search}`, ALICE_BASIC)).body.features.map((f: { id: string }) => f.id), ['second']);
    assert.deepEqual((await stac(base, 'GET', `/collections/${id}/items?limit=0`, ALICE_BASIC)).body, { code: 400, description: { limit: ['Must be an integer from 1 to 100.'] } });
    assert.equal((await stac(base, 'POST', '/collections/nope/items', ALICE_BASIC, validItem('x'))).status, 404);
  });
});

describe('size limit and quota', () => {
  it('checks DROPOFF_MAX_OBJECT_BYTES and the quota at complete (a create declares no size), and the upload stays in progress to be aborted', async () => {
    const carol: Credentials = { token: await idp.token('carol') };
    const upload = async (size: number) => {
      const { assetPath } = await freshAsset(carol);
      const data = new Uint8Array(size).fill(size & 0xff);
      const created = await stac(base, 'POST', `${assetPath}/uploads`, carol, createBody(data));
      const put = await fetch(created.body.urls[0].url, { method: 'PUT', body: Buffer.from(data), headers: { 'Content-MD5': base64Md5(data) } });
      const uploadPath = `${assetPath}/uploads/${created.body.upload_id}`;
      return { assetPath, uploadPath, done: await stac(base, 'POST', `${uploadPath}/complete`, carol, { parts: [{ etag: put.headers.get('etag'), part_number: 1 }] }) };
    };
    const tooLarge = await upload(MiB + 1);
    assert.equal(tooLarge.done.status, 413, JSON.stringify(tooLarge.done.body));
    assert.match(tooLarge.done.body.description, /accepts objects of at most 1\.0 MiB/);
    assert.equal((await stac(base, 'GET', tooLarge.uploadPath, carol)).body.status, 'in-progress');
    assert.equal((await stac(base, 'POST', `${tooLarge.uploadPath}/abort`, carol)).status, 200);
    assert.equal((await upload(MiB)).done.status, 200);
    assert.equal((await upload(MiB)).done.status, 200);
    const overQuota = await upload(MiB);
    assert.equal(overQuota.done.status, 403, JSON.stringify(overQuota.done.body));
    assert.match(overQuota.done.body.description, /Your storage quota is 2\.5 MiB/);
    assert.equal((await stac(base, 'GET', overQuota.assetPath, carol)).body['file:size'], undefined, 'nothing was stored for it');
  });
});
