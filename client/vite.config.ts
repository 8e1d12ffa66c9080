import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { serviceWorkerPlugin } from './src/phone/pwa/service-worker-plugin.ts';

// The hub serves the built client and the API on one origin; in development the dev server
// stands in for that origin and forwards the hub's paths. 127.0.0.1 rather than localhost:
// the hub listens on IPv4 by default and Node may resolve localhost to ::1 first.
const hub = 'http://127.0.0.1:8080';

export default defineConfig({
  plugins: [react(), serviceWorkerPlugin()],
  server: {
    proxy: {
      '/api': { target: hub },
      '/healthz': { target: hub },
      '/readyz': { target: hub },
      '/socket.io': { target: hub, ws: true },
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
  },
});
