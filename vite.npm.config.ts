import { defineConfig } from 'vite';

// The npm build: ES modules, one per source file, with the dependencies (lit, @lit/react, react, hash-wasm,
// idb-keyval, and the command line's commander, cli-progress, env-paths) and Node's built-ins left as imports for the
// consumer's bundler. Entries: the elements (`.`), the React components (`./react`), the Vue helper (`./vue`), the
// engine alone (`./engine`), Node's ports (`./node`), the `dropoff` command and Node's hash thread. The browser's hash
// worker is its own chunk with hash-wasm inside, since a worker cannot share the page's modules.
export default defineConfig({
  base: './',
  build: {
    target: 'es2022',
    outDir: 'dist/npm',
    emptyOutDir: true,
    lib: {
      entry: {
        index: 'src/index.ts',
        'react/index': 'src/react/index.ts',
        'vue/index': 'src/vue/index.ts',
        'engine/index': 'src/engine/index.ts',
        'node/index': 'src/node/index.ts',
        'node/hash-thread': 'src/node/hash-thread.ts',
        'cli/bin': 'src/cli/bin.ts',
      },
      formats: ['es'],
    },
    rollupOptions: {
      external: [/^lit(\/.*)?$/, /^@lit\//, /^@lit-labs\//, 'hash-wasm', 'idb-keyval', 'react', /^react\//, 'vue', /^node:/, 'commander', 'cli-progress', 'env-paths'],
      output: { preserveModules: true, preserveModulesRoot: 'src', entryFileNames: '[name].js' },
    },
  },
  worker: { format: 'es' },
});
