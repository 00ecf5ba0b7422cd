import { defaultClientConditions, defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';

/** The Copydesk server in development; everything not served by Vite is proxied there. */
const SERVER = 'http://127.0.0.1:3000';
const proxy = {
  '/api': { target: SERVER },
  '/healthz': { target: SERVER },
  '/news': { target: SERVER },
  '/news-assets': { target: SERVER },
  '/collab': { target: SERVER, ws: true },
  '/socket.io': { target: SERVER, ws: true },
};

export default defineConfig({
  // Resolve paths from this file, whether Vite runs in client/ or from the repository root.
  root: decodeURIComponent(new URL('.', import.meta.url).pathname),
  plugins: [react()],
  resolve: {
    // Workspace packages from their TypeScript source (the `source` export condition), not dist/.
    conditions: ['source', ...defaultClientConditions],
    // One copy of each: two Yjs or ProseMirror instances break collaboration silently.
    dedupe: ['yjs', 'y-protocols', 'lib0', '@tiptap/pm', 'react', 'react-dom'],
  },
  server: {
    port: 5173,
    proxy,
  },
  preview: {
    proxy,
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    // The editor chunk (Tiptap + ProseMirror + Yjs) is ~540 kB before gzip; it is loaded lazily.
    chunkSizeWarningLimit: 700,
    // A second entry: the live comments of the server-rendered reader pages. The server finds its
    // hashed file names in dist/.vite/manifest.json (the CSP allows no inline scripts).
    manifest: true,
    rolldownOptions: {
      input: {
        main: fileURLToPath(new URL('./index.html', import.meta.url)),
        'reader-comments': fileURLToPath(new URL('./src/features/comments/reader/main.tsx', import.meta.url)),
      },
    },
  },
});
