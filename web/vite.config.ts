import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// Root is this folder (`vite build web`); the server serves web/dist.
export default defineConfig({
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true },
});
