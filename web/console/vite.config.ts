import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The console is served by Steward under /console/; `npm run build` runs this from the repository root.
const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: '/console/',
  plugins: [react()],
  build: {
    outDir: '../../dist/console',
    emptyOutDir: true,
  },
  server: {
    // In `vite dev`, forward API calls to a locally running Steward server.
    proxy: { '/api': process.env.STEWARD_URL ?? 'http://127.0.0.1:8080' },
  },
});
