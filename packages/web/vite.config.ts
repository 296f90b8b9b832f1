import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/**
 * The server serves `dist/` at `/`; `vite dev` proxies the API to a running `hospitium start`
 * so screens can be worked on with hot reload.
 */
export default defineConfig({
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Hashed file names under assets/ are cached for a year by the server; index.html never.
    assetsDir: 'assets',
    chunkSizeWarningLimit: 600,
  },
  server: {
    proxy: {
      '/fhir': 'http://localhost:8080',
      '/auth': 'http://localhost:8080',
      '/.well-known': 'http://localhost:8080',
    },
  },
});
