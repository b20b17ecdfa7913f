/**
 * Attacks on the reference server, tried against the real server on a real Ceph RGW (and a real PostgreSQL where
 * several instances share rate-limit counters): another user's upload id, an id for another key, ids outside the
 * syntax, more bytes than signed, sizes past the limit and the quotas, too many URLs per call, too many calls, forged,
 * expired and foreign JWTs, cursors of another user, dates outside 1970-9999. Each is a row of docs/security.md.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { startServer, type RunningServer } from '../../server/main.ts';
import { DEFAULT_SECURITY, type SecuritySettings } from '../../server/security/security-config.ts';
import { startLocalStack, type LocalStack } from '../../scripts/stack/local-stack.ts';
import { startPostgres, type RunningPostgres } from '../../scripts/stack/postgres.ts';
import { startIdentityProvider, type TestIdentityProvider } from '../support/identity-provider.ts';
import { readStoredObject } from '../support/stored-object.ts';
import { ALICE, BOB, TEST_TOKENS } from '../support/test-users.ts';

const MiB = 1024 * 1024;
let ceph: LocalStack;
let postgres: RunningPostgres;
let idp: TestIdentityProvider;
const servers: RunningServer[] = [];

before(async () => {
  [ceph, postgres, idp] = await Promise.all([startLocalStack({ storage: 'ceph', tokens: TEST_TOKENS }), startPostgres(), startIdentityProvider()]);
});

after(async () => {
  for (const server of servers) await server.close();
  await ceph?.stop();
  await postgres?.stop();
  await idp?.close();
});

/** Another server on the same storage with `security` (and PostgreSQL when `databaseUrl` is given). */
async function serverWith(security: Partial<SecuritySettings>, databaseUrl?: string): Promise<string> {
  const server = await startServer({ ...ceph.config, port: 0, databaseUrl, security: { ...DEFAULT_SECURITY, ...security } });
  servers.push(server);
  return server.url;
}

interface Answer { status: number; body: any; headers: Headers }

