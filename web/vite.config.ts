import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/** Where `vite web` (the dev server) sends API calls: a running `reqase serve`. */
const apiTarget = process.env.REQASE_API_URL ?? 'http://127.0.0.1:4173';

// Root is this folder: `vite build web` writes web/dist, which `reqase serve` serves.
export default defineConfig({
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true },
  server: {
    proxy: {
      '/api': {
        target: apiTarget,
        // The API refuses writes whose Origin is not its own; the dev server's pages are ours.
        configure: (proxy) => proxy.on('proxyReq', (request) => request.setHeader('origin', apiTarget)),
      },
    },
  },
});
