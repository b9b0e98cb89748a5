import { defineConfig } from 'vite';

// A static build (dist/) that any static host can serve; config.json beside index.html names the RPC URL
// and the hub (public/config.json is the local default).
export default defineConfig({
  base: './',
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true, target: 'es2022' },
  define: { 'process.env.NODE_ENV': JSON.stringify(process.env.NODE_ENV ?? 'production') },
});
