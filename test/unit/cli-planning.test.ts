/**
 * The command line's pure parts: what goes where (the seed's key-vs-prefix and -r rules), where the endpoint and token
 * come from (flag, environment, config file), and the table and progress texts.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { planUpload } from '../../src/cli/sources.ts';
import { resolveConnection } from '../../src/cli/settings.ts';
import { formatTable } from '../../src/cli/table.ts';
import { formatElapsed, overallLine } from '../../src/cli/progress-view.ts';
import { UsageError } from '../../src/cli/usage-error.ts';

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dropoff-plan-'));
  for (const path of ['data/a.mseed', 'data/b.mseed', 'data/sub/c.mseed', 'data/sub/deep/d.mseed', 'other/a.mseed']) {
    await mkdir(join(dir, path, '..'), { recursive: true });
    await writeFile(join(dir, path), path);
  }
  await symlink(join(dir, 'data'), join(dir, 'data', 'sub', 'loop'));
});
after(async () => { await rm(dir, { recursive: true, force: true }); });

const keys = async (sources: string[], destination: string, recursive: boolean) => {
  const plan = await planUpload(sources.map((s) => join(dir, s)), destination, recursive);
  assert.equal(plan.kind, 'files');
  return plan.kind === 'files' ? plan.files.map((f) => f.key) : [];
};

describe('planUpload', () => {
  it('takes top-level files without -r and every file with -r, keyed below the prefix without the folder name', async () => {
    assert.deepEqual(await keys(['data'], 'p/', false), ['p/a.mseed', 'p/b.mseed']);
    assert.deepEqual(await keys(['data'], 'p/', true), ['p/a.mseed', 'p/b.mseed', 'p/sub/c.mseed', 'p/sub/deep/d.mseed']);
    assert.deepEqual(await keys(['data/sub/c.mseed'], 'p/', false), ['p/c.mseed']);
    assert.deepEqual(await keys(['data/a.mseed'], 'p/renamed.mseed', false), ['p/renamed.mseed']);
  });

  it('refuses what cannot be expressed, before anything is sent', async () => {
    const refuses = (sources: string[], destination: string, message: RegExp, recursive = false) =>
      assert.rejects(planUpload(sources.map((s) => (s === '-' ? s : join(dir, s))), destination, recursive), (e) => e instanceof UsageError && message.test(e.message));
    await refuses(['data'], 'p/key', /is a folder/);
    await refuses(['data/a.mseed', 'data/b.mseed'], 'p/key', /holds one file/);
    await refuses(['data/a.mseed', 'other/a.mseed'], 'p/', /would both be stored as "p\/a.mseed"/);
    await refuses(['-'], 'p/', /must be a key/);
    await refuses(['-', 'data'], 'p/x', /cannot be combined/);
    await refuses(['missing'], 'p/', /ENOENT/);
    await refuses([], 'p/', /at least one source/);
    await refuses(['data'], 'p//', /cannot be a prefix/);
  });

  it('reads standard input to a key', async () => {
    assert.deepEqual(await planUpload(['-'], 'p/stream.bin', false), { kind: 'stdin', key: 'p/stream.bin' });
  });
});

describe('resolveConnection', () => {
  it('takes the flag, else the environment, else the config file', async () => {
    const config = join(dir, 'config.json');
    await writeFile(config, JSON.stringify({ endpoint: 'https://file.example', token: 'file-token', category: 'miniseed' }));
    const env = { DROPOFF_CONFIG: config } as NodeJS.ProcessEnv;
    assert.deepEqual(await resolveConnection({}, env), { endpoint: 'https://file.example', token: 'file-token', category: 'miniseed' });
    assert.equal((await resolveConnection({}, { ...env, DROPOFF_TOKEN: 'env-token' })).token, 'env-token');
    assert.equal((await resolveConnection({ token: 'flag-token' }, { ...env, DROPOFF_TOKEN: 'env-token' })).token, 'flag-token');
    assert.equal((await resolveConnection({ endpoint: 'http://flag.example' }, env)).endpoint, 'http://flag.example');
    await writeFile(config, '{broken');
    await assert.rejects(resolveConnection({}, env), /is not a JSON object/);
    await assert.rejects(resolveConnection({ endpoint: 'ftp://x' }, {}), /must be an http or https URL/);
    await assert.rejects(resolveConnection({}, { DROPOFF_CONFIG: join(dir, 'none.json') }), /cannot be read/);
  });
});

it('formats tables and the overall progress line', () => {
  assert.equal(formatTable([{ k: 'a', n: 1 }, { k: 'bbb', n: 22 }], [{ header: 'KEY', cell: (r) => r.k }, { header: 'N', cell: (r) => String(r.n), right: true }]),
    'KEY   N\na     1\nbbb  22');
  assert.equal(formatElapsed(3725), '1h02m05s');
  assert.equal(overallLine({ filesDone: 3, filesTotal: 10, bytesSent: 1024 * 1024, bytesTotal: 4 * 1024 * 1024, bytesPerSecond: 2_500_000 }, 65),
    '3/10 files | 1.0 MiB / 4.0 MiB | 2.5 MB/s | 1m05s');
});
