/**
 * `npm run build`: the one-file bundle (dist/bundle), the npm build (dist/npm), the declarations (dist/types); then
 * the gzipped size of each entry a page downloads, and a non-zero exit when one is past its budget
 * (scripts/size-budget.ts). `--out DIR` builds into DIR instead of dist/. DROPOFF_BUDGET_ELEMENT and
 * DROPOFF_BUDGET_ENGINE (gzipped bytes) tighten the limits, to try the check.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'vite';
import { BUDGET_BYTES, measure, overBudget, sizeTable, type MeasuredEntry } from './size-budget.ts';

const outIndex = process.argv.indexOf('--out');
const out = outIndex > 0 ? process.argv[outIndex + 1]! : 'dist';
const budget = {
  element: Number(process.env.DROPOFF_BUDGET_ELEMENT) || BUDGET_BYTES.element,
  engine: Number(process.env.DROPOFF_BUDGET_ENGINE) || BUDGET_BYTES.engine,
};
/**
 * The browser's own ports of the engine (hash workers' pool, XHR transport, IndexedDB store): the engine's defaults
 * in a page, but not the engine. "The engine alone" is measured without them; "with its browser ports" beside it.
 */
const BROWSER_PORTS = [/\/worker\/hash-pool\.ts$/, /\/store\/idb-resume-store\.ts$/, /\/engine\/part-transport\.ts$/];

/** What a chunk of the bundle is, from its file name. */
function chunkLabel(file: string): string {
  if (file.startsWith('dropoff-browser')) return '<dropoff-browser> (chunk, loaded when the page uses the tag)';
  const language = /^([a-z]{2})-/.exec(file)?.[1];
  return language ? `${language} texts (chunk, loaded when an element speaks it)` : `chunk ${file}`;
}

const bundle = join(out, 'bundle');
await build({ configFile: 'vite.config.ts', logLevel: 'warn', build: { outDir: bundle, emptyOutDir: true } });
await build({ configFile: 'vite.npm.config.ts', logLevel: 'warn', build: { outDir: join(out, 'npm'), emptyOutDir: true } });
execFileSync(process.execPath, ['--import', 'tsx', 'scripts/build-types.ts', join(out, 'types')], { stdio: 'inherit' });
// The reference server as plain JavaScript (node dist/server/main.js), so deployments need no TypeScript loader.
execFileSync(process.execPath, ['--import', 'tsx', 'scripts/build-server.ts'], { stdio: 'inherit' });

// The engine is measured from builds of its own (never shipped as such: the npm build has it as modules).
const scratch = mkdtempSync(join(tmpdir(), 'dropoff-size-'));
try {
  const engineBuild = (name: string, external: RegExp[]) => build({
    configFile: 'vite.config.ts', logLevel: 'warn',
    build: { outDir: join(scratch, name), emptyOutDir: true, lib: { entry: 'src/engine/index.ts', formats: ['es'], fileName: () => 'engine.js' }, rollupOptions: { external } },
  });
  await engineBuild('alone', BROWSER_PORTS);
  await engineBuild('ports', []);
  const assets = readdirSync(join(bundle, 'assets')).filter((f) => f.endsWith('.js')).sort();
  const worker = assets.find((f) => f.startsWith('hash.worker'));
  const entries: MeasuredEntry[] = [
    measure('element bundle (<dropoff-uploader>, English; without the worker)', join(bundle, 'dropoff-uploader.js'), budget.element),
    { ...measure('engine alone (src/engine, no browser ports)', join(scratch, 'alone', 'engine.js'), budget.engine), file: '(built apart)' },
    { ...measure('engine with its browser ports', join(scratch, 'ports', 'engine.js')), file: '(built apart)' },
    ...(worker ? [measure('hash worker (hash-wasm MD5 + SHA-256)', join(bundle, 'assets', worker))] : []),
    ...assets.filter((f) => f !== worker).map((f) => measure(chunkLabel(f), join(bundle, 'assets', f))),
  ];
  console.log(`\nSizes (gzip -9, kB = 1000 bytes):\n${sizeTable(entries)}`);
  const problems = overBudget(entries);
  if (problems.length) {
    console.error(`\nSize budget exceeded:\n${problems.map((p) => `  ${p}`).join('\n')}`);
    process.exitCode = 1;
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
