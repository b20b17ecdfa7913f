import minifyHtmlLiterals from '@lit-labs/rollup-plugin-minify-html-literals';
import { defineConfig } from 'vite';

// The demo page is served from demo/ by `npm start`. `npm run build` makes dist/bundle/dropoff-uploader.js: one ES
// module, every dependency inside, that a page loads with a single <script type="module"> tag (the hash worker and its
// wasm are a chunk beside it, found by a relative URL). vite.npm.config.ts makes the npm build.
export default defineConfig({
  // Relative URLs, so that the worker chunk is found wherever dist/ is served from.
  base: './',
  build: {
    target: 'es2022',
    outDir: 'dist/bundle',
    lib: { entry: 'src/bundle.ts', formats: ['es'], fileName: () => 'dropoff-uploader.js' },
    // Minified whitespace too: Vite keeps it in ES library builds for the sake of a consumer's tree-shaking, but this
    // bundle is loaded as it is by a script tag (scripts/build.ts checks its gzipped size against the budget).
    // The languages other than English are chunks in assets/, beside the worker, loaded when an element needs one.
    // What <dropoff-browser> shares with the uploader stays in the bundle (the entry may export more than its own
    // exports for that), rather than becoming a third file every page would load. Pure annotations are dropped from
    // the output: they help a bundler that tree-shakes, and nothing tree-shakes this file.
    rollupOptions: { preserveEntrySignatures: 'allow-extension', output: { minify: true, comments: { annotation: false }, chunkFileNames: 'assets/[name]-[hash].js' } },
  },
  // Lit's html`` and css`` templates lose their indentation and CSS its comments (build only: the dev server and the
  // tests serve the source as written).
  plugins: [{ ...minifyHtmlLiterals({ failOnError: true }), apply: 'build' }],
  worker: { format: 'es' },
  server: { host: '127.0.0.1' },
});
