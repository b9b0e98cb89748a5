import { existsSync, readFileSync } from 'node:fs';
import { defineConfig } from 'vite';

// A static build (dist/) that any static host can serve; config.json beside index.html names the RPC URL
// and the hub (public/config.json is the default). The dev server (scripts/app.sh) serves the local node's
// config from .local/config.json instead.
export default defineConfig({
  base: './',
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true, target: 'es2022' },
  define: { 'process.env.NODE_ENV': JSON.stringify(process.env.NODE_ENV ?? 'production') },
  plugins: [
    {
      name: 'local-node-config',
      configureServer(server) {
        server.middlewares.use('/config.json', (_req, res, next) => {
          if (!existsSync('.local/config.json')) return next();
          res.setHeader('Content-Type', 'application/json');
          res.end(readFileSync('.local/config.json'));
        });
      },
    },
  ],
});
