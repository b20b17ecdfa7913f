/**
 * "Use it with": the README's snippets for a plain page, a CDN-style script tag, React 19 and Vue 3, each run as
 * written. The package is built (`scripts/build.ts`, which also checks the size budget) into a folder laid out as
 * the published package; each app resolves `dropoff-uploader` from it through its package.json `exports`, is built
 * by Vite, served, and uploads a file through the reference server to Ceph RGW in Chromium until the app shows the
 * `dropoff-complete` event. The React and Vue typings are checked with tsc against the built declarations.
 */
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { cp, mkdir, readFile, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import { build } from 'vite';
import { launchChromium } from '../../scripts/stack/chromium.ts';
import { startLocalStack, type LocalStack } from '../../scripts/stack/local-stack.ts';
import { serveFolder, type StaticSite } from '../support/static-site.ts';
import { readStoredObject } from '../support/stored-object.ts';
import { ALICE, TEST_TOKENS } from '../support/test-users.ts';

const run = promisify(execFile);
const MiB = 1024 * 1024;
// Inside the project, so that the apps and the package find react, vue, lit and the Vite plugins in its node_modules.
const work = resolve('node_modules', '.cache', `dropoff-apps-${process.pid}`);
const pkg = join(work, 'pkg');
const bytes = randomBytes(11 * MiB);
const sha256 = createHash('sha256').update(bytes).digest('hex');
const sites: StaticSite[] = [];
let stack: LocalStack;
let browser: Browser;
let buildOutput = '';
let readme = '';
let version = '';

/** The code block between `<!-- NAME example start -->` and `<!-- NAME example end -->` in the README. */
function snippet(name: string): string {
  const start = readme.indexOf(`<!-- ${name} example start -->`);
  const end = readme.indexOf(`<!-- ${name} example end -->`, start);
  assert.ok(start >= 0 && end > start, `README has the ${name} example`);
  const block = /```[a-z]*\n([\s\S]*?)```/.exec(readme.slice(start, end));
  assert.ok(block, `the ${name} example is a code block`);
  return block[1]!;
}

/** An app folder whose node_modules holds the built package as `dropoff-uploader`. */
async function appFolder(name: string, files: Record<string, string>): Promise<string> {
  const dir = join(work, name);
  await mkdir(join(dir, 'node_modules'), { recursive: true });
  await symlink(pkg, join(dir, 'node_modules', 'dropoff-uploader'), 'dir');
  for (const [file, text] of Object.entries(files)) await writeFile(join(dir, file), text);
  return dir;
}

/** Type-checks `files` of an app with tsc (strict), against the package's declarations. */
async function typeCheck(dir: string, files: string[], compilerOptions: Record<string, unknown> = {}): Promise<void> {
  await writeFile(join(dir, 'tsconfig.json'), JSON.stringify({
    compilerOptions: {
      target: 'ES2022', module: 'ESNext', moduleResolution: 'Bundler', strict: true, noEmit: true, skipLibCheck: true,
      allowImportingTsExtensions: true, lib: ['ES2023', 'DOM', 'DOM.Iterable'], types: [], ...compilerOptions,
    },
    files,
  }));
  try {
    await run(resolve('node_modules/.bin/tsc'), ['-p', join(dir, 'tsconfig.json')]);
  } catch (error) {
    assert.fail(`tsc: ${(error as { stdout?: string }).stdout ?? error}`);
  }
}

/** Serves the built app, opens it, picks the file and waits until the app shows the key and SHA-256 it was told. */
async function uploadThrough(url: string, name: string, shown: string): Promise<Page> {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(url);
  await page.waitForFunction(() => customElements.get('dropoff-uploader') !== undefined);
  await writeFile(join(work, name), bytes);
  await page.locator('dropoff-uploader input[type=file]').setInputFiles(join(work, name));
  const key = `${ALICE.space}2025/303/${name}`;
  await page.locator(shown, { hasText: `${key} ${sha256}` }).waitFor({ timeout: 120_000 });
  const stored = await readStoredObject(stack.s3, key, 8 * MiB);
  assert.equal(stored.sha256, sha256, 'the storage holds the bytes sent');
  assert.deepEqual(errors, []);
  return page;
}

/** Polls `check` until it holds (at most 30 s). */
async function waitFor(check: () => boolean): Promise<void> {
  for (let i = 0; i < 300 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 100));
  assert.ok(check(), 'waited 30 s');
}

