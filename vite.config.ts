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
    lib: { entry: 'src/index.ts', formats: ['es'], fileName: () => 'dropoff-uploader.js' },
  },
  worker: { format: 'es' },
  server: { host: '127.0.0.1' },
});
