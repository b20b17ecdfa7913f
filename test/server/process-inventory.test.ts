/**
 * Processing on the reference server in front of Ceph RGW: a staged folder of real miniSEED files (libmseed's example
 * and files repacked from it by libmseed's tools) to its inventory, checked against what libmseed prints; a corrupt
 * or cut-short file failing its task with the record and byte, while everything else carries on; bad bodies, nothing
 * to process, and another user's task ids.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalStack, type LocalStack } from '../../scripts/stack/local-stack.ts';
import { makeMiniseedFolder, TEST_MSEED, type MiniseedFile } from '../support/miniseed-files.ts';
import { callApi, stageFiles, taskEnd } from '../support/stage-objects.ts';
import { ALICE, BOB, TEST_TOKENS } from '../support/test-users.ts';

let stack: LocalStack;
let dir: string;
let files: MiniseedFile[];
let counter = 0;
const folder = (name: string) => `process-test/${Date.now()}-${counter++}-${name}/`;
const api = (method: string, path: string, body?: unknown, token: string | null = ALICE.token, raw?: string) => callApi(stack.serverUrl, method, path, token, body, raw);

function expectError(answer: { status: number; body: any }, status: number, code: string): void {
  assert.equal(answer.status, status, JSON.stringify(answer.body));
  assert.equal(answer.body.error.code, code);
  assert.equal(typeof answer.body.error.message, 'string');
}

/** Time `iso` plus `seconds`, as the inventory writes times (microseconds). */
function plusSeconds(iso: string, seconds: number): string {
  const [whole, fraction] = iso.replace('Z', '').split('.');
  return `${new Date(Date.parse(`${whole}Z`) + seconds * 1000).toISOString().slice(0, 19)}.${fraction}Z`;
}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dropoff-process-'));
  [stack, files] = await Promise.all([startLocalStack({ storage: 'ceph', tokens: TEST_TOKENS }), makeMiniseedFolder(join(dir, 'mseed'))]);
});

