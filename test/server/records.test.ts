/**
 * Records of submissions through the reference server, against PGlite and against a real PostgreSQL (both with Ceph
 * RGW as storage): statuses from AUTHORIZED through VALIDATING to ACCEPTED or FAILED, history of a re-submitted key,
 * pagination, summary with date filters, one user never seeing another's records, validation that survives a
 * restart, and a small object validated from one read, by its confirm.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { startServer, type RunningServer } from '../../server/main.ts';
import { Validator } from '../../server/records/validator.ts';
import { reportStored } from '../../server/submission.ts';
import type { StoredSubmission } from '../../server/records/submissions.ts';
import { createS3Client } from '../../server/storage/s3-client.ts';
import { UploadStore } from '../../server/storage/upload-store.ts';
import { ObjectReader } from '../../server/storage/object-reader.ts';
import { startFaultProxy, type FaultProxy } from '../support/fault-proxy.ts';
import { startLocalStack, type LocalStack } from '../../scripts/stack/local-stack.ts';
import { startPostgres, type RunningPostgres } from '../../scripts/stack/postgres.ts';
import { ALICE, BOB, TEST_TOKENS } from '../support/test-users.ts';

let ceph: LocalStack;
let postgres: RunningPostgres;

before(async () => {
  [ceph, postgres] = await Promise.all([startLocalStack({ storage: 'ceph', tokens: TEST_TOKENS }), startPostgres()]);
});

after(async () => {
  await ceph?.stop();
  await postgres?.stop();
});

/** A valid miniSEED 2 fixed header (48 bytes) followed by `rest` bytes. */
function miniseed(rest = 464): Uint8Array {
  const bytes = new Uint8Array(48 + rest);
  bytes.set(new TextEncoder().encode('000001D ANMO 00BHZIU'), 0);
  const view = new DataView(bytes.buffer);
  view.setUint16(20, 2025, false);
  view.setUint16(22, 303, false);
  return bytes;
}