const query = () => `?${new URLSearchParams({ endpoint: stack.serverUrl, token: ALICE.token })}`;

before(async () => {
  readme = await readFile('README.md', 'utf8');
  version = (JSON.parse(await readFile('package.json', 'utf8')) as { version: string }).version;
  await rm(work, { recursive: true, force: true });
  await mkdir(pkg, { recursive: true });
  for (const file of ['package.json', 'custom-elements.json']) await cp(file, join(pkg, file));
  const built = await run(process.execPath, ['--import', 'tsx', 'scripts/build.ts', '--out', join(pkg, 'dist')], { env: process.env });
  buildOutput = built.stdout;
  stack = await startLocalStack({ storage: 'ceph', tokens: TEST_TOKENS });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  for (const site of sites) await site.close();
  await stack?.stop();
  await rm(work, { recursive: true, force: true });
});

it('npm run build prints the gzipped size of each entry, within the budget, and fails past it', async () => {
  for (const label of ['element bundle', 'engine alone', 'hash worker', '<dropoff-browser>', 'de texts', 'fr texts', 'it texts', 'es texts']) {
    assert.match(buildOutput, new RegExp(`^${label}.* \\d+\\.\\d kB gzipped`, 'm'), `${label} is measured`);
  }
  assert.match(buildOutput, /^element bundle.*\(budget 30\.0 kB\)/m);
  assert.match(buildOutput, /^engine alone.*\(budget 12\.0 kB\)/m);
  assert.doesNotMatch(buildOutput, /OVER/);
  const tight = await run(process.execPath, ['--import', 'tsx', 'scripts/build.ts', '--out', join(work, 'tight')], {
    env: { ...process.env, DROPOFF_BUDGET_ELEMENT: '10000' },
  }).then(() => undefined, (error: { code: number; stderr: string }) => error);
  assert.ok(tight, 'the build fails past the budget');
  assert.match(tight.stderr, /element bundle \(<dropoff-uploader>, English; without the worker\) is \d+\.\d kB gzipped, over its budget of 10\.0 kB/);
});

it('React 19: the README component, built by Vite, uploads and gets dropoff-complete through onDropoffComplete', async () => {
  const dir = await appFolder('react-app', {
    'index.html': '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>React app</title></head><body><div id="root"></div><script type="module" src="./main.tsx"></script></body></html>',
    'main.tsx': `import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
const params = new URLSearchParams(location.search);
createRoot(document.getElementById('root')!).render(<App endpoint={params.get('endpoint')!} token={params.get('token')!} />);
`,
    'App.tsx': snippet('react'),
    // What the types must accept and refuse.
    'types-check.tsx': `import { createRef } from 'react';
import { DropoffUploader, DropoffBrowser, type DropoffUploaderElement } from 'dropoff-uploader/react';
const ref = createRef<DropoffUploaderElement>();
export const ok = <DropoffUploader ref={ref} endpoint="x" partConcurrency={4} noAutoStart strings={{ dismiss: 'OK' }}
  onDropoffProgress={(e) => e.detail.batch.bytesPerSecond.toFixed()} onDropoffResumable={(e) => e.detail.uploads.length} />;
export const browser = <DropoffBrowser endpoint="x" prefix="alice/" onDropoffBrowserLoaded={(e) => e.detail.count.toFixed()} />;
// @ts-expect-error partConcurrency is a number
export const wrongType = <DropoffUploader partConcurrency="six" />;
// @ts-expect-error the detail of dropoff-complete has no "bytes"
export const wrongDetail = <DropoffUploader onDropoffComplete={(e) => e.detail.bytes} />;
`,
  });
  await typeCheck(dir, ['main.tsx', 'App.tsx', 'types-check.tsx'], { jsx: 'react-jsx' });
  await build({ root: dir, configFile: false, base: './', logLevel: 'error', build: { outDir: join(dir, 'dist'), emptyOutDir: true } });
  const site = await serveFolder(join(dir, 'dist'));
  sites.push(site);
  const page = await uploadThrough(`${site.url}/${query()}`, 'react.bin', 'li');
  await page.close();
});

