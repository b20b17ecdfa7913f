// Configuration of `cem analyze` (@custom-elements-manifest/analyzer): custom-elements.json is generated from the
// elements' JSDoc, never written by hand. `npm run manifest` regenerates it.
export default {
  globs: ['src/element/**/*.ts'],
  exclude: ['**/*.test.ts'],
  outdir: '.',
  litelement: true,
  // package.json names the manifest itself; the analyzer must not rewrite it (it would write --outdir paths there).
  packagejson: false,
};
