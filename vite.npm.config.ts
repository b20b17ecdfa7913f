import { defineConfig } from 'vite';

// The npm build: ES modules, one per source file, with the dependencies (lit, @lit/react, react, hash-wasm, idb-keyval) left
// as imports for the consumer's bundler. The hash worker is its own chunk with hash-wasm inside, since a worker
// cannot share the page's modules.
export default defineConfig({
  base: './',
  build: {
    target: 'es2022',
    outDir: 'dist/npm',
    emptyOutDir: true,
    // The elements and engine; the React components (`dropoff-uploader/react`); the Vue helper (`dropoff-uploader/vue`).
    lib: { entry: { index: 'src/index.ts', 'react/index': 'src/react/index.ts', 'vue/index': 'src/vue/index.ts' }, formats: ['es'] },
    rollupOptions: {
      external: [/^lit(\/.*)?$/, /^@lit\//, /^@lit-labs\//, 'hash-wasm', 'idb-keyval', 'react', /^react\//, 'vue'],
      output: { preserveModules: true, preserveModulesRoot: 'src', entryFileNames: '[name].js' },
    },
  },
  worker: { format: 'es' },
});