it('Vue 3: the README vite.config and component, built by Vite, upload and get dropoff-complete through @dropoff-complete', async () => {
  const dir = await appFolder('vue-app', {
    'index.html': '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Vue app</title></head><body><div id="app"></div><script type="module" src="./main.ts"></script></body></html>',
    'main.ts': `import { createApp } from 'vue';
import App from './App.vue';
const params = new URLSearchParams(location.search);
createApp(App, { endpoint: params.get('endpoint'), token: params.get('token') }).mount('#app');
`,
    'vite.config.ts': snippet('vue config'),
    'App.vue': snippet('vue'),
    'env.d.ts': `import type {} from 'dropoff-uploader/vue';\n`,
    // Template props and events as vue-tsc sees them (GlobalComponents).
    'types-check.ts': `import type { GlobalComponents } from 'vue';
import { isCustomElement } from 'dropoff-uploader/vue';
type UploaderProps = InstanceType<GlobalComponents['dropoff-uploader']>['$props'];
type BrowserProps = InstanceType<GlobalComponents['dropoff-browser']>['$props'];
export const ok: UploaderProps = { endpoint: 'x', partSize: '16MiB', multiple: true, class: 'wide',
  onDropoffComplete: (e) => e.detail.sha256.toUpperCase(), onDropoffFilesRejected: (e) => e.detail.files[0]?.reason };
export const browser: BrowserProps = { prefix: 'alice/', onDropoffBrowserLoaded: (e) => e.detail.count };
// @ts-expect-error partConcurrency is a number
export const wrongType: UploaderProps = { partConcurrency: 'six' };
// @ts-expect-error the uploader has no dropoff-browser-loaded event
export const wrongEvent: UploaderProps = { onDropoffBrowserLoaded: () => undefined };
export const tags: boolean[] = [isCustomElement('dropoff-uploader'), isCustomElement('dropoff-browser'), !isCustomElement('div')];
`,
  });
  await typeCheck(dir, ['env.d.ts', 'types-check.ts']);
  const { isCustomElement } = await import(join(pkg, 'dist', 'npm', 'vue', 'index.js')) as typeof import('../../src/vue/index.ts');
  assert.deepEqual([isCustomElement('dropoff-uploader'), isCustomElement('dropoff-browser'), isCustomElement('my-widget')], [true, true, false]);
  await build({ root: dir, configFile: join(dir, 'vite.config.ts'), base: './', logLevel: 'error', build: { outDir: join(dir, 'dist'), emptyOutDir: true } });
  const site = await serveFolder(join(dir, 'dist'));
  sites.push(site);
  const page = await uploadThrough(`${site.url}/${query()}`, 'vue.bin', 'li');
  await page.close();
});

