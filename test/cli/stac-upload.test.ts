/**
 * `dropoff stac-upload` as a user runs it, against the reference server's STAC API on Ceph RGW (the server signs part
 * URLs for a fault proxy in front of the storage): Basic credentials from the environment, a Bearer token with --json,
 * an asset URL as the endpoint, "already in progress" with and without --take-over, a failed part and the rerun that
 * resumes, wrong credentials, and calls that are wrong (exit code 2).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalStack, type LocalStack } from '../../scripts/stack/local-stack.ts';
import { startServer, type RunningServer } from '../../server/main.ts';
import { hashPassword } from '../../server/stac/password-hash.ts';
import { parseBasicUsers } from '../../server/stac/stac-config.ts';
import { startFaultProxy, type FaultProxy } from '../support/fault-proxy.ts';
import { runCli } from '../support/run-cli.ts';
import { stac, type Credentials } from '../support/stac-client.ts';
import { ALICE, TEST_TOKENS } from '../support/test-users.ts';

const MiB = 1024 * 1024;
const PASSWORD = 'alice stac cli password';
const alice: Credentials = { user: 'alice', password: PASSWORD };
let stack: LocalStack;
let server: RunningServer;
let proxy: FaultProxy;
let base: string;
let dir: string;
let env: Record<string, string>;
let counter = 0;

before(async () => {
  stack = await startLocalStack({ storage: 'ceph', tokens: TEST_TOKENS, stac: { basicUsers: parseBasicUsers(`alice:${await hashPassword(PASSWORD)}`) } });
  proxy = await startFaultProxy(Number(new URL(stack.s3.endpoint).port), 'storage');
  server = await startServer({ ...stack.config, port: 0, s3: { ...stack.s3, endpoint: proxy.url } });
  base = `${server.url}/stac/v1`;
  dir = await mkdtemp(join(tmpdir(), 'dropoff-stac-cli-'));
  env = {
    XDG_CACHE_HOME: join(dir, 'cache'), XDG_CONFIG_HOME: join(dir, 'config'),
    DROPOFF_STAC_ENDPOINT: base, DROPOFF_STAC_USER: 'alice', DROPOFF_STAC_PASSWORD: PASSWORD, DROPOFF_STAC_TOKEN: '',
  };
});

after(async () => {
  await server?.close();
  await proxy?.close();
  await stack?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** A fresh collection, item and asset of Alice's: the flags that name it, and its path. */
async function freshAsset(): Promise<{ flags: string[]; path: string }> {
  const n = counter++;
  const collection = `ch.test.cli-${Date.now()}-${n}`;
  const item = `item-${n}`;
  const asset = `data-${n}.bin`;
  assert.equal((await stac(base, 'PUT', `/collections/${collection}`, alice, { id: collection, description: 'CLI tests', license: 'proprietary' })).status, 201);
  assert.equal((await stac(base, 'PUT', `/collections/${collection}/items/${item}`, alice, {
    id: item, geometry: { type: 'Point', coordinates: [7.44, 46.95] }, properties: { datetime: '2026-11-30T08:00:00Z' },
  })).status, 201);
  assert.equal((await stac(base, 'PUT', `/collections/${collection}/items/${item}/assets/${asset}`, alice, { id: asset, type: 'application/octet-stream' })).status, 201);
  return { flags: ['--collection', collection, '--item', item, '--asset', asset], path: `collections/${collection}/items/${item}/assets/${asset}` };
}

async function onDisk(name: string, size: number): Promise<{ path: string; sha256: string }> {
  const bytes = randomBytes(size);
  const path = join(dir, name);
  await writeFile(path, bytes);
  return { path, sha256: createHash('sha256').update(bytes).digest('hex') };
}

async function checksumOf(path: string): Promise<string | undefined> {
  return (await stac(base, 'GET', `/${path}`, alice)).body['file:checksum'];
}

