import { defineConfig } from 'vite';

// The host serves dist/index.html for GET /graphql (browsers) and dist/assets/* at /graphiql/assets/.
export default defineConfig({
  base: '/graphiql/',
  logLevel: 'warn',
  build: {
    outDir: 'dist',
    assetsDir: 'assets',
    emptyOutDir: true,
    // Monaco alone is larger than vite's default warning threshold; the page is served from loopback or a LAN.
    chunkSizeWarningLimit: 8000,
    // No inlined data: URLs, so the page's CSP needs no data: sources for scripts or workers.
    assetsInlineLimit: 0,
    rollupOptions: {
      // React libraries mark modules "use client", which means nothing to a plain bundle.
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
    },
  },
  worker: { format: 'es' },
});
