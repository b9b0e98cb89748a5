import { defineConfig } from 'vite';

// The client (src/client) as one ES module for Node: build/client.mjs, used by the end-to-end tests.
export default defineConfig({
  build: {
    outDir: 'build',
    emptyOutDir: true,
    target: 'node20',
    lib: { entry: 'src/client/index.ts', formats: ['es'], fileName: () => 'client.mjs' },
    rollupOptions: { external: [/^node:/] },
  },
  define: { 'process.env.NODE_ENV': JSON.stringify('production') },
});
