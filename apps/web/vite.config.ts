import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// `npm run dev -w apps/web` proxies /api to a running API (npm start); the API serves dist/ in production.
export default defineConfig({
  plugins: [react()],
  // the one library module the console runs (pure: no Node imports); everything else of ours is types only
  resolve: {
    alias: { '@mixflow/component-sdk/params': fileURLToPath(new URL('../../libs/component-sdk/src/params.ts', import.meta.url)) },
  },
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 1500 },
  server: { port: 5173, proxy: { '/api': process.env.MIXFLOW_API ?? 'http://127.0.0.1:3000' } },
});
