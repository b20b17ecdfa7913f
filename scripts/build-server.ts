/**
 * Builds the reference server to plain JavaScript: dist/server/main.js (the server) and dist/server/worker.js (a
 * validation worker), run with `node`, no TypeScript loader. Dependencies stay external (they come from node_modules).
 */
import { build } from 'esbuild';

await build({
  entryPoints: { main: 'server/main.ts', worker: 'server/worker.ts' },
  outdir: 'dist/server',
  bundle: true,
  splitting: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
});
console.log('built dist/server/main.js and dist/server/worker.js');