describe('dropoff stac-upload', () => {
  it('uploads a file with Basic credentials from the environment, and says what it stored', async () => {
    proxy.script([]);
    const asset = await freshAsset();
    const source = await onDisk('basic.bin', 12 * MiB + 5);
    const result = await runCli(['stac-upload', ...asset.flags, '-s', source.path, '--part-size', '5MiB'], env);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, new RegExp(`Stored basic\\.bin \\(12\\.0 MiB\\) as ${asset.path.replaceAll('.', '\\.')} in .*file:checksum 1220${source.sha256}`));
    assert.match(result.stderr, /Hashing basic\.bin/);
    assert.equal(proxy.log().forwarded.PUT, 3);
    assert.equal(await checksumOf(asset.path), `1220${source.sha256}`);
  });

  it('uploads with a Bearer token to an asset named by its URL, reporting JSON', async () => {
    const asset = await freshAsset();
    const source = await onDisk('bearer.bin', 1000);
    const result = await runCli(['stac-upload', '--endpoint', `${base}/${asset.path}`, '-s', source.path, '--json'],
      { ...env, DROPOFF_STAC_USER: '', DROPOFF_STAC_PASSWORD: '', DROPOFF_STAC_TOKEN: ALICE.token });
    assert.equal(result.code, 0, result.stderr);
    const report = JSON.parse(result.stdout);
    assert.equal(report.asset, asset.path);
    assert.equal(report.stored.checksum, `1220${source.sha256}`);
    assert.equal(report.stored.size, 1000);
    assert.equal(report.stored.status, 'ACCEPTED');
    assert.equal(report.interrupted, false);
  });

  it('fails naming the upload in progress, and takes it over with --take-over', async () => {
    const asset = await freshAsset();
    const other = await stac(base, 'POST', `/${asset.path}/uploads`, alice, {
      number_parts: 1, md5_parts: [{ part_number: 1, md5: createHash('md5').update('x').digest('base64') }], 'file:checksum': `1220${createHash('sha256').update('x').digest('hex')}`,
    });
    assert.equal(other.status, 201);
    const source = await onDisk('taken.bin', 2000);
    const refused = await runCli(['stac-upload', ...asset.flags, '-s', source.path], env);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, new RegExp(`already in progress \\(upload id ${other.body.upload_id}\\).*--take-over`, 's'));
    const taken = await runCli(['stac-upload', ...asset.flags, '-s', source.path, '--take-over'], env);
    assert.equal(taken.code, 0, taken.stderr);
    assert.equal(await checksumOf(asset.path), `1220${source.sha256}`);
    assert.equal((await stac(base, 'GET', `/${asset.path}/uploads/${other.body.upload_id}`, alice)).body.status, 'aborted');
  });

  it('keeps the upload when a part fails with 500, and the same command run again sends only what is missing', async () => {
    const asset = await freshAsset();
    const source = await onDisk('resumed.bin', 12 * MiB);
    proxy.script([{ method: 'PUT', path: 'partNumber=3&', status: 500, action: 'status' }]);
    const failed = await runCli(['stac-upload', ...asset.flags, '-s', source.path, '--part-size', '5MiB', '--part-concurrency', '1'], env);
    assert.equal(failed.code, 1);
    assert.match(failed.stderr, /kept on the server: retry to continue it/);
    proxy.script([]);
    const again = await runCli(['stac-upload', ...asset.flags, '-s', source.path, '--part-size', '5MiB', '--json'], env);
    assert.equal(again.code, 0, again.stderr);
    assert.equal(proxy.log().putBytesForwarded, 2 * MiB, 'only part 3 was sent');
    assert.equal(await checksumOf(asset.path), `1220${source.sha256}`);
  });

  it('says what is wrong with the credentials (exit 1) and with the call (exit 2)', async () => {
    const asset = await freshAsset();
    const source = await onDisk('wrong.bin', 10);
    const wrong = await runCli(['stac-upload', ...asset.flags, '-s', source.path], { ...env, DROPOFF_STAC_PASSWORD: 'not it' });
    assert.equal(wrong.code, 1);
    assert.match(wrong.stderr, /401.*Check the user and password/);
    const cases: [string[], Record<string, string>, RegExp][] = [
      [['stac-upload', ...asset.flags, '-s', source.path], { DROPOFF_STAC_ENDPOINT: '' }, /No STAC API given/],
      [['stac-upload', ...asset.flags, '-s', source.path], { DROPOFF_STAC_USER: '', DROPOFF_STAC_PASSWORD: '' }, /No credentials/],
      [['stac-upload', ...asset.flags, '-s', source.path], { DROPOFF_STAC_PASSWORD: '' }, /No password for user "alice"/],
      [['stac-upload', '--collection', 'c', '-s', source.path], {}, /Name the asset/],
      [['stac-upload', ...asset.flags, '-s', join(dir, 'missing.bin')], {}, /cannot be read \(ENOENT\)/],
      [['stac-upload', ...asset.flags], {}, /required option '-s, --source <file>'/],
      [['stac-upload', ...asset.flags, '-s', source.path, '--part-size', '1MiB'], {}, /must be between 5\.0 MiB/],
    ];
    for (const [args, extra, expected] of cases) {
      const result = await runCli(args, { ...env, ...extra });
      assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
      assert.match(result.stderr, expected);
    }
  });
});