for (const database of ['pglite', 'postgresql'] as const) {
  describe(`records on ${database}`, () => {
    let server: RunningServer;
    const prefix = `${ALICE.space}records-${database}-${Date.now()}/`;

    before(async () => {
      server = await startServer({ ...ceph.config, port: 0, databaseUrl: database === 'postgresql' ? postgres.url : undefined });
    });
    after(async () => server?.close());

    async function api(method: string, path: string, body?: unknown, token: string = ALICE.token) {
      const response = await fetch(`${server.url}${path}`, {
        method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      return { status: response.status, body: text ? JSON.parse(text) : undefined };
    }

    /** Stores `bytes` under `key` by a single PUT, as the engine does, and confirms it. */
    async function submit(key: string, bytes: Uint8Array, category = '', token: string = ALICE.token, claimedSha?: string) {
      const md5 = createHash('md5').update(bytes).digest('base64');
      const signed = await api('POST', '/objects/sign', { objects: [{ key, size: bytes.length, md5, category }] }, token);
      assert.equal(signed.status, 200, JSON.stringify(signed.body));
      const put = await fetch(signed.body.urls[0].url, { method: 'PUT', headers: signed.body.urls[0].headers, body: Buffer.from(bytes) });
      assert.equal(put.status, 200);
      const sha256 = claimedSha ?? createHash('sha256').update(bytes).digest('hex');
      const confirmed = await api('POST', '/objects/confirm', { objects: [{ key, size: bytes.length, sha256 }] }, token);
      return confirmed.body.objects[0] as { status: string };
    }

    it('moves a submission from AUTHORIZED to VALIDATING to ACCEPTED, and keeps every submission of a key', async () => {
      const key = `${prefix}station.mseed`;
      const signed = await api('POST', '/objects/sign', { objects: [{ key, size: 512, md5: createHash('md5').update(miniseed()).digest('base64'), category: 'miniseed' }] });
      assert.equal(signed.status, 200);
      let history = await api('GET', `/objects/history?key=${encodeURIComponent(key)}`);
      assert.deepEqual(history.body.submissions.map((s: { status: string }) => s.status), ['AUTHORIZED']);
      await fetch(signed.body.urls[0].url, { method: 'PUT', headers: signed.body.urls[0].headers, body: Buffer.from(miniseed()) });
      const confirmed = await api('POST', '/objects/confirm', { objects: [{ key, size: 512, sha256: createHash('sha256').update(miniseed()).digest('hex') }] });
      assert.equal(confirmed.body.objects[0].status, 'VALIDATING');
      await server.validator.idle();
      assert.equal((await submit(key, miniseed(1000), 'miniseed')).status, 'VALIDATING');
      await server.validator.idle();
      history = await api('GET', `/objects/history?key=${encodeURIComponent(key)}`);
      assert.equal(history.status, 200);
      assert.deepEqual(history.body.submissions.map((s: { status: string; size: number }) => [s.status, s.size]), [['ACCEPTED', 1048], ['ACCEPTED', 512]]);
      const [latest] = history.body.submissions;
      assert.equal(latest.category, 'miniseed');
      assert.match(latest.etag, /^"[0-9a-f]{32}"$/);
      assert.ok(Date.parse(latest.receivedAt) <= Date.now());
    });

    it('fails validation with a message: not miniSEED, or a SHA-256 that differs from the stored bytes', async () => {
      await submit(`${prefix}not-seismic.mseed`, new TextEncoder().encode('hello, this is text and not a miniSEED record at all, padded out to be long enough'), 'miniseed');
      await submit(`${prefix}lied.bin`, new Uint8Array(100).fill(7), '', ALICE.token, 'f'.repeat(64));
      await server.validator.idle();
      const [notSeismic] = (await api('GET', `/objects/history?key=${encodeURIComponent(`${prefix}not-seismic.mseed`)}`)).body.submissions;
      assert.equal(notSeismic.status, 'FAILED');
      assert.match(notSeismic.message, /Not a valid miniseed object: it does not begin with a six-digit sequence number/);
      const [lied] = (await api('GET', `/objects/history?key=${encodeURIComponent(`${prefix}lied.bin`)}`)).body.submissions;
      assert.equal(lied.status, 'FAILED');
      assert.match(lied.message, /SHA-256 .* not the f{64} the client computed/);
    });

    it('lists the latest submission of each key, newest first, over several pages', async () => {
      const listPrefix = `${prefix}many/`;
      for (let i = 0; i < 7; i++) await submit(`${listPrefix}f${i}.bin`, new Uint8Array([i]));
      await submit(`${listPrefix}f2.bin`, new Uint8Array([2, 2]));
      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await api('GET', `/objects?prefix=${encodeURIComponent(listPrefix)}&limit=3${cursor ? `&cursor=${cursor}` : ''}`);
        assert.equal(page.status, 200, JSON.stringify(page.body));
        seen.push(...page.body.objects.map((o: { key: string }) => o.key.slice(listPrefix.length)));
        cursor = page.body.cursor;
        pages++;
      } while (cursor);
      assert.equal(pages, 3);
      assert.deepEqual(seen, ['f2.bin', 'f6.bin', 'f5.bin', 'f4.bin', 'f3.bin', 'f1.bin', 'f0.bin']);
    });

    it('counts submissions by status, within submittedAfter / submittedBefore', async () => {
      const sumPrefix = `${prefix}sum/`;
      const start = new Date().toISOString();
      await submit(`${sumPrefix}a.bin`, new Uint8Array(10));
      await submit(`${sumPrefix}b.bin`, new Uint8Array(11), '', ALICE.token, '0'.repeat(64));
      await api('POST', '/objects/sign', { objects: [{ key: `${sumPrefix}c.bin`, size: 1, md5: createHash('md5').update(new Uint8Array(1)).digest('base64') }] });
      await server.validator.idle();
      const all = await api('GET', `/summary?prefix=${encodeURIComponent(sumPrefix)}&submittedAfter=${encodeURIComponent(start)}`);
      assert.equal(all.status, 200);
      assert.deepEqual(all.body.byStatus, { AUTHORIZED: 1, VALIDATING: 0, ACCEPTED: 1, FAILED: 1 });
      assert.equal(all.body.total, 3);
      const none = await api('GET', `/summary?prefix=${encodeURIComponent(sumPrefix)}&submittedBefore=${encodeURIComponent(start)}`);
      assert.equal(none.body.total, 0);
      const bad = await api('GET', '/summary?submittedAfter=yesterday');
      assert.equal(bad.status, 400);
    });

    it("never shows one user another user's records", async () => {
      await submit(`${BOB.space}records-${database}/secret.bin`, new Uint8Array(5), '', BOB.token);
      const mine = await api('GET', '/objects?limit=1000');
      assert.ok(mine.body.objects.every((o: { key: string }) => o.key.startsWith(ALICE.space)));
      assert.equal((await api('GET', `/objects?prefix=${encodeURIComponent(BOB.space)}`)).status, 403);
      assert.equal((await api('GET', `/objects/history?key=${encodeURIComponent(`${BOB.space}records-${database}/secret.bin`)}`)).status, 403);
      assert.equal((await api('GET', `/summary?prefix=${encodeURIComponent(BOB.space)}`)).status, 403);
      const bobs = await api('GET', `/objects/history?key=${encodeURIComponent(`${BOB.space}records-${database}/secret.bin`)}`, undefined, BOB.token);
      assert.equal(bobs.body.submissions.length, 1);
    });
  });
}

describe('validation after a restart', () => {
  it('picks up submissions left VALIDATING when the server stopped', async () => {
    const key = `${ALICE.space}restart-${Date.now()}.bin`;
    const bytes = new Uint8Array(300).fill(3);
    const first = await startServer({ ...ceph.config, port: 0, databaseUrl: postgres.url });
    const md5 = createHash('md5').update(bytes).digest('base64');
    const call = (server: RunningServer, path: string, body?: unknown) => fetch(`${server.url}${path}`, {
      method: body ? 'POST' : 'GET', headers: { authorization: `Bearer ${ALICE.token}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body),
    }).then((r) => r.json());
    const signed = await call(first, '/objects/sign', { objects: [{ key, size: 300, md5 }] });
    await fetch(signed.urls[0].url, { method: 'PUT', headers: signed.urls[0].headers, body: Buffer.from(bytes) });
    // Record the object as received but stop the server before its validator runs.
    const { default: pg } = await import('pg');
    await first.close();
    const client = new pg.Client({ connectionString: postgres.url });
    await client.connect();
    await client.query(`UPDATE submissions SET status = 'VALIDATING', size = 300, sha256 = $2 WHERE key = $1`, [key, createHash('sha256').update(bytes).digest('hex')]);
    await client.end();
    const second = await startServer({ ...ceph.config, port: 0, databaseUrl: postgres.url });
    await second.validator.idle();
    const history = await call(second, `/objects/history?key=${encodeURIComponent(key)}`);
    assert.equal(history.submissions[0].status, 'ACCEPTED');
    await second.close();
  });
});

describe('validation jobs', () => {
  const call = async (server: RunningServer, path: string, body?: unknown, token: string = ALICE.token) => {
    const response = await fetch(`${server.url}${path}`, {
      method: body ? 'POST' : 'GET', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: await response.json() };
  };
  async function store(server: RunningServer, token: string, files: { key: string; bytes: Uint8Array; category?: string }[], confirm = true) {
    const signed = await call(server, '/objects/sign', { objects: files.map((f) => ({ key: f.key, size: f.bytes.length, md5: createHash('md5').update(f.bytes).digest('base64'), category: f.category ?? '' })) }, token);
    assert.equal(signed.status, 200, JSON.stringify(signed.body));
    for (const [i, f] of files.entries()) {
      const put = await fetch(signed.body.urls[i].url, { method: 'PUT', headers: signed.body.urls[i].headers, body: Buffer.from(f.bytes) });
      assert.equal(put.status, 200);
    }
    if (!confirm) return;
    const confirmed = await call(server, '/objects/confirm', { objects: files.map((f) => ({ key: f.key, size: f.bytes.length, sha256: createHash('sha256').update(f.bytes).digest('hex') })) }, token);
    assert.equal(confirmed.status, 200, JSON.stringify(confirmed.body));
  }

  it('serves users in turn: one user\'s one file is validated right after the first of another user\'s thirty', async () => {
    const stamp = Date.now();
    // This instance only queues (DROPOFF_RUN_JOBS=false); a worker started afterwards validates one at a time. Every
    // validation is a job here (confirmValidationMaxBytes 0): a small object's is otherwise done by its confirm.
    const front = await startServer({ ...ceph.config, port: 0, databaseUrl: postgres.url, runJobs: false, jobs: { confirmValidationMaxBytes: 0 } });
    const aliceFiles = Array.from({ length: 30 }, (_, i) => ({ key: `${ALICE.space}fair-${stamp}/${i}.bin`, bytes: new Uint8Array([i]) }));
    await store(front, ALICE.token, aliceFiles);
    await store(front, BOB.token, [{ key: `${BOB.space}fair-${stamp}/one.bin`, bytes: new Uint8Array([1]) }]);
    const worker = await startServer({ ...ceph.config, port: 0, databaseUrl: postgres.url, jobs: { concurrency: 1 } });
    try {
      await worker.validator.idle();
      const { default: pg } = await import('pg');
      const client = new pg.Client({ connectionString: postgres.url });
      await client.connect();
      const order = (await client.query(`SELECT user_id FROM submissions WHERE key LIKE $1 ORDER BY updated_at, id`, [`%/fair-${stamp}/%`])).rows.map((r) => r.user_id);
      await client.end();
      assert.equal(order.length, 31);
      assert.ok(order.indexOf(BOB.space.slice(0, -1)) <= 1, `bob's file validated at position ${order.indexOf(BOB.space.slice(0, -1))} of ${order.join(',')}`);
    } finally {
      await worker.close();
      await front.close();
    }
  });

  it('accepts an object whose category is named like an Object property (valueOf)', async () => {
    const server = await startServer({ ...ceph.config, port: 0, databaseUrl: postgres.url });
    try {
      const key = `${ALICE.space}valueof-${Date.now()}.bin`;
      await store(server, ALICE.token, [{ key, bytes: new Uint8Array(64).fill(1), category: 'valueOf' }]);
      await server.validator.idle();
      const history = await call(server, `/objects/history?key=${encodeURIComponent(key)}`);
      assert.equal(history.body.submissions[0].status, 'ACCEPTED');
    } finally {
      await server.close();
    }
  });

  it('retires stale AUTHORIZED records: stored but never confirmed is validated, never stored is FAILED', async () => {
    const server = await startServer({ ...ceph.config, port: 0, urlExpiresSeconds: 4, jobs: { authorizedGraceSeconds: 0 } });
    try {
      const stamp = Date.now();
      const stored = { key: `${ALICE.space}stale-${stamp}/stored.bin`, bytes: new Uint8Array(10).fill(4) };
      const never = `${ALICE.space}stale-${stamp}/never.bin`;
      await store(server, ALICE.token, [stored], false);
      await call(server, '/objects/sign', { objects: [{ key: never, size: 1, md5: createHash('md5').update(new Uint8Array(1)).digest('base64') }] });
      // Past the URLs' lifetime (4 s): neither can change any more.
      await new Promise((resolve) => setTimeout(resolve, 4500));
      await server.validator.sweep();
      await server.validator.idle();
      const [storedNow] = (await call(server, `/objects/history?key=${encodeURIComponent(stored.key)}`)).body.submissions;
      assert.equal(storedNow.status, 'ACCEPTED');
      const [neverNow] = (await call(server, `/objects/history?key=${encodeURIComponent(never)}`)).body.submissions;
      assert.equal(neverNow.status, 'FAILED');
      assert.match(neverNow.message, /never stored before its upload URL expired/);
    } finally {
      await server.close();
    }
  });

  it('pages through the history of a key', async () => {
    const server = await startServer({ ...ceph.config, port: 0, databaseUrl: postgres.url });
    try {
      const key = `${ALICE.space}history-pages-${Date.now()}.bin`;
      for (let i = 0; i < 5; i++) await call(server, '/objects/sign', { objects: [{ key, size: 1, md5: createHash('md5').update(new Uint8Array(1)).digest('base64') }] });
      const first = await call(server, `/objects/history?key=${encodeURIComponent(key)}&limit=2`);
      assert.equal(first.body.submissions.length, 2);
      const second = await call(server, `/objects/history?key=${encodeURIComponent(key)}&limit=2&cursor=${first.body.cursor}`);
      const third = await call(server, `/objects/history?key=${encodeURIComponent(key)}&limit=2&cursor=${second.body.cursor}`);
      assert.equal(third.body.submissions.length, 1);
      assert.equal(third.body.cursor, undefined);
      const ids = [...first.body.submissions, ...second.body.submissions, ...third.body.submissions].map((s: { id: number }) => s.id);
      assert.deepEqual(ids, [...ids].sort((a, b) => b - a));
      assert.equal(new Set(ids).size, 5);
    } finally {
      await server.close();
    }
  });
});

describe('validation reads a small object back once', () => {
  /** A proxy in front of Ceph RGW that counts the requests the server makes, by method. */
  let counter: FaultProxy;
  before(async () => {
    counter = await startFaultProxy(Number(new URL(ceph.s3.endpoint).port), 'storage');
  });
  after(async () => {
    await counter?.close();
  });

  /** A validator on Ceph RGW, reached through the counting proxy; `requests()` says what it sent since it was made. */
  function countingValidator() {
    counter.script([]);
    const settings = { ...ceph.s3, endpoint: counter.url };
    const client = createS3Client(settings);
    const store = new UploadStore(client, new ObjectReader(client, settings), ceph.s3.bucket, 3600);
    const requests = () => counter.log().forwarded;
    return { validator: new Validator(store), store, requests, client };
  }

  async function stored(key: string, bytes: Uint8Array): Promise<string> {
    const client = createS3Client(ceph.s3);
    await client.send(new PutObjectCommand({ Bucket: ceph.s3.bucket, Key: key, Body: bytes }));
    client.destroy();
    return createHash('sha256').update(bytes).digest('hex');
  }

  const submission = (key: string, size: number, sha256: string, category: string) =>
    ({ key, size, sha256, category, userId: 'alice', uploadId: null, uploadToken: null, validationRuns: 0 }) as unknown as StoredSubmission;

  it('checks size, SHA-256 and the category from one GET (no HEAD, no second read), and fails each with its reason', async () => {
    const prefix = `${ALICE.space}read-once-${Date.now()}/`;
    const bytes = miniseed();
    const sha = await stored(`${prefix}ok.mseed`, bytes);
    const notSeismic = new TextEncoder().encode('plain text that is no miniSEED record, long enough to be read as one');
    const textSha = await stored(`${prefix}text.mseed`, notSeismic);
    const cases: [string, StoredSubmission, RegExp | undefined][] = [
      ['valid', submission(`${prefix}ok.mseed`, bytes.length, sha, 'miniseed'), undefined],
      ['another SHA-256', submission(`${prefix}ok.mseed`, bytes.length, 'e'.repeat(64), 'miniseed'), /SHA-256 .* not the e{64}/],
      ['another size', submission(`${prefix}ok.mseed`, bytes.length + 1, sha, 'miniseed'), /holds 512 bytes but 513 were sent/],
      ['not its category', submission(`${prefix}text.mseed`, notSeismic.length, textSha, 'miniseed'), /Not a valid miniseed object/],
      ['gone', submission(`${prefix}missing.bin`, 10, sha, ''), /no longer in the storage/],
    ];
    for (const [label, candidate, expected] of cases) {
      const { validator, requests, client } = countingValidator();
      const problem = await validator.problem(candidate);
      client.destroy();
      if (expected) assert.match(problem ?? '', expected, label);
      else assert.equal(problem, undefined, label);
      assert.deepEqual(requests(), { GET: 1 }, label);
    }
  });

  it('the confirm reads a small object with one GET (no HEAD) and judges it; a larger one gets a HEAD and no judgement', async () => {
    const prefix = `${ALICE.space}confirm-read-${Date.now()}/`;
    const bytes = miniseed();
    const sha = await stored(`${prefix}ok.mseed`, bytes);
    const md5 = createHash('md5').update(bytes).digest('base64');
    const small = countingValidator();
    const report = await reportStored(small.store, `${prefix}ok.mseed`, bytes.length, sha, md5, small.validator);
    small.client.destroy();
    assert.deepEqual(small.requests(), { GET: 1 });
    assert.equal(report.status, 'VALIDATING');
    assert.equal(report.validated, null);
    const lied = countingValidator();
    const liedReport = await reportStored(lied.store, `${prefix}ok.mseed`, bytes.length, 'e'.repeat(64), md5, lied.validator);
    lied.client.destroy();
    assert.match(liedReport.validated ?? '', /SHA-256 .* not the e{64}/);
    const otherMd5 = countingValidator();
    const mismatch = await reportStored(otherMd5.store, `${prefix}ok.mseed`, bytes.length, sha, createHash('md5').update('other').digest('base64'), otherMd5.validator);
    otherMd5.client.destroy();
    assert.equal(mismatch.reason, 'digest_mismatch');
    assert.equal(mismatch.validated, undefined);
    const large = countingValidator();
    const tight = new Validator(large.store, { confirmMaxBytes: bytes.length - 1 });
    const largeReport = await reportStored(large.store, `${prefix}ok.mseed`, bytes.length, sha, md5, tight);
    large.client.destroy();
    assert.deepEqual(large.requests(), { HEAD: 1 });
    assert.equal(largeReport.status, 'VALIDATING');
    assert.equal(largeReport.validated, undefined);
  });
});

describe('a small object is validated by its confirm', () => {
  /** Signs, PUTs and confirms `files` on `server`; returns the confirm's answer. */
  async function submitAll(server: RunningServer, files: { key: string; bytes: Uint8Array; category?: string; sha256?: string; claimedSize?: number }[]) {
    const call = async (path: string, body: unknown) => {
      const response = await fetch(`${server.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${ALICE.token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      return { status: response.status, body: await response.json() };
    };
    const signed = await call('/objects/sign', { objects: files.map((f) => ({ key: f.key, size: f.bytes.length, md5: createHash('md5').update(f.bytes).digest('base64'), category: f.category ?? '' })) });
    assert.equal(signed.status, 200, JSON.stringify(signed.body));
    for (const [i, f] of files.entries()) {
      const put = await fetch(signed.body.urls[i].url, { method: 'PUT', headers: signed.body.urls[i].headers, body: Buffer.from(f.bytes) });
      assert.equal(put.status, 200);
    }
    const confirm = { objects: files.map((f) => ({ key: f.key, size: f.claimedSize ?? f.bytes.length, sha256: f.sha256 ?? createHash('sha256').update(f.bytes).digest('hex') })) };
    const confirmed = await call('/objects/confirm', confirm);
    assert.equal(confirmed.status, 200, JSON.stringify(confirmed.body));
    return { confirmed: confirmed.body.objects as { key: string; status: string }[], again: async () => (await call('/objects/confirm', confirm)).body.objects as { status: string }[] };
  }

  async function statuses(server: RunningServer, keys: readonly string[]): Promise<string[]> {
    return Promise.all(keys.map(async (key) => {
      const response = await fetch(`${server.url}/objects/history?key=${encodeURIComponent(key)}`, { headers: { authorization: `Bearer ${ALICE.token}` } });
      const body = await response.json() as { submissions: { status: string; message?: string }[] };
      return `${body.submissions[0]!.status}${body.submissions[0]!.message ? `: ${body.submissions[0]!.message}` : ''}`;
    }));
  }

  for (const database of ['pglite', 'postgresql'] as const) {
    it(`settles small objects before the confirm answers, with no job; larger ones wait for their job (${database})`, async () => {
      const lines: string[] = [];
      // Objects up to 600 bytes are validated by the confirm here; the 1,000-byte one is not.
      const server = await startServer({ ...ceph.config, port: 0, databaseUrl: database === 'postgresql' ? postgres.url : undefined, runJobs: false, jobs: { confirmValidationMaxBytes: 600 } }, (line) => lines.push(line));
      const prefix = `${ALICE.space}confirm-validates-${database}-${Date.now()}/`;
      const files = [
        { key: `${prefix}ok.mseed`, bytes: miniseed(), category: 'miniseed' },
        { key: `${prefix}text.mseed`, bytes: new TextEncoder().encode('plain text that is no miniSEED record, long enough to be read as one'), category: 'miniseed' },
        { key: `${prefix}lied.bin`, bytes: new Uint8Array(100).fill(9), sha256: 'a'.repeat(64) },
        { key: `${prefix}large.bin`, bytes: new Uint8Array(1000).fill(5) },
        // Stored with 200 bytes, confirmed as 201: the read stops at the size and the upload is refused.
        { key: `${prefix}other-size.bin`, bytes: new Uint8Array(200).fill(6), claimedSize: 201 },
      ];
      try {
        const { confirmed, again } = await submitAll(server, files);
        // The answer is about the upload: every object was stored as sent.
        assert.deepEqual(confirmed.map((o) => o.status), ['VALIDATING', 'VALIDATING', 'VALIDATING', 'VALIDATING', 'FAILED']);
        assert.equal((confirmed[4] as { message?: string }).message, 'The storage holds 200 bytes but 201 were sent.');
        // This server runs no jobs, so only the confirm can have settled the first three.
        const now = await statuses(server, files.map((f) => f.key));
        assert.equal(now[0], 'ACCEPTED');
        assert.match(now[1]!, /^FAILED: Not a valid miniseed object/);
        assert.match(now[2]!, /^FAILED: The stored bytes have SHA-256 .* not the a{64} the client computed/);
        assert.equal(now[3], 'VALIDATING');
        assert.equal(now[4], 'FAILED: The storage holds 200 bytes but 201 were sent.');
        assert.ok(!lines.some((l) => l.startsWith('validated')), lines.join('\n'));
        // A repeated confirm (its answer lost) is answered from the record and queues nothing new.
        assert.deepEqual((await again()).map((o) => o.status), ['ACCEPTED', 'FAILED', 'FAILED', 'VALIDATING', 'FAILED']);
      } finally {
        await server.close();
      }
      if (database === 'pglite') return;
      // A worker on the same database finds the larger object's job (and none for the others).
      const workerLines: string[] = [];
      const worker = await startServer({ ...ceph.config, port: 0, databaseUrl: postgres.url }, (line) => workerLines.push(line));
      try {
        await worker.validator.idle();
        assert.deepEqual((await statuses(worker, files.map((f) => f.key))).map((s) => s.split(':')[0]), ['ACCEPTED', 'FAILED', 'FAILED', 'ACCEPTED', 'FAILED']);
        assert.deepEqual(workerLines.filter((l) => l.startsWith('validated') && l.includes(prefix)).map((l) => l.split(' ')[1]), [JSON.stringify(files[3]!.key)]);
      } finally {
        await worker.close();
      }
    });
  }
});
