/**
 * Fails when custom-elements.json differs from what `cem analyze` generates from the source now
 * (fix: `npm run manifest` and commit the result).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

// The analyzer resolves --outdir against the working directory, so the scratch folder lives inside the project.
const outdir = join('node_modules', '.cache', `cem-check-${process.pid}`);
mkdirSync(outdir, { recursive: true });
try {
  execFileSync('node_modules/.bin/cem', ['analyze', '--litelement', '--outdir', outdir], { stdio: 'pipe' });
  const fresh = readFileSync(join(outdir, 'custom-elements.json'), 'utf8');
  const committed = readFileSync('custom-elements.json', 'utf8');
  if (fresh !== committed) {
    console.error('custom-elements.json is out of date: run `npm run manifest` and commit it.');
    process.exit(1);
  }
  console.log('custom-elements.json matches the source.');
} finally {
  rmSync(outdir, { recursive: true, force: true });
}
