// Configuration of `cem analyze` (@custom-elements-manifest/analyzer): custom-elements.json is generated from the
// elements' JSDoc, never written by hand. `npm run manifest` regenerates it.
export default {
  globs: ['src/element/**/*.ts'],
  // The texts and formats of the languages are not elements (the elements' `strings` properties name their types).
  exclude: ['**/*.test.ts', 'src/element/i18n/**'],
  outdir: '.',
  litelement: true,
  // package.json names the manifest itself; the analyzer must not rewrite it (it would write --outdir paths there).
  packagejson: false,
};