async function call(base: string, method: string, path: string, body?: unknown, token: string = ALICE.token): Promise<Answer> {
  const response = await fetch(`${base}${path}`, {
    method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined, headers: response.headers };
}

const api = (method: string, path: string, body?: unknown, token?: string) => call(ceph.serverUrl, method, path, body, token);

function expectError(answer: Answer, status: number, code: string): void {
  assert.equal(answer.status, status, JSON.stringify(answer.body));
  assert.equal(answer.body.error.code, code);
}

const md5 = (bytes: Uint8Array) => createHash('md5').update(bytes).digest('base64');
let counter = 0;
const keyOf = (space: string, name = 'file.bin') => `${space}security/${Date.now()}-${counter++}/${name}`;
const id = (uploadId: string) => encodeURIComponent(uploadId);

async function create(key: string, size: number | undefined, token: string = ALICE.token, base = ceph.serverUrl) {
  const answer = await call(base, 'POST', '/uploads', { key, size, partSize: 5 * MiB }, token);
  assert.equal(answer.status, 201, JSON.stringify(answer.body));
  return answer.body.uploadId as string;
}

async function signPart(uploadId: string, key: string, partNumber: number, bytes: Uint8Array, token: string = ALICE.token) {
  return api('POST', `/uploads/${id(uploadId)}/parts`, { key, parts: [{ partNumber, md5: md5(bytes) }] }, token);
}

describe('upload ids belong to their user and key', () => {
  it("refuses Bob every operation with Alice's upload id on a key of his own, and Alice's upload is untouched", async () => {
    const aliceKey = keyOf(ALICE.space, 'victim.bin');
    const uploadId = await create(aliceKey, 10);
    const bytes = new Uint8Array(10).fill(7);
    const put = await signPart(uploadId, aliceKey, 1, bytes);
    const etag = (await fetch(put.body.urls[0].url, { method: 'PUT', headers: put.body.urls[0].headers, body: bytes })).headers.get('etag')!;
    const bobKey = keyOf(BOB.space, 'victim.bin');
    expectError(await signPart(uploadId, bobKey, 1, bytes, BOB.token), 404, 'upload_not_found');
    expectError(await api('GET', `/uploads/${id(uploadId)}/parts?key=${encodeURIComponent(bobKey)}`, undefined, BOB.token), 404, 'upload_not_found');
    expectError(await api('POST', `/uploads/${id(uploadId)}/complete`, { key: bobKey, size: 10, sha256: 'a'.repeat(64), parts: [{ partNumber: 1, etag }] }, BOB.token), 404, 'upload_not_found');
    expectError(await api('DELETE', `/uploads/${id(uploadId)}?key=${encodeURIComponent(bobKey)}`, undefined, BOB.token), 404, 'upload_not_found');
    const listed = await api('GET', `/uploads/${id(uploadId)}/parts?key=${encodeURIComponent(aliceKey)}`);
    assert.deepEqual(listed.body.parts.map((p: { partNumber: number }) => p.partNumber), [1]);
    assert.equal((await readStoredObject(ceph.s3, bobKey, MiB)).exists, false);
  });

  it('refuses an upload id used for another key of the same user', async () => {
    const key = keyOf(ALICE.space);
    const uploadId = await create(key, 10);
    const other = keyOf(ALICE.space, 'other.bin');
    expectError(await signPart(uploadId, other, 1, new Uint8Array(10)), 404, 'upload_not_found');
    expectError(await api('DELETE', `/uploads/${id(uploadId)}?key=${encodeURIComponent(other)}`), 404, 'upload_not_found');
    assert.equal((await api('DELETE', `/uploads/${id(uploadId)}?key=${encodeURIComponent(key)}`)).status, 204);
  });

  for (const bad of ['..%2F..%2F..%2Fescape', '..', '%2e%2e', 'a%2Fb', 'a%20b', '%00x', `${'x'.repeat(1025)}`]) {
    it(`answers 400 to the upload id "${bad.slice(0, 24)}"`, async () => {
      const key = keyOf(ALICE.space);
      const answer = await api('POST', `/uploads/${bad}/parts`, { key, parts: [{ partNumber: 1, md5: md5(new Uint8Array(1)) }] });
      assert.ok(answer.status === 400 || answer.status === 404, `status ${answer.status}`);
      if (answer.status === 400) assert.equal(answer.body.error.code, 'invalid_request');
      else assert.equal(answer.body.error.code, 'not_found', 'only a route miss (an id with a slash) may answer 404');
    });
  }
});

describe('sizes are bound into the signatures', () => {
  it('a part URL takes exactly its planned size: more or fewer bytes are refused by the storage', async () => {
    const key = keyOf(ALICE.space);
    const size = 5 * MiB + 10;
    const uploadId = await create(key, size);
    const big = new Uint8Array(5 * MiB).fill(1);
    const tail = new Uint8Array(10).fill(2);
    const longer = new Uint8Array(64 * 1024).fill(2);
    // The attacker computes the MD5 of the larger body: only Content-Length stands between them and 64 KiB.
    const forged = await signPart(uploadId, key, 2, longer);
    assert.equal((await fetch(forged.body.urls[0].url, { method: 'PUT', headers: forged.body.urls[0].headers, body: longer })).status, 403);
    const shorter = new Uint8Array(9).fill(2);
    const signedShort = await signPart(uploadId, key, 2, shorter);
    assert.equal((await fetch(signedShort.body.urls[0].url, { method: 'PUT', headers: signedShort.body.urls[0].headers, body: shorter })).status, 403);
    assert.match(new URL(forged.body.urls[0].url).searchParams.get('X-Amz-SignedHeaders') ?? '', /content-length/);
    const parts = [];
    for (const [n, bytes] of [[1, big], [2, tail]] as const) {
      const signed = await signPart(uploadId, key, n, bytes);
      const response = await fetch(signed.body.urls[0].url, { method: 'PUT', headers: signed.body.urls[0].headers, body: bytes });
      assert.equal(response.status, 200, await response.text());
      parts.push({ partNumber: n, etag: response.headers.get('etag')! });
    }
    const sha256 = createHash('sha256').update(big).update(tail).digest('hex');
    const done = await api('POST', `/uploads/${id(uploadId)}/complete`, { key, size, sha256, parts });
    assert.equal(done.body.status, 'VALIDATING', JSON.stringify(done.body));
    expectError(await signPart(uploadId, key, 3, tail), 400, 'invalid_request');
  });

  it('a single-PUT URL signed for 1 byte does not take 1 MiB', async () => {
    const key = keyOf(ALICE.space);
    const large = new Uint8Array(MiB).fill(3);
    const signed = await api('POST', '/objects/sign', { objects: [{ key, size: 1, md5: md5(large) }] });
    assert.equal(signed.status, 200, JSON.stringify(signed.body));
    const response = await fetch(signed.body.urls[0].url, { method: 'PUT', headers: signed.body.urls[0].headers, body: large });
    assert.equal(response.status, 403);
    assert.equal((await readStoredObject(ceph.s3, key, MiB)).exists, false);
  });

  it('binds a 0-byte part and a 0-byte object', async () => {
    const empty = new Uint8Array(0);
    const key = keyOf(ALICE.space, 'empty.bin');
    const uploadId = await create(key, 0);
    const signed = await signPart(uploadId, key, 1, empty);
    const response = await fetch(signed.body.urls[0].url, { method: 'PUT', headers: signed.body.urls[0].headers, body: empty });
    assert.equal(response.status, 200, await response.text());
    const single = await api('POST', '/objects/sign', { objects: [{ key: keyOf(ALICE.space, 'empty-single.bin'), size: 0, md5: md5(empty) }] });
    assert.equal((await fetch(single.body.urls[0].url, { method: 'PUT', headers: single.body.urls[0].headers, body: empty })).status, 200);
    assert.equal((await fetch(single.body.urls[0].url, { method: 'PUT', headers: single.body.urls[0].headers, body: new Uint8Array(1) })).status, 403);
  });

  it('refuses to sign more than 100 part URLs in one call', async () => {
    const key = keyOf(ALICE.space);
    const uploadId = await create(key, 200 * 5 * MiB);
    const parts = Array.from({ length: 101 }, (_, i) => ({ partNumber: i + 1, md5: md5(new Uint8Array(1)) }));
    const answer = await api('POST', `/uploads/${id(uploadId)}/parts`, { key, parts });
    expectError(answer, 400, 'invalid_request');
    assert.match(answer.body.error.message, /at most 100/);
    assert.equal((await api('POST', `/uploads/${id(uploadId)}/parts`, { key, parts: parts.slice(0, 100) })).body.urls.length, 100);
  });
});

describe('size limit and quotas', () => {
  it('answers 413 object_too_large at create and sign past DROPOFF_MAX_OBJECT_BYTES', async () => {
    const base = await serverWith({ maxObjectBytes: 1000 });
    const tooLarge = await call(base, 'POST', '/uploads', { key: keyOf(ALICE.space), size: 1001 });
    expectError(tooLarge, 413, 'object_too_large');
    assert.match(tooLarge.body.error.message, /accepts objects of at most 1000 B\.$/);
    expectError(await call(base, 'POST', '/objects/sign', { objects: [{ key: keyOf(ALICE.space), size: 1001, md5: md5(new Uint8Array()) }] }), 413, 'object_too_large');
    assert.equal((await call(base, 'POST', '/uploads', { key: keyOf(ALICE.space), size: 1000 })).status, 201);
  });

  it('measures a stream of unknown length at complete, and aborts one past the limit', async () => {
    const base = await serverWith({ maxObjectBytes: 6 * MiB });
    const key = keyOf(ALICE.space, 'stream.bin');
    const created = await call(base, 'POST', '/uploads', { key, partSize: 5 * MiB });
    assert.equal(created.status, 201);
    const uploadId = created.body.uploadId;
    const parts = [];
    for (const [n, bytes] of [[1, new Uint8Array(5 * MiB)], [2, new Uint8Array(2 * MiB)]] as const) {
      const signed = await call(base, 'POST', `/uploads/${id(uploadId)}/parts`, { key, parts: [{ partNumber: n, md5: md5(bytes) }] });
      const response = await fetch(signed.body.urls[0].url, { method: 'PUT', headers: signed.body.urls[0].headers, body: bytes });
      parts.push({ partNumber: n, etag: response.headers.get('etag')! });
    }
    const done = await call(base, 'POST', `/uploads/${id(uploadId)}/complete`, { key, size: 7 * MiB, sha256: 'a'.repeat(64), parts });
    expectError(done, 413, 'object_too_large');
    assert.equal((await readStoredObject(ceph.s3, key, 5 * MiB)).exists, false);
    expectError(await call(base, 'GET', `/uploads/${id(uploadId)}/parts?key=${encodeURIComponent(key)}`), 404, 'upload_not_found');
  });

  it('answers 403 quota_bytes_exceeded when what is stored plus what is being uploaded would pass the quota', async () => {
    const base = await serverWith({ quotaBytes: 3000 });
    await create(keyOf(BOB.space), 2000, BOB.token, base);
    const over = await call(base, 'POST', '/uploads', { key: keyOf(BOB.space), size: 1001 }, BOB.token);
    expectError(over, 403, 'quota_bytes_exceeded');
    assert.match(over.body.error.message, /quota is 2\.9 KiB and 1000 B of it is free/);
    expectError(await call(base, 'POST', '/objects/sign', { objects: [{ key: keyOf(BOB.space), size: 1001, md5: md5(new Uint8Array()) }] }, BOB.token), 403, 'quota_bytes_exceeded');
    // Signed single PUTs reserve their size: two calls cannot both take the last 1000 bytes.
    assert.equal((await call(base, 'POST', '/objects/sign', { objects: [{ key: keyOf(BOB.space), size: 1000, md5: md5(new Uint8Array()) }] }, BOB.token)).status, 200);
    expectError(await call(base, 'POST', '/objects/sign', { objects: [{ key: keyOf(BOB.space), size: 1, md5: md5(new Uint8Array()) }] }, BOB.token), 403, 'quota_bytes_exceeded');
    assert.equal((await call(base, 'POST', '/uploads', { key: keyOf(ALICE.space), size: 3000 })).status, 201, "another user's quota is their own");
  });

  it('frees the quota of an aborted upload', async () => {
    const base = await serverWith({ quotaBytes: 3000 });
    const key = keyOf(ALICE.space);
    const uploadId = await create(key, 3000, ALICE.token, base);
    expectError(await call(base, 'POST', '/uploads', { key: keyOf(ALICE.space), size: 1 }), 403, 'quota_bytes_exceeded');
    assert.equal((await call(base, 'DELETE', `/uploads/${id(uploadId)}?key=${encodeURIComponent(key)}`)).status, 204);
    assert.equal((await call(base, 'POST', '/uploads', { key: keyOf(ALICE.space), size: 3000 })).status, 201);
  });

  it('answers 403 quota_objects_exceeded past the number of objects, and still lets a key be replaced', async () => {
    const base = await serverWith({ quotaObjects: 2 });
    const first = keyOf(ALICE.space);
    await create(first, 1, ALICE.token, base);
    await create(keyOf(ALICE.space), 1, ALICE.token, base);
    const over = await call(base, 'POST', '/uploads', { key: keyOf(ALICE.space), size: 1 });
    expectError(over, 403, 'quota_objects_exceeded');
    assert.match(over.body.error.message, /at most 2 files/);
    assert.equal((await call(base, 'POST', '/uploads', { key: first, size: 1, partSize: 5 * MiB, takeOver: true })).status, 201);
  });
});

describe('rate limits', () => {
  it('answers 429 rate_limited with Retry-After past the limit, per user, and signing costs one point per URL', async () => {
    const base = await serverWith({ rateLimitPoints: 5, rateLimitWindowSeconds: 600 });
    const key = keyOf(ALICE.space);
    // Create costs 1 point; signing 4 URLs costs 1 + 4: past the 5 allowed.
    const uploadId = await create(key, 20 * 5 * MiB, ALICE.token, base);
    const parts = [1, 2, 3, 4].map((partNumber) => ({ partNumber, md5: md5(new Uint8Array(1)) }));
    const limited = await call(base, 'POST', `/uploads/${id(uploadId)}/parts`, { key, parts });
    expectError(limited, 429, 'rate_limited');
    assert.equal(limited.body.error.retryable, true);
    assert.match(limited.headers.get('retry-after') ?? '', /^[1-9]\d*$/);
    assert.ok(Number(limited.headers.get('retry-after')) <= 600);
    expectError(await call(base, 'GET', '/objects'), 429, 'rate_limited');
    assert.equal((await call(base, 'GET', '/objects', undefined, BOB.token)).status, 200, "Bob's budget is his own");
    const fromPage = await fetch(`${base}/objects`, { headers: { authorization: `Bearer ${ALICE.token}`, origin: 'http://page.test' } });
    assert.equal(fromPage.status, 429);
    assert.match(fromPage.headers.get('access-control-expose-headers') ?? '', /Retry-After/i, 'a page may read Retry-After');
  });

  it('charges a confirm one point per object it reads back, and refuses one past the limit whole', async () => {
    const base = await serverWith({ rateLimitPoints: 5, rateLimitWindowSeconds: 600 });
    const confirm = (token: string, space: string, count: number) => call(base, 'POST', '/objects/confirm', {
      objects: Array.from({ length: count }, (_, i) => ({ key: `${space}confirm-points-${Date.now()}-${i}.bin`, size: 1, sha256: 'a'.repeat(64) })),
    }, token);
    // 1 + 3 points: the three keys hold nothing, so each is answered FAILED after its read.
    const three = await confirm(ALICE.token, ALICE.space, 3);
    assert.equal(three.status, 200, JSON.stringify(three.body));
    assert.deepEqual(three.body.objects.map((o: { status: string }) => o.status), ['FAILED', 'FAILED', 'FAILED']);
    assert.equal((await call(base, 'GET', '/objects')).status, 200, 'the fifth point');
    expectError(await call(base, 'GET', '/objects'), 429, 'rate_limited');
    // 1 + 5 points at once is past the 5 allowed: refused whole.
    const five = await confirm(BOB.token, BOB.space, 5);
    expectError(five, 429, 'rate_limited');
    assert.match(five.body.error.message, /each object confirmed counts as one/);
  });

  it('shares the counters between two server instances on one PostgreSQL', async () => {
    const [first, second] = [await serverWith({ rateLimitPoints: 4, rateLimitWindowSeconds: 600 }, postgres.url), await serverWith({ rateLimitPoints: 4, rateLimitWindowSeconds: 600 }, postgres.url)];
    for (const base of [first, second]) {
      assert.equal((await call(base, 'GET', '/objects')).status, 200);
      assert.equal((await call(base, 'GET', '/summary')).status, 200);
    }
    expectError(await call(first, 'GET', '/objects'), 429, 'rate_limited');
    expectError(await call(second, 'GET', '/objects'), 429, 'rate_limited');
  });
});

describe('OIDC bearer tokens (jose, against a JWKS served on 127.0.0.1)', () => {
  let base: string;
  before(async () => {
    base = await serverWith({
      oidc: { jwksUrl: idp.jwksUrl, issuer: idp.issuer, audience: idp.audience, userClaim: 'sub', clockToleranceSeconds: 5, algorithms: ['RS256'] },
    });
  });

  it("accepts a valid token and confines its user to the space named by the claim; static tokens still work", async () => {
    const token = await idp.token('carol');
    assert.equal((await call(base, 'POST', '/uploads', { key: keyOf('carol/'), size: 1 }, token)).status, 201);
    expectError(await call(base, 'POST', '/uploads', { key: keyOf(ALICE.space), size: 1 }, token), 403, 'forbidden_key');
    assert.equal((await call(base, 'GET', '/objects', undefined, ALICE.token)).status, 200);
  });

  const refusals: [string, () => Promise<string>, RegExp][] = [
    ['an expired token', () => idp.token('carol', -60), /expired/],
    ['a token for another audience', () => idp.token('carol', 300, { aud: 'someone-else' }), /"aud" claim/],
    ['a token from another issuer', () => idp.token('carol', 300, { iss: 'https://evil.test' }), /"iss" claim/],
    ['a token signed by a key the provider does not list', () => idp.token('carol', 300, {}, 'unlisted'), /signature/],
    ['a token whose user claim is not a user name', () => idp.token('../carol'), /"sub" claim does not name a user/],
    ['an unsigned token (alg none)', async () => `${b64({ alg: 'none' })}.${b64({ sub: 'carol', iss: idp.issuer, aud: idp.audience, exp: 9999999999 })}.`, /not valid/],
    ['a token with a tampered payload', async () => {
      const [header, , signature] = (await idp.token('carol')).split('.');
      return `${header}.${b64({ sub: 'alice', iss: idp.issuer, aud: idp.audience, exp: 9999999999 })}.${signature}`;
    }, /signature/],
  ];
  for (const [what, make, message] of refusals) {
    it(`answers 401 to ${what}`, async () => {
      const answer = await call(base, 'GET', '/objects', undefined, await make());
      expectError(answer, 401, 'unauthorized');
      assert.match(answer.body.error.message, message);
    });
  }

  it('answers 503 identity_unavailable, retryable, when the key set cannot be fetched', async () => {
    const down = await serverWith({
      oidc: { jwksUrl: `${idp.issuer}/jwks`, issuer: idp.issuer, audience: idp.audience, userClaim: 'sub', clockToleranceSeconds: 5, algorithms: ['RS256'] },
    });
    idp.setDown(true);
    try {
      const answer = await call(down, 'GET', '/objects', undefined, await idp.token('carol'));
      expectError(answer, 503, 'identity_unavailable');
      assert.equal(answer.body.error.retryable, true);
    } finally {
      idp.setDown(false);
    }
  });
});

function b64(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

describe('records queries', () => {
  it('hands out opaque cursors that work only for their user and listing', async () => {
    const prefix = `${ALICE.space}security-cursors-${Date.now()}/`;
    const empty = md5(new Uint8Array());
    const signed = await api('POST', '/objects/sign', { objects: [1, 2, 3].map((n) => ({ key: `${prefix}${n}.bin`, size: 0, md5: empty })) });
    assert.equal(signed.status, 200);
    const first = await api('GET', `/objects?prefix=${encodeURIComponent(prefix)}&limit=1`);
    const cursor: string = first.body.cursor;
    assert.ok(cursor && !/^\d+$/.test(cursor), `cursor ${cursor}`);
    assert.ok(!cursor.includes(String(first.body.objects[0].id)) || cursor.length > 40);
    const second = await api('GET', `/objects?prefix=${encodeURIComponent(prefix)}&limit=1&cursor=${cursor}`);
    assert.equal(second.status, 200);
    assert.notEqual(second.body.objects[0].key, first.body.objects[0].key);
    expectError(await api('GET', `/objects?limit=1&cursor=${cursor}`), 400, 'invalid_request');
    expectError(await api('GET', `/objects?limit=1&cursor=${cursor}`, undefined, BOB.token), 400, 'invalid_request');
    expectError(await api('GET', `/objects?limit=1&cursor=${cursor.slice(0, -2)}xx`), 400, 'invalid_request');
    expectError(await api('GET', '/objects?cursor=12345'), 400, 'invalid_request');
  });

  it('seals the history cursor too: it works only for its user and key', async () => {
    const key = `${ALICE.space}security-history-${Date.now()}.bin`;
    const empty = md5(new Uint8Array());
    // Three submissions of one key: each sign authorizes one.
    for (let n = 0; n < 3; n++) assert.equal((await api('POST', '/objects/sign', { objects: [{ key, size: 0, md5: empty }] })).status, 200);
    const first = await api('GET', `/objects/history?key=${encodeURIComponent(key)}&limit=1`);
    const cursor: string = first.body.cursor;
    assert.ok(cursor && !/^\d+$/.test(cursor), `cursor ${cursor}`);
    const second = await api('GET', `/objects/history?key=${encodeURIComponent(key)}&limit=1&cursor=${cursor}`);
    assert.equal(second.status, 200);
    assert.notEqual(second.body.submissions[0].id, first.body.submissions[0].id);
    expectError(await api('GET', `/objects/history?key=${encodeURIComponent(`${key}.other`)}&limit=1&cursor=${cursor}`), 400, 'invalid_request');
    expectError(await api('GET', `/objects/history?key=${encodeURIComponent(key)}&cursor=12345`), 400, 'invalid_request');
  });

  it('answers 400 to dates outside 1970-9999 instead of a retryable 500', async () => {
    for (const date of ['0000-01-01T00:00:00Z', '1969-12-31T23:59:59Z']) {
      const answer = await api('GET', `/summary?submittedAfter=${encodeURIComponent(date)}`);
      expectError(answer, 400, 'invalid_request');
      assert.match(answer.body.error.message, /between 1970-01-01 and 9999-12-31/);
      assert.equal(answer.body.error.retryable, false);
    }
    assert.equal((await api('GET', `/summary?submittedBefore=${encodeURIComponent('9999-12-31T23:59:59Z')}`)).status, 200);
  });
});