after(async () => {
  await stack?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('the miniseed inventory', () => {
  it('inventories a staged folder of real miniSEED files as libmseed reads them', async () => {
    const name = folder('inventory');
    const keys = await stageFiles(stack.serverUrl, ALICE.token, `${ALICE.space}${name}`, files);
    // An object of another category under the same prefix is not the miniseed processor's.
    await stageFiles(stack.serverUrl, ALICE.token, `${ALICE.space}${name}`, [{ name: 'notes.txt', bytes: Buffer.from('field notes') }], 'notes');
    // The seed's body: the folder's name, relative to the user's space (a collection id).
    const started = await api('POST', '/process', { filename: name });
    assert.equal(started.status, 202, JSON.stringify(started.body));
    assert.equal(started.body.prefix, `${ALICE.space}${name}`);
    assert.equal(started.body.tasks.length, 1);
    const [task] = started.body.tasks;
    assert.equal(task.processor, 'miniseed');
    assert.equal(task.objects, files.length);
    assert.equal(started.body.miniseed_task_id, task.id);

    const done = await taskEnd(stack.serverUrl, ALICE.token, task.id);
    assert.equal(done.status, 'succeeded', done.error);
    assert.ok(done.createdAt <= done.startedAt && done.startedAt <= done.finishedAt, JSON.stringify(done));
    assert.deepEqual(done.progress, { objectsDone: files.length, objectsTotal: files.length });
    assert.equal(done.summary, `${files.length} objects, ${files.length} streams, ${files.reduce((n, f) => n + f.expected.records, 0)} records`);
    const result = done.result;
    assert.deepEqual(result.objects.map((o: { key: string }) => o.key), [...keys].sort());
    for (const file of files) {
      const object = result.objects.find((o: { key: string }) => o.key.endsWith(`/${file.name}`));
      assert.equal(object.size, file.bytes.length);
      assert.equal(object.records, file.expected.records, file.name);
      assert.equal(object.format, 2);
      assert.equal(object.streams.length, 1);
      const [stream] = object.streams;
      const { records, samples, network, station, location, channel } = file.expected;
      assert.deepEqual({ network: stream.network, station: stream.station, location: stream.location, channel: stream.channel, records: stream.records, samples: stream.samples },
        { network, station, location, channel, records, samples }, file.name);
      assert.equal(stream.sampleRate, 1);
      assert.equal(stream.firstSample, TEST_MSEED.firstSample, file.name);
    }
    const original = result.objects.find((o: { key: string }) => o.key.endsWith('/test.mseed')).streams[0];
    // libmseed's msview: the last record (27 samples) starts at 07:59:33.069538.
    assert.equal(original.lastSample, TEST_MSEED.lastSample);
    // Repacked by sac2mseed from SAC (whose start time it keeps to the microsecond): 4200 samples at 1 Hz.
    const repacked = result.objects.find((o: { key: string }) => o.key.endsWith('/sta1-le-256.mseed')).streams[0];
    assert.equal(repacked.lastSample, plusSeconds(TEST_MSEED.firstSample, 4199));
    assert.deepEqual(result.totals, { objects: files.length, records: files.reduce((n, f) => n + f.expected.records, 0), bytes: files.reduce((n, f) => n + f.bytes.length, 0) });
    assert.deepEqual(result.streams.map((s: { network: string; station: string }) => `${s.network}.${s.station}`), ['IU.COLA', 'XX.STA1', 'XX.STA2', 'YY.STA3']);

    const listed = await api('GET', '/tasks');
    assert.equal(listed.status, 200);
    const entry = listed.body.tasks.find((t: { id: string }) => t.id === task.id);
    assert.equal(entry.status, 'succeeded');
    assert.equal(entry.result, undefined, 'the list leaves results out');
    // Only the tasks of a prefix: the folder itself, or a folder above it; not one that merely starts alike.
    for (const [under, listed] of [[`${ALICE.space}${name}`, true], [`${ALICE.space}process-test/`, true], [`${ALICE.space}${name.slice(0, -1)}0/`, false]] as const) {
      const page = await api('GET', `/tasks?prefix=${encodeURIComponent(under)}`);
      assert.equal(page.status, 200);
      assert.equal(page.body.tasks.some((t: { id: string }) => t.id === task.id), listed, under);
    }
    expectError(await api('GET', `/tasks?prefix=${encodeURIComponent(BOB.space)}`), 403, 'forbidden_key');
  });

  it('takes a prefix of the space as given, and a single key', async () => {
    const prefix = `${ALICE.space}${folder('as-given')}`;
    const [key] = await stageFiles(stack.serverUrl, ALICE.token, prefix, [files[0]!]);
    const byPrefix = await api('POST', '/process', { filename: prefix });
    assert.equal(byPrefix.status, 202, JSON.stringify(byPrefix.body));
    const byKey = await api('POST', '/process', { filename: key });
    assert.equal(byKey.status, 202, JSON.stringify(byKey.body));
    assert.equal(byKey.body.prefix, key);
    for (const id of [byPrefix.body.miniseed_task_id, byKey.body.miniseed_task_id]) {
      const done = await taskEnd(stack.serverUrl, ALICE.token, id);
      assert.equal(done.status, 'succeeded', done.error);
      assert.equal(done.result.totals.records, TEST_MSEED.records);
    }
  });
});

describe('a failing processor', () => {
  it('fails the task of a corrupt file with the record and byte; the objects and other tasks are untouched', async () => {
    const original = files[0]!.bytes;
    // The first two records are sound (validation reads only the first), the third is overwritten with text.
    const corrupt = Buffer.from(original);
    corrupt.fill(0x41, 1024, 1536);
    const truncated = original.subarray(0, original.length - 100);
    const badName = folder('corrupt');
    const cutName = folder('cut');
    const goodName = folder('good');
    await stageFiles(stack.serverUrl, ALICE.token, `${ALICE.space}${badName}`, [{ name: 'a-good.mseed', bytes: original }, { name: 'b-corrupt.mseed', bytes: corrupt }]);
    await stageFiles(stack.serverUrl, ALICE.token, `${ALICE.space}${cutName}`, [{ name: 'cut.mseed', bytes: truncated }]);
    await stageFiles(stack.serverUrl, ALICE.token, `${ALICE.space}${goodName}`, [{ name: 'good.mseed', bytes: original }]);
    const [bad, cut, good] = await Promise.all([badName, cutName, goodName].map((filename) => api('POST', '/process', { filename })));
    for (const answer of [bad, cut, good]) assert.equal(answer!.status, 202, JSON.stringify(answer!.body));

    const failed = await taskEnd(stack.serverUrl, ALICE.token, bad!.body.miniseed_task_id);
    assert.equal(failed.status, 'failed');
    assert.match(failed.error, /b-corrupt\.mseed: record 3 \(at byte 1024\) is not a miniSEED record: it does not begin with a six-digit sequence number/);
    assert.equal(failed.attempts, 1, 'a corrupt file is not retried');
    assert.ok(failed.finishedAt);
    assert.equal(failed.result, undefined);
    const cutShort = await taskEnd(stack.serverUrl, ALICE.token, cut!.body.miniseed_task_id);
    assert.equal(cutShort.status, 'failed');
    assert.match(cutShort.error, /cut\.mseed: record 36 \(at byte 17920\) is cut short: the object ends 412 bytes into a 512-byte record/);

    const fine = await taskEnd(stack.serverUrl, ALICE.token, good!.body.miniseed_task_id);
    assert.equal(fine.status, 'succeeded', fine.error);
    // Nothing was lost: the objects stay stored and ACCEPTED, and the same folder can be processed again.
    const objects = await api('GET', `/objects?prefix=${encodeURIComponent(`${ALICE.space}${badName}`)}`);
    assert.deepEqual(objects.body.objects.map((o: { status: string }) => o.status), ['ACCEPTED', 'ACCEPTED']);
    const again = await api('POST', '/process', { filename: badName });
    assert.equal(again.status, 202);
    assert.equal((await taskEnd(stack.serverUrl, ALICE.token, again.body.miniseed_task_id)).status, 'failed');
  });

  it('skips objects that failed validation, and fails a task when none passed', async () => {
    const name = folder('invalid');
    const garbage = Buffer.alloc(2048, 0x20);
    await stageFiles(stack.serverUrl, ALICE.token, `${ALICE.space}${name}`, [{ name: 'garbage.mseed', bytes: garbage }]);
    const started = await api('POST', '/process', { filename: name });
    assert.equal(started.status, 202, JSON.stringify(started.body));
    const done = await taskEnd(stack.serverUrl, ALICE.token, started.body.miniseed_task_id);
    assert.equal(done.status, 'failed');
    assert.match(done.error, /None of the 1 object\(s\) passed validation \(.*garbage\.mseed: Not a valid miniseed object/);

    await stageFiles(stack.serverUrl, ALICE.token, `${ALICE.space}${name}`, [{ name: 'good.mseed', bytes: files[0]!.bytes }]);
    const mixed = await api('POST', '/process', { filename: name });
    const result = await taskEnd(stack.serverUrl, ALICE.token, mixed.body.miniseed_task_id);
    assert.equal(result.status, 'succeeded', result.error);
    assert.equal(result.result.totals.objects, 1);
    assert.deepEqual(result.result.skipped.map((s: { key: string }) => s.key), [`${ALICE.space}${name}garbage.mseed`]);
    assert.match(result.summary, /1 skipped \(validation failed\)/);
  });
});

describe('requests the processing routes refuse', () => {
  it('answers 400 to bad bodies, 401 without a token, 403 outside the space, 422 when nothing applies', async () => {
    expectError(await api('POST', '/process', {}), 400, 'invalid_request');
    expectError(await api('POST', '/process', { filename: 42 }), 400, 'invalid_request');
    expectError(await api('POST', '/process', { filename: '' }), 400, 'invalid_request');
    expectError(await api('POST', '/process', { filename: 'a\u0000b' }), 400, 'invalid_request');
    expectError(await api('POST', '/process', undefined, ALICE.token, '{"filename": '), 400, 'invalid_request');
    expectError(await api('POST', '/process', { filename: 'x' }, null), 401, 'unauthorized');
    expectError(await api('GET', '/tasks', undefined, null), 401, 'unauthorized');
    expectError(await api('GET', `/tasks/${randomUUID()}`, undefined, 'wrong-token-123456'), 401, 'unauthorized');
    expectError(await api('POST', '/process', { filename: `${ALICE.space}../bob/` }), 403, 'forbidden_key');
    const nothing = await api('POST', '/process', { filename: folder('empty') });
    expectError(nothing, 422, 'nothing_to_process');
    assert.match(nothing.body.error.message, /Nothing is staged under "alice\/process-test\//);
    const name = folder('no-processor');
    await stageFiles(stack.serverUrl, ALICE.token, `${ALICE.space}${name}`, [{ name: 'a.bin', bytes: Buffer.from('abc') }], 'other');
    const none = await api('POST', '/process', { filename: name });
    expectError(none, 422, 'nothing_to_process');
    assert.match(none.body.error.message, /None of the 1 object\(s\) .* is of a category a processor takes \(miniseed\)/);
    expectError(await api('GET', '/tasks/not-a-task-id'), 400, 'invalid_request');
    expectError(await api('GET', '/tasks?limit=0'), 400, 'invalid_request');
  });

  it("answers another user's task id exactly as one that does not exist (404), and lists only one's own tasks", async () => {
    const name = folder('bobs');
    await stageFiles(stack.serverUrl, BOB.token, `${BOB.space}${name}`, [files[0]!]);
    const bobs = await api('POST', '/process', { filename: name }, BOB.token);
    assert.equal(bobs.status, 202, JSON.stringify(bobs.body));
    const id = bobs.body.miniseed_task_id;
    const stranger = await api('GET', `/tasks/${id}`);
    const missing = await api('GET', `/tasks/${randomUUID()}`);
    expectError(stranger, 404, 'not_found');
    assert.deepEqual(stranger.body, missing.body);
    assert.ok(!(await api('GET', '/tasks?limit=200')).body.tasks.some((t: { id: string }) => t.id === id));
    // Alice naming Bob's folder processes her own space's folder of that name (nothing there), never Bob's.
    expectError(await api('POST', '/process', { filename: `${BOB.space}${name}` }), 422, 'nothing_to_process');
    assert.equal((await taskEnd(stack.serverUrl, BOB.token, id)).status, 'succeeded');
  });
});
