/**
 * Emits the type declarations (dist/types, or the folder given as argument) with tsc and rewrites their relative
 * `.ts` imports to `.js`, the form every consumer's TypeScript resolves to the `.d.ts` beside it.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const outDir = process.argv[2] ?? 'dist/types';
rmSync(outDir, { recursive: true, force: true });
execFileSync('node_modules/.bin/tsc', ['-p', 'tsconfig.types.json', '--outDir', outDir], { stdio: 'inherit' });

function rewrite(dir: string): number {
  let count = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) count += rewrite(path);
    else if (entry.name.endsWith('.d.ts')) {
      const text = readFileSync(path, 'utf8');
      writeFileSync(path, text.replace(/(from\s+|import\(\s*)(['"])(\.{1,2}\/[^'"]+)\.ts\2/g, '$1$2$3.js$2'));
      count++;
    }
  }
  return count;
}
console.log(`${outDir}: ${rewrite(outDir)} declaration files`);
