/**
 * The builds a page author and a bundler use: the single-file bundle loaded by one <script type="module"> tag on a
 * plain page (served from a folder of its own, not the site root) uploads to the local stack with its hash worker; the
 * npm build leaves its dependencies as imports; the declarations describe the public API.
 */
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import type { Browser } from 'playwright-core';
import { build } from 'vite';
import { launchChromium } from '../../scripts/stack/chromium.ts';
import { listenOnLoopback } from '../../scripts/stack/processes.ts';
import { startLocalStack, type LocalStack } from '../../scripts/stack/local-stack.ts';
import { readStoredObject } from '../support/stored-object.ts';
import { ALICE, TEST_TOKENS } from '../support/test-users.ts';

let dir: string;
let stack: LocalStack;
let site: Server;
let siteUrl: string;
let browser: Browser;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dropoff-packaging-'));
  stack = await startLocalStack({ storage: 's3rver', tokens: TEST_TOKENS });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await new Promise((resolve) => site?.close(resolve));
  await stack?.stop();
  await rm(dir, { recursive: true, force: true });
});

it('the single-file bundle uploads from a plain page that loads it with one script tag', async () => {
  const out = join(dir, 'site', 'vendor', 'dropoff');
  await build({ configFile: 'vite.config.ts', logLevel: 'error', build: { outDir: out, emptyOutDir: true } });
  await writeFile(join(dir, 'site', 'index.html'), `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>plain page</title>
<script type="module" src="./vendor/dropoff/dropoff-uploader.js"></script></head>
<body><dropoff-uploader endpoint="${stack.serverUrl}" token="${ALICE.token}" destination="${ALICE.space}bundle/" part-size="5MiB"></dropoff-uploader></body></html>`);
  const types: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript' };
  site = createServer(async (req, res) => {
    const path = normalize(join(dir, 'site', decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)));
    const file = path.endsWith('/') ? join(path, 'index.html') : path;
    if (!file.startsWith(join(dir, 'site')) || !(await stat(file).catch(() => undefined))) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(res);
  });
  siteUrl = `${await listenOnLoopback(site)}/`;

  const bytes = randomBytes(11 * 1024 * 1024);
  await writeFile(join(dir, 'survey.bin'), bytes);
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(siteUrl);
  await page.waitForFunction(() => customElements.get('dropoff-uploader') !== undefined);
  const completed = page.evaluate(() => new Promise<{ key: string; sha256: string }>((resolve, reject) => {
    const el = document.querySelector('dropoff-uploader')!;
    el.addEventListener('dropoff-complete', (e) => resolve({ key: e.detail.key, sha256: e.detail.sha256 }));
    el.addEventListener('dropoff-error', (e) => reject(new Error(e.detail.message)));
  }));
  await page.locator('dropoff-uploader input[type=file]').setInputFiles(join(dir, 'survey.bin'));
  const detail = await completed;
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  assert.equal(detail.sha256, sha256);
  assert.equal((await readStoredObject(stack.s3, detail.key, 5 * 1024 * 1024)).sha256, sha256);
  assert.deepEqual(errors, []);
  await page.close();
});

it('the npm build keeps its dependencies as imports, and the declarations describe the public API', async () => {
  const out = join(dir, 'npm');
  await build({ configFile: 'vite.npm.config.ts', logLevel: 'error', build: { outDir: out, emptyOutDir: true } });
  const element = await readFile(join(out, 'element', 'dropoff-uploader.js'), 'utf8');
  assert.match(element, /from "lit"/);
  assert.doesNotMatch(element, /class ReactiveElement|globalThis.litElementVersions/, 'lit itself is not bundled');
  const store = await readFile(join(out, 'browser', 'idb-resume-store.js'), 'utf8');
  // Left as an import for the consumer's bundler, static or loaded on first use.
  assert.match(store, /(from |import\()"idb-keyval"/);
  // A consumer typed against the declarations alone (inside the project, so that lit and idb-keyval resolve).
  const check = join('node_modules', '.cache', `dropoff-types-check-${process.pid}`);
  try {
    execFileSync(process.execPath, ['--import', 'tsx', 'scripts/build-types.ts', join(check, 'types')], { stdio: 'pipe' });
    await writeFile(join(check, 'consumer.ts'), `import { DropoffApi, UploadEngine, type CompleteDetail, type DropoffUploader } from './types/index.js';
const engine = new UploadEngine({ api: new DropoffApi({ endpoint: 'https://example.org', token: 't' }), partConcurrency: 4 });
const stored: Promise<CompleteDetail> = engine.putObject(new Blob(['x']), 'alice/x');
const element: DropoffUploader | null = document.querySelector('dropoff-uploader');
element?.addEventListener('dropoff-progress', (e) => e.detail.bytesDone.toFixed());
void stored;
`);
    await writeFile(join(check, 'tsconfig.json'), JSON.stringify({ compilerOptions: {
      target: 'ES2022', module: 'ESNext', moduleResolution: 'Bundler', strict: true, noEmit: true, lib: ['ES2023', 'DOM', 'DOM.Iterable'], types: [],
    }, files: ['consumer.ts'] }));
    execFileSync('node_modules/.bin/tsc', ['-p', join(check, 'tsconfig.json')], { stdio: 'pipe' });
  } catch (error) {
    assert.fail(`the declarations do not type a consumer: ${(error as { stdout?: Buffer }).stdout?.toString() ?? error}`);
  } finally {
    await rm(check, { recursive: true, force: true });
  }
  const pkg = JSON.parse(await readFile('package.json', 'utf8')) as { exports: Record<string, unknown>; customElements: string };
  assert.equal(pkg.customElements, 'custom-elements.json');
  assert.deepEqual(Object.keys(pkg.exports), ['.', './engine', './node', './react', './vue', './bundle', './custom-elements.json']);
});
