/**
 * The `dropoff` command against the real reference server on Ceph RGW, with a counting proxy between the command and
 * the storage: folders with and without -r, several sources, standard input, Ctrl-C in the middle and a rerun that
 * sends only the missing parts, what an earlier run stored skipped, bad flags, a wrong token, a server that is down,
 * and the records commands as tables and JSON.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type RunningServer } from '../../server/main.ts';
import { listenOnLoopback, waitFor } from '../../scripts/stack/processes.ts';
import { startLocalStack, type LocalStack } from '../../scripts/stack/local-stack.ts';
import { startFaultProxy, type FaultProxy } from '../support/fault-proxy.ts';
import { readStoredObject } from '../support/stored-object.ts';
import { ALICE, TEST_TOKENS } from '../support/test-users.ts';
import { runCli, startCli } from '../support/run-cli.ts';

const MiB = 1024 * 1024;
let stack: LocalStack;
let proxy: FaultProxy;
let server: RunningServer;
let dir: string;
let env: Record<string, string>;
let counter = 0;

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const prefix = (name: string) => `${ALICE.space}cli/${Date.now()}-${counter++}-${name}/`;

async function writeTree(root: string, files: Record<string, number>): Promise<Record<string, Buffer>> {
  const contents: Record<string, Buffer> = {};
  for (const [path, size] of Object.entries(files)) {
    const bytes = randomBytes(size);
    await mkdir(join(root, path, '..'), { recursive: true });
    await writeFile(join(root, path), bytes);
    contents[path] = bytes;
  }
  return contents;
}

async function assertStored(key: string, bytes: Uint8Array): Promise<void> {
  const stored = await readStoredObject(stack.s3, key, 5 * MiB);
  assert.ok(stored.exists, `${key} is stored`);
  assert.equal(stored.sha256, sha256(bytes), `${key} holds the file's bytes`);
}

before(async () => {
  stack = await startLocalStack({ storage: 'ceph', tokens: TEST_TOKENS });
  proxy = await startFaultProxy(Number(new URL(stack.s3.endpoint).port), 'storage');
  // The server signs URLs for the proxy, so every byte the command sends to the storage is counted there.
  server = await startServer({ ...stack.config, port: 0, s3: { ...stack.s3, endpoint: proxy.url } });
  dir = await mkdtemp(join(tmpdir(), 'dropoff-cli-'));
  env = { XDG_CACHE_HOME: join(dir, 'cache'), XDG_CONFIG_HOME: join(dir, 'config'), DROPOFF_ENDPOINT: server.url, DROPOFF_TOKEN: ALICE.token };
});

after(async () => {
  await server?.close();
  await proxy?.close();
  await stack?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('dropoff upload', () => {
  it('sends only the top-level files of a folder without -r, and every file with paths relative to the folder with -r', async () => {
    const root = join(dir, 'tree');
    const contents = await writeTree(root, { 'a.mseed': 1000, 'b.mseed': 6 * MiB + 17, 'sub/c.mseed': 2000, 'sub/deep/d.mseed': 0 });
    const flat = prefix('flat');
    const first = await runCli(['upload', '-c', 'miniseed', '-d', flat, '-s', root, '--part-size', '5MiB', '--json'], env);
    assert.equal(first.code, 0, first.stderr);
    const report = JSON.parse(first.stdout) as { stored: { key: string; sha256: string; category: string }[] };
    assert.deepEqual(report.stored.map((s) => s.key).sort(), [`${flat}a.mseed`, `${flat}b.mseed`]);
    assert.ok(report.stored.every((s) => s.category === 'miniseed'));
    await assertStored(`${flat}a.mseed`, contents['a.mseed']!);
    await assertStored(`${flat}b.mseed`, contents['b.mseed']!);
    assert.equal((await readStoredObject(stack.s3, `${flat}sub/c.mseed`, 5 * MiB)).exists, false, 'nothing below the top level without -r');

    const deep = prefix('deep');
    const second = await runCli(['upload', '-c', 'miniseed', '-d', deep, '-s', root, '-r'], env);
    assert.equal(second.code, 0, second.stderr);
    assert.match(second.stdout, /Stored 4 of 4 files/);
    for (const path of Object.keys(contents)) await assertStored(`${deep}${path}`, contents[path]!);
    assert.equal((await readStoredObject(stack.s3, `${deep}tree/a.mseed`, 5 * MiB)).exists, false, "the folder's own name is not in the keys");
  });

  it('takes several sources, a file to a key, and standard input to a key', async () => {
    const root = join(dir, 'several');
    const contents = await writeTree(root, { 'x.bin': 300, 'y.bin': 400, 'one.bin': 500 });
    const to = prefix('several');
    const both = await runCli(['upload', '-d', to, '-s', join(root, 'x.bin'), '-s', join(root, 'y.bin')], env);
    assert.equal(both.code, 0, both.stderr);
    await assertStored(`${to}x.bin`, contents['x.bin']!);
    await assertStored(`${to}y.bin`, contents['y.bin']!);

    const key = `${to}renamed.bin`;
    const single = await runCli(['upload', '-d', key, '-s', join(root, 'one.bin')], env);
    assert.equal(single.code, 0, single.stderr);
    await assertStored(key, contents['one.bin']!);

    const piped = randomBytes(7 * MiB + 3);
    const stdinKey = `${to}stdin.bin`;
    const fromStdin = await runCli(['upload', '-c', 'miniseed', '-d', stdinKey, '-s', '-', '--part-size', '5MiB'], env, piped);
    assert.equal(fromStdin.code, 0, fromStdin.stderr);
    await assertStored(stdinKey, piped);
  });

  it('stops cleanly on Ctrl-C, says how to resume, and the same command again sends only what is missing', async () => {
    const root = join(dir, 'interrupted');
    const contents = await writeTree(root, { 'big.bin': 40 * MiB + 5, 'small-1.bin': 1000, 'small-2.bin': 2000 });
    const to = prefix('resume');
    const cache = join(dir, 'cache-resume');
    const runEnv = { ...env, XDG_CACHE_HOME: cache };
    // Category `other`: random bytes would fail the server's miniSEED check, and a FAILED file is rightly sent again.
    const args = ['upload', '-c', 'other', '-d', to, '-s', root, '--part-size', '5MiB', '--part-concurrency', '2', '--json', '-v'];
    // Slow PUTs, so the command is surely in the middle of the big file when it is interrupted.
    proxy.script([{ method: 'PUT', action: 'delay', delayMs: 400, times: -1 }]);
    const first = startCli(args, runEnv);
    const records = join(cache, 'dropoff', 'uploads');
    const partsRecorded = async () => {
      let parts: Record<string, { size: number }> = {};
      for (const name of await readdir(records).catch(() => [] as string[])) {
        if (!name.endsWith('.json')) continue;
        const record = JSON.parse(await readFile(join(records, name), 'utf8').catch(() => '{}')) as { parts?: Record<string, { size: number }> };
        parts = { ...parts, ...record.parts };
      }
      return parts;
    };
    await waitFor('two parts of the big file recorded', async () => Object.keys(await partsRecorded()).length >= 2, 60_000, 50);
    first.child.kill('SIGINT');
    const stopped = await first.done;
    assert.equal(stopped.code, 1, stopped.stderr);
    assert.match(stopped.stderr, /Interrupted/);
    assert.match(stopped.stderr, /run the same command again/);
    const report = JSON.parse(stopped.stdout) as { interrupted: boolean; stored: { key: string }[] };
    assert.equal(report.interrupted, true);
    const recorded = await partsRecorded();
    const recordedBytes = Object.values(recorded).reduce((sum, p) => sum + p.size, 0);
    assert.ok(recordedBytes > 0 && recordedBytes < contents['big.bin']!.length);
    const storedFirst = new Set(report.stored.map((s) => s.key));

    proxy.script([]);
    const second = await runCli(args, runEnv);
    assert.equal(second.code, 0, second.stderr);
    const expected = Object.entries(contents).filter(([path]) => !storedFirst.has(`${to}${path}`)).reduce((sum, [, bytes]) => sum + bytes.length, 0) - recordedBytes;
    assert.equal(proxy.log().putBytesForwarded, expected, `the rerun sends every byte not confirmed before, and nothing else: first ${stopped.stdout}, recorded ${JSON.stringify(recorded)}, then ${second.stdout} ${second.stderr} ${JSON.stringify(proxy.log())}`);
    for (const [path, bytes] of Object.entries(contents)) await assertStored(`${to}${path}`, bytes);

    // A third run finds everything stored and unchanged: nothing is sent.
    proxy.script([]);
    const third = await runCli(args, runEnv);
    assert.equal(third.code, 0, third.stderr);
    assert.equal((JSON.parse(third.stdout) as { skipped: unknown[] }).skipped.length, 3);
    assert.equal(proxy.log().putBytesForwarded, 0);
  });

  it('retries part PUTs the storage answers with 503 or whose connection drops, and stores the file right', async () => {
    const root = join(dir, 'faults');
    const contents = await writeTree(root, { 'f.bin': 11 * MiB + 7 });
    const to = prefix('faults');
    proxy.script([
      { method: 'PUT', action: 'status', status: 503, times: 2 },
      { method: 'PUT', action: 'drop', times: 1 },
    ]);
    const result = await runCli(['upload', '-d', to, '-s', root, '--part-size', '5MiB', '-v'], env);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(proxy.log().faults.status, 2);
    assert.equal(proxy.log().faults.drop, 1);
    assert.match(result.stderr, /attempt 2/);
    await assertStored(`${to}f.bin`, contents['f.bin']!);
    proxy.script([]);
  });

  it('refuses bad flags and impossible destinations with exit code 2 before sending anything', async () => {
    const root = join(dir, 'bad');
    await writeTree(root, { 'a.bin': 10, 'b.bin': 10 });
    const cases: [string[], RegExp][] = [
      [['upload', '-d', 'alice/x/', '-s', root, '--no-such-flag'], /unknown option '--no-such-flag'/],
      [['upload', '-d', 'alice/x/', '-s', root, '--part-size', '1MB'], /between 5\.0 MiB and 5\.0 GiB/],
      [['upload', '-d', 'alice/x/', '-s', root, '--part-size', 'lots'], /expected a size such as 8MiB/],
      [['upload', '-d', 'alice/x/', '-s', root, '--part-concurrency', '0'], /whole number from 1/],
      [['upload', '-d', 'alice/x/'], /required option '-s, --source <path>' not specified/],
      [['upload', '-d', 'alice/x', '-s', root], /is a folder: -d must be a prefix/],
      [['upload', '-d', 'alice/x', '-s', join(root, 'a.bin'), '-s', join(root, 'b.bin')], /is a key, which holds one file/],
      [['upload', '-d', 'alice/x/', '-s', '-'], /must be a key, not the prefix/],
      [['upload', '-d', 'alice/x/', '-s', join(root, 'missing.bin')], /cannot be read \(ENOENT\)/],
      [['get-summary', '--submitted-after', 'yesterday-ish'], /expected a date/],
      [['get-object-history'], /required option '--key <key>'/],
      [['no-such-command'], /unknown command 'no-such-command'/],
    ];
    proxy.script([]);
    for (const [args, message] of cases) {
      const result = await runCli(args, env);
      assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
      assert.match(result.stderr, message, args.join(' '));
    }
    const noEndpoint = await runCli(['list-objects'], { ...env, DROPOFF_ENDPOINT: '' });
    assert.equal(noEndpoint.code, 2);
    assert.match(noEndpoint.stderr, /No server given/);
    assert.equal(proxy.log().putBytesForwarded, 0);
  });

  it('fails with exit code 1 and says why with a wrong token, and when the server is down', async () => {
    const root = join(dir, 'refused');
    await writeTree(root, Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`f${i}.bin`, 100])));
    const wrong = { ...env, DROPOFF_TOKEN: 'wrong-token-0123456789' };
    const upload = await runCli(['upload', '-d', prefix('wrong'), '-s', root, '--json'], wrong);
    assert.equal(upload.code, 1);
    assert.match(upload.stderr, /Stopped: the server refused the token \(The token is not valid\.\)/);
    const refused = JSON.parse(upload.stdout) as { stored: unknown[]; failed: { code: string }[] };
    assert.equal(refused.stored.length, 0);
    assert.ok(refused.failed.length >= 1 && refused.failed.every((f) => f.code === 'unauthorized'));
    const list = await runCli(['list-objects', '--prefix', ALICE.space], wrong);
    assert.equal(list.code, 1);
    assert.match(list.stderr, /The token is not valid\. Check the token/);

    const closed = createServer();
    const downUrl = await listenOnLoopback(closed);
    await new Promise((resolve) => closed.close(resolve));
    const down = { ...env, DROPOFF_ENDPOINT: downUrl };
    const failed = await runCli(['upload', '-d', prefix('down'), '-s', root, '--max-retries', '1'], down);
    assert.equal(failed.code, 1);
    assert.match(failed.stderr, /Could not reach the upload server/);
    const summary = await runCli(['get-summary'], down);
    assert.equal(summary.code, 1);
    assert.match(summary.stderr, /Could not reach the upload server/);
  });
});

describe('dropoff records commands', () => {
  it('lists objects, the history of a key and a summary, as tables and as JSON', async () => {
    const root = join(dir, 'records');
    await writeTree(root, { 'r1.mseed': 100, 'r2.bin': 200 });
    const to = prefix('records');
    assert.equal((await runCli(['upload', '-c', 'miniseed', '-d', to, '-s', join(root, 'r1.mseed')], env)).code, 0);
    assert.equal((await runCli(['upload', '-c', 'other', '-d', to, '-s', join(root, 'r2.bin')], env)).code, 0);
    assert.equal((await runCli(['upload', '-c', 'miniseed', '-d', to, '-s', join(root, 'r1.mseed'), '--force'], env)).code, 0);

    const table = await runCli(['list-objects', '--prefix', to], env);
    assert.equal(table.code, 0, table.stderr);
    const lines = table.stdout.trim().split('\n');
    assert.match(lines[0]!, /^KEY\s+STATUS\s+SIZE\s+CATEGORY\s+RECEIVED/);
    assert.equal(lines.length, 3);
    assert.ok(lines.some((l) => l.startsWith(`${to}r1.mseed`)) && lines.some((l) => l.startsWith(`${to}r2.bin`)));
    const onlyMseed = JSON.parse((await runCli(['list-objects', '--prefix', to, '--category', 'miniseed', '--json'], env)).stdout) as { key: string }[];
    assert.deepEqual(onlyMseed.map((o) => o.key), [`${to}r1.mseed`]);

    const history = await runCli(['get-object-history', '--key', `${to}r1.mseed`], env);
    assert.equal(history.code, 0, history.stderr);
    assert.equal(history.stdout.trim().split('\n').length, 3, 'a header and two submissions');
    const historyJson = JSON.parse((await runCli(['get-object-history', '--key', `${to}r1.mseed`, '--json'], env)).stdout) as { key: string }[];
    assert.equal(historyJson.length, 2);

    const summary = await runCli(['get-summary', '--prefix', to, '--submitted-after', '2000-01-01'], env);
    assert.equal(summary.code, 0, summary.stderr);
    assert.match(summary.stdout, /TOTAL\s+3/);
    const summaryJson = JSON.parse((await runCli(['get-summary', '--prefix', to, '--json'], env)).stdout) as { total: number };
    assert.equal(summaryJson.total, 3);
    const none = JSON.parse((await runCli(['get-summary', '--prefix', to, '--submitted-before', '2000-01-01', '--json'], env)).stdout) as { total: number };
    assert.equal(none.total, 0);
  });

  it('reads the endpoint and token from the configuration file, and prints help for each command', async () => {
    await mkdir(join(dir, 'config', 'dropoff'), { recursive: true });
    await writeFile(join(dir, 'config', 'dropoff', 'config.json'), JSON.stringify({ endpoint: server.url, token: ALICE.token }));
    const fromFile = await runCli(['list-objects', '--prefix', `${ALICE.space}cli/`, '--json'], { ...env, DROPOFF_ENDPOINT: '', DROPOFF_TOKEN: '' });
    assert.equal(fromFile.code, 0, fromFile.stderr);
    assert.ok(Array.isArray(JSON.parse(fromFile.stdout)));
    for (const command of ['upload', 'list-objects', 'get-object-history', 'get-summary']) {
      const help = await runCli([command, '--help'], env);
      assert.equal(help.code, 0);
      assert.match(help.stdout, new RegExp(`Usage: dropoff ${command} \\[options\\]`));
    }
  });
});
