// Vite builds the client into client/dist, which the server serves at /. In development
// (`npm run dev`) Vite serves the page with hot reload and passes the game's own paths
// (/ws, /api, /healthz) through to the game server on port 3000.
import { defaultClientConditions, defineConfig } from 'vite';

const GAME_SERVER = process.env.GAME_SERVER ?? 'http://localhost:3000';

export default defineConfig({
  root: import.meta.dirname,
  resolve: {
    // Read @snakepit/shared from its TypeScript source (see shared/package.json "exports").
    conditions: ['source', ...defaultClientConditions],
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
  },
  server: {
    port: 5173,
    proxy: {
      '/ws': { target: GAME_SERVER, ws: true },
      '/api': GAME_SERVER,
      '/healthz': GAME_SERVER,
    },
  },
});
