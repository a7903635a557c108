// Vite builds the client into client/dist, which the server serves at /. In development
// (`npm run dev`) Vite serves the page with hot reload and passes the game's own paths
// (/ws, /api, /healthz) through to the game server on port 3000.
// The build also does two things for the first paint on a slow phone: the stylesheet goes
// inline into index.html (a <link> would block rendering for one more round trip), and every
// file gets brotli and gzip copies beside it, which the server sends as they are. And the page
// learns the files of the game chunk (main.ts and what it imports) from a <meta> tag, so that
// entry.ts can fetch and compile them once the join screen has painted, without running them.

import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { type Plugin, defaultClientConditions, defineConfig } from 'vite';

const GAME_SERVER = process.env.GAME_SERVER ?? 'http://localhost:3000';
/** Files worth compressing; source maps are only fetched by developer tools. */
const COMPRESSIBLE = /\.(?:js|css|html|svg|json|txt)$/;
/** Below this a compressed copy saves less than its headers cost, in bytes. */
const COMPRESS_MIN_BYTES = 512;

/** Replaces index.html's <link rel="stylesheet"> with the stylesheet itself. */
function inlineCss(): Plugin {
  return {
    name: 'snakepit:inline-css',
    apply: 'build',
    enforce: 'post',
    generateBundle(_options, bundle) {
      const html = bundle['index.html'];
      if (html?.type !== 'asset' || typeof html.source !== 'string') return;
      html.source = html.source.replace(/<link rel="stylesheet"[^>]*href="\/([^"]+\.css)"[^>]*>/g, (link, file: string) => {
        const css = bundle[file];
        if (css?.type !== 'asset') return link;
        delete bundle[file];
        return `<style>${typeof css.source === 'string' ? css.source : new TextDecoder().decode(css.source)}</style>`;
      });
    },
  };
}

/**
 * Lists the game's chunks (the one made from `src/main.ts` and every chunk it imports, less the
 * ones the first chunk loads anyway) in index.html as
 * `<meta name="snakepit:game" content="/assets/main-x.js /assets/scene-y.js ...">`.
 */
function listGameChunks(): Plugin {
  return {
    name: 'snakepit:list-game-chunks',
    apply: 'build',
    enforce: 'post',
    generateBundle(_options, bundle) {
      const chunks = Object.values(bundle).filter((c) => c.type === 'chunk');
      const byFile = new Map(chunks.map((c) => [c.fileName, c]));
      const closure = (start: string, into = new Set<string>()) => {
        if (into.has(start)) return into;
        into.add(start);
        for (const dep of byFile.get(start)?.imports ?? []) closure(dep, into);
        return into;
      };
      const game = chunks.find((c) => c.facadeModuleId?.endsWith('/src/main.ts'));
      const entry = chunks.find((c) => c.isEntry);
      if (!game || !entry) throw new Error('snakepit:list-game-chunks: no chunk for src/main.ts or no entry chunk');
      const first = closure(entry.fileName);
      const files = [...closure(game.fileName)].filter((f) => !first.has(f)).map((f) => `/${f}`);
      const html = bundle['index.html'];
      if (html?.type !== 'asset' || typeof html.source !== 'string') return;
      html.source = html.source.replace('</head>', `  <meta name="snakepit:game" content="${files.join(' ')}" />\n  </head>`);
    },
  };
}

/** Writes file.br and file.gz beside every compressible file of the finished build. */
function precompress(): Plugin {
  let outDir = '';
  return {
    name: 'snakepit:precompress',
    apply: 'build',
    configResolved(config) {
      outDir = join(config.root, config.build.outDir);
    },
    closeBundle() {
      for (const file of readdirSync(outDir, { recursive: true, encoding: 'utf8' })) {
        const path = join(outDir, file);
        if (!COMPRESSIBLE.test(file) || !statSync(path).isFile()) continue;
        const data = readFileSync(path);
        if (data.length < COMPRESS_MIN_BYTES) continue;
        const br = brotliCompressSync(data, {
          params: { [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY, [constants.BROTLI_PARAM_SIZE_HINT]: data.length },
        });
        writeFileSync(`${path}.br`, br);
        writeFileSync(`${path}.gz`, gzipSync(data, { level: 9 }));
      }
    },
  };
}

export default defineConfig({
  root: import.meta.dirname,
  resolve: {
    // Read @snakepit/shared from its TypeScript source (see shared/package.json "exports").
    conditions: ['source', ...defaultClientConditions],
  },
  plugins: [inlineCss(), listGameChunks(), precompress()],
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
