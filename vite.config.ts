import { defineConfig } from 'vite';

// The demo page is served from demo/ by `npm start`; `npm run build` makes dist/dropoff-uploader.js, one ES module a
// page loads with a single <script type="module"> tag (the hash worker and its wasm go in a chunk beside it).
export default defineConfig({
  // Relative URLs, so that the worker chunk is found wherever dist/ is served from.
  base: './',
  build: {
    target: 'es2022',
    lib: { entry: 'src/index.ts', formats: ['es'], fileName: () => 'dropoff-uploader.js' },
  },
  worker: { format: 'es' },
  server: { host: '127.0.0.1' },
});