it('a plain page: the README snippet with the bundle copied beside it', async () => {
  const dir = join(work, 'plain-site');
  await cp(join(pkg, 'dist', 'bundle'), join(dir, 'vendor', 'dropoff'), { recursive: true });
  const html = snippet('html').replace('https://api.example.org/dropoff', stack.serverUrl).replace('token="..."', `token="${ALICE.token}"`);
  await writeFile(join(dir, 'index.html'), `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>plain page</title></head><body>\n${html}</body></html>`);
  const site = await serveFolder(dir);
  sites.push(site);
  const page = await uploadThrough(`${site.url}/`, 'plain.bin', '#stored');
  // The bundle exports what src/index.ts does, with <dropoff-browser> on demand: not downloaded on this page.
  const bundleUrl = `${site.url}/vendor/dropoff/dropoff-uploader.js`;
  const exported = await page.evaluate((url) => import(url).then((m: object) => Object.keys(m)), bundleUrl);
  const index = Object.keys(await import(join(pkg, 'dist', 'npm', 'index.js')) as object).filter((name) => name !== 'DropoffBrowser');
  assert.deepEqual(exported.filter((name) => /^[A-Za-z_]{3,}$/.test(name)).sort(), [...index, 'loadDropoffBrowser'].sort());
  assert.equal(await page.evaluate(() => customElements.get('dropoff-browser')), undefined);
  assert.equal(await page.evaluate(() => performance.getEntriesByType('resource').some((r) => r.name.includes('dropoff-browser'))), false);
  // A language whose chunk cannot be loaded leaves English, and says why in the console.
  const warnings: string[] = [];
  page.on('console', (message) => { if (message.type() === 'warning') warnings.push(message.text()); });
  for (const file of await readdir(join(dir, 'vendor', 'dropoff', 'assets'))) if (file.startsWith('de-')) await rm(join(dir, 'vendor', 'dropoff', 'assets', file));
  await page.evaluate(() => { document.documentElement.lang = 'de'; });
  await waitFor(() => warnings.some((w) => w.includes('the de texts did not load')));
  assert.match(await page.locator('dropoff-uploader .dropzone').textContent() ?? '', /Drop files here or/);
  // A tag added later is noticed, and loadDropoffBrowser() gives the same class.
  await page.evaluate(() => document.body.append(Object.assign(document.createElement('div'), { innerHTML: '<dropoff-browser></dropoff-browser>' })));
  await page.waitForFunction(() => customElements.get('dropoff-browser') !== undefined);
  assert.equal(await page.evaluate(async (url) => {
    const { loadDropoffBrowser } = await import(url) as { loadDropoffBrowser: () => Promise<CustomElementConstructor> };
    return (await loadDropoffBrowser()) === customElements.get('dropoff-browser');
  }, bundleUrl), true);
  await page.close();
});

it('a CDN-style script tag: the bundle from another origin, hash workers and the German texts included', async () => {
  const html = snippet('cdn');
  const cdnPath = `/npm/dropoff-uploader@${version}/dist/bundle/dropoff-uploader.js`;
  assert.ok(html.includes(`https://cdn.jsdelivr.net${cdnPath}`), `the README's CDN URL names version ${version}`);
  await mkdir(join(work, 'cdn'), { recursive: true });
  await symlink(pkg, join(work, 'cdn', `dropoff-uploader@${version}`), 'dir');
  const cdn = await serveFolder(join(work, 'cdn'), { base: '/npm/', cors: true });
  sites.push(cdn);
  const dir = join(work, 'cdn-page');
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'index.html'), `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>CDN page</title></head><body>\n${
    html.replace('https://cdn.jsdelivr.net', cdn.url).replace('https://api.example.org/dropoff', stack.serverUrl).replace('token="..."', `token="${ALICE.token}"`)
  }<p id="stored"></p>
<dropoff-browser endpoint="${stack.serverUrl}" token="${ALICE.token}" prefix="${ALICE.space}2025/303/" lang="de"></dropoff-browser>
<script type="module">
  document.querySelector('dropoff-uploader').addEventListener('dropoff-complete', (e) => {
    document.querySelector('#stored').textContent += e.detail.key + ' ' + e.detail.sha256;
  });
</script></body></html>`);
  const site = await serveFolder(dir);
  sites.push(site);
  assert.notEqual(new URL(site.url).origin, new URL(cdn.url).origin);
  const page = await uploadThrough(`${site.url}/`, 'cdn.bin', '#stored');
  assert.equal(await page.locator('dropoff-uploader [part=status]').first().textContent().then((t) => t?.split(' · ')[0]), 'Fertig');
  assert.match(await page.locator('dropoff-uploader .dropzone').textContent() ?? '', /Dateien hierher ziehen/);
  // <dropoff-browser> came as a chunk from the CDN because the page has the tag, and speaks German too.
  await page.locator('dropoff-browser caption', { hasText: `Objekte unter ${ALICE.space}2025/303/` }).waitFor();
  await page.evaluate(() => (document.querySelector('dropoff-browser') as HTMLElement & { refresh(): Promise<void> }).refresh());
  await page.locator('dropoff-browser tbody th', { hasText: 'cdn.bin' }).waitFor();
  await page.close();
});
