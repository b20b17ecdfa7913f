/**
 * A clean install works: the package is packed (`npm pack`, which builds it), installed in an empty folder from the
 * tarball (dependencies from the local npm cache where it has them), and then used as a user would: `npx dropoff
 * --help`, an upload with the command, `import { UploadEngine } from 'dropoff-uploader/engine'` in plain Node, and a
 * TypeScript consumer typed against the installed declarations of `.`, `./engine` and `./node`.
 */
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { startLocalStack, type LocalStack } from '../../scripts/stack/local-stack.ts';
import { readStoredObject } from '../support/stored-object.ts';
import { ALICE, TEST_TOKENS } from '../support/test-users.ts';

const exec = promisify(execFile);
const project = resolve('.');
let dir: string;
let app: string;
let stack: LocalStack;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dropoff-install-'));
  app = join(dir, 'app');
  await mkdir(app);
  stack = await startLocalStack({ storage: 's3rver', tokens: TEST_TOKENS });
});

after(async () => {
  await stack?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

it('installs from the packed tarball and works from the command line, from plain Node and from TypeScript', { timeout: 300_000 }, async () => {
  const packed = await exec('npm', ['pack', '--pack-destination', dir, '--silent'], { cwd: project, maxBuffer: 16 * 1024 * 1024 });
  const tarball = join(dir, packed.stdout.trim().split('\n').pop()!);
  await writeFile(join(app, 'package.json'), JSON.stringify({ name: 'app', version: '1.0.0', private: true, type: 'module' }));
  // --prefer-offline: the tarballs come from the local cache that `npm ci` filled; only metadata npm ci does not keep
  // is asked of the registry.
  await exec('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', tarball], { cwd: app });

  const env = { ...process.env, DROPOFF_ENDPOINT: stack.serverUrl, DROPOFF_TOKEN: ALICE.token, XDG_CACHE_HOME: join(dir, 'cache'), XDG_CONFIG_HOME: join(dir, 'config') };
  const help = await exec('npx', ['--no-install', 'dropoff', '--help'], { cwd: app, env });
  assert.match(help.stdout, /Usage: dropoff \[options\] \[command\]/);
  assert.match(help.stdout, /upload \[options\]/);

  const bytes = randomBytes(6 * 1024 * 1024 + 1);
  await writeFile(join(app, 'survey.bin'), bytes);
  const upload = await exec('npx', ['--no-install', 'dropoff', 'upload', '-c', 'other', '-d', `${ALICE.space}installed/`, '-s', 'survey.bin', '--part-size', '5MiB', '--json'], { cwd: app, env });
  const report = JSON.parse(upload.stdout) as { stored: { key: string; sha256: string }[] };
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  assert.deepEqual(report.stored.map((s) => [s.key, s.sha256]), [[`${ALICE.space}installed/survey.bin`, sha256]]);
  assert.equal((await readStoredObject(stack.s3, `${ALICE.space}installed/survey.bin`, 5 * 1024 * 1024)).sha256, sha256);

  await writeFile(join(app, 'plain.mjs'), `import { UploadEngine } from 'dropoff-uploader/engine';
import { DropoffApi, FetchPartTransport, NodeHashPool } from 'dropoff-uploader/node';
const hasher = new NodeHashPool({ size: 1 });
const engine = new UploadEngine({ api: new DropoffApi({ endpoint: process.env.DROPOFF_ENDPOINT, token: process.env.DROPOFF_TOKEN }), hasher, transport: new FetchPartTransport(), store: null });
const stored = await engine.putObject(new TextEncoder().encode('plain node'), '${ALICE.space}installed/plain.txt');
hasher.terminate();
console.log(JSON.stringify({ key: stored.key, sha256: stored.sha256, window: typeof window, lit: typeof customElements }));
`);
  const plain = await exec(process.execPath, ['plain.mjs'], { cwd: app, env });
  assert.deepEqual(JSON.parse(plain.stdout), {
    key: `${ALICE.space}installed/plain.txt`, sha256: createHash('sha256').update('plain node').digest('hex'), window: 'undefined', lit: 'undefined',
  });

  await writeFile(join(app, 'consumer.ts'), `import { UploadEngine, UploadError, type CompleteDetail, type UploadEngineOptions } from 'dropoff-uploader/engine';
import { NodeUploadEngine, fileBody, type NodeUploadEngineOptions } from 'dropoff-uploader/node';
import type { DropoffUploader } from 'dropoff-uploader';
const options: NodeUploadEngineOptions = { api: {} as UploadEngineOptions['api'], partConcurrency: 4 };
const engine: UploadEngine = new NodeUploadEngine(options);
const body = await fileBody('x.bin');
const stored: Promise<CompleteDetail> = engine.putObject(body.file, 'alice/x.bin', { lastModified: body.lastModified });
engine.on('error', (event) => { const error: Error = event.detail.error; void (error instanceof UploadError); });
// @ts-expect-error a key must be a string
void engine.putObject(body.file, 42);
let element: DropoffUploader | undefined;
void stored; void element;
`);
  await writeFile(join(app, 'tsconfig.json'), JSON.stringify({ compilerOptions: {
    target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true, skipLibCheck: false,
    lib: ['ES2023', 'DOM', 'DOM.Iterable'], types: ['node'], typeRoots: [join(project, 'node_modules', '@types')],
  }, files: ['consumer.ts'] }));
  try {
    await exec(join(project, 'node_modules', '.bin', 'tsc'), ['-p', join(app, 'tsconfig.json')], { cwd: app });
  } catch (error) {
    assert.fail(`the installed declarations do not type a consumer: ${(error as { stdout?: string }).stdout ?? error}`);
  }
  const installed = JSON.parse(await readFile(join(app, 'node_modules', 'dropoff-uploader', 'package.json'), 'utf8')) as { bin: Record<string, string> };
  assert.deepEqual(Object.keys(installed.bin), ['dropoff']);
});
