import { defineConfig } from 'vite';

// The client (src/client) as one ES module for Node: build/client.mjs, used by the end-to-end tests. An SSR
// build: its packages stay imports resolved by Node (the Node builds of @solana/kit, not the browser's).
export default defineConfig({
  build: {
    outDir: 'build',
    emptyOutDir: true,
    target: 'node20',
    ssr: 'src/client/index.ts',
    rollupOptions: { output: { format: 'es', entryFileNames: 'client.mjs' } },
  },
  define: { 'process.env.NODE_ENV': JSON.stringify('production') },
});
