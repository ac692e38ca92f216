import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// Resolved without Node-only APIs so this file typechecks with the browser tsconfig.
const root = decodeURIComponent(new URL('.', import.meta.url).pathname);
const api = 'http://localhost:3000';

export default defineConfig({
  root,
  base: '/',
  plugins: [react()],
  build: {
    outDir: '../../dist/web',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
  },
  server: {
    proxy: {
      // The server checks the Origin header against its own origin (CSRF protection),
      // so the dev proxy presents requests as same-origin.
      '/api': {
        target: api,
        configure: (proxy) => {
          proxy.on('proxyReq', (req) => {
            if (req.getHeader('origin')) req.setHeader('origin', api);
          });
        },
      },
      '/healthz': { target: api },
    },
  },
});
