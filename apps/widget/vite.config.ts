import { defineConfig, type UserConfig } from 'vite';

// Two builds into dist/widget (dist/web and dist/server belong to the other builds):
//   vite build --config apps/widget/vite.config.ts                → frame.html + assets/ (Preact)
//   vite build --config apps/widget/vite.config.ts --mode loader  → widget.js (IIFE, no dependencies)
// The frame build runs first: it empties dist/widget.
// Resolved without Node-only APIs so this file typechecks with the browser tsconfig.
const root = decodeURIComponent(new URL('.', import.meta.url).pathname);
const outDir = `${root}../../dist/widget`;

const frame: UserConfig = {
  root,
  base: '/widget/',
  publicDir: false,
  // Preact's automatic JSX runtime, without a plugin.
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  resolve: { alias: { react: 'preact/compat', 'react-dom': 'preact/compat' } },
  build: {
    outDir,
    emptyOutDir: true,
    target: 'es2020',
    modulePreload: { polyfill: false },
    reportCompressedSize: false,
    rolldownOptions: {
      input: { frame: `${root}frame.html` },
      output: { entryFileNames: 'assets/[name]-[hash].js', assetFileNames: 'assets/[name]-[hash][extname]' },
    },
  },
  server: { proxy: { '/api': { target: 'http://localhost:3000', ws: true } } },
};

const loader: UserConfig = {
  root,
  publicDir: false,
  build: {
    outDir,
    emptyOutDir: false,
    target: 'es2017',
    minify: true,
    reportCompressedSize: false,
    lib: { entry: `${root}src/loader.ts`, formats: ['iife'], name: 'RapportWidget', fileName: () => 'widget.js' },
  },
};

export default defineConfig(({ mode }) => (mode === 'loader' ? loader : frame));
