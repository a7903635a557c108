// Vite builds the client into client/dist, which the server serves at /. In development
// (`npm run dev`) Vite serves the page with hot reload and passes the game's own paths
// (/ws, /api, /healthz) through to the game server on port 3000.
// The build also does two things for the first paint on a slow phone: the stylesheet goes
// inline into index.html (a <link> would block rendering for one more round trip), and every
// file gets brotli and gzip copies beside it, which the server sends as they are. And the page
// learns the files of the game chunk (main.ts and what it imports) from a <meta> tag, so that
// entry.ts can fetch and compile them once the join screen has painted, without running them.
// And it leaves out of pixi a few features it registers as it loads that the game never uses
// (PIXI_CUTS below), which no bundler can drop on its own, and puts pixi and the layers drawn
// with it in one chunk (SCENE_CHUNK), which brotli packs tighter than several.

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
      // The join screen must not wait for pixi (see SCENE_CHUNK).
      const heavy = [...first].find((f) => byFile.get(f)?.moduleIds.some((id) => id.includes('/node_modules/pixi.js/')));
      if (heavy) throw new Error(`snakepit:list-game-chunks: the first chunk imports pixi (${heavy})`);
      const files = [...closure(game.fileName)].filter((f) => !first.has(f)).map((f) => `/${f}`);
      const html = bundle['index.html'];
      if (html?.type !== 'asset' || typeof html.source !== 'string') return;
      html.source = html.source.replace('</head>', `  <meta name="snakepit:game" content="${files.join(' ')}" />\n  </head>`);
    },
  };
}

/** Lines cut out of one of pixi's files (path under node_modules/pixi.js/) as it is bundled. */
interface PixiCut {
  readonly file: string;
  /** What the lines bring, and why the game does without it. */
  readonly why: string;
  /** Each must appear exactly once in the file. */
  readonly lines: readonly string[];
}

/**
 * pixi.js registers some features as a side effect of being imported: a bundler must keep a
 * registration, and with it the whole feature, used or not. These are the ones the game never
 * uses, whose weight is worth a cut (compare the .br sizes `npm run build` writes with and
 * without a row). Keep the WebGL renderer, the Canvas fallback, Graphics, Sprite and
 * CanvasSource working: the browser tests draw with both renderers.
 */
const PIXI_CUTS: readonly PixiCut[] = [
  {
    file: 'lib/environment-browser/browserExt.mjs',
    why: "renderer.init's import of pixi's pointer events, accessibility, DOM containers and filters, which scene.ts turns off (skipExtensionImports): never fetched, but as a chunk of its own it split what it shares with the game into more files",
    lines: ["    await import('./browserAll.mjs');"],
  },
  {
    file: 'lib/environment-webworker/webworkerExt.mjs',
    why: 'the same for pixi in a web worker: the game draws on the page',
    lines: ["    await import('./webworkerAll.mjs');"],
  },
  {
    file: 'lib/index.mjs',
    why: "the sprite-sheet loader of pixi's Assets, with Assets' resolver and URL helpers: the game loads no assets",
    lines: ["import './spritesheet/init.mjs';"],
  },
  {
    file: 'lib/rendering/init.mjs',
    why: 'a <video> as a texture source (Texture.from(video)): the game shows no video',
    lines: ["import { VideoSource } from './renderers/shared/texture/sources/VideoSource.mjs';", '  VideoSource,\n'],
  },
  {
    file: 'lib/unsafe-eval/init.mjs',
    why: "ParticleContainer's eval-free update, which brings the particle buffer: the game has no ParticleContainer (one would need this back under the page's CSP)",
    lines: [
      "import { ParticleBuffer } from '../scene/particle-container/shared/ParticleBuffer.mjs';",
      "import { generateParticleUpdatePolyfill } from './particle/generateParticleUpdatePolyfill.mjs';",
      '  Object.assign(ParticleBuffer.prototype, {\n    // use polyfill which avoids eval method\n    generateParticleUpdate: generateParticleUpdatePolyfill\n  });\n',
    ],
  },
];

/**
 * Applies PIXI_CUTS. A cut line is replaced by as many newlines, so the source maps stay right.
 * A line that is not found once, or a file never bundled, fails the build: a new pixi has moved
 * things, so look again rather than ship the feature back (or break it) unnoticed. Builds only:
 * `npm run dev` serves pixi whole.
 */
function cutPixi(): Plugin {
  const seen = new Set<string>();
  return {
    name: 'snakepit:cut-pixi',
    apply: 'build',
    transform(code, id) {
      const cut = PIXI_CUTS.find((c) => id.replaceAll('\\', '/').endsWith(`/node_modules/pixi.js/${c.file}`));
      if (!cut) return null;
      seen.add(cut.file);
      let out = code;
      for (const line of cut.lines) {
        const at = out.indexOf(line);
        if (at < 0 || out.indexOf(line, at + 1) >= 0)
          throw new Error(`snakepit:cut-pixi: not exactly once in pixi.js/${cut.file} (cut for ${cut.why}): ${line}`);
        out = out.slice(0, at) + '\n'.repeat(line.split('\n').length - 1) + out.slice(at + line.length);
      }
      return { code: out, map: null };
    },
    buildEnd(error) {
      const missing = PIXI_CUTS.filter((c) => !seen.has(c.file)).map((c) => c.file);
      if (!error && missing.length) throw new Error(`snakepit:cut-pixi: never bundled: pixi.js/${missing.join(', pixi.js/')}`);
    },
  };
}

/**
 * The modules of one chunk, `scene`: pixi and our layers drawn with it, those of them that more
 * than one of the page's imports uses (main.ts and the replay viewer both draw with them; the
 * Canvas renderer is built on them). The bundler would split them into a chunk for each
 * combination of importers; the page fetches them all at start anyway, and brotli packs one file
 * tighter than four (compare the .br sizes `npm run build` writes without it). What one import
 * alone uses stays with it: the Canvas renderer's own modules are fetched only without WebGL.
 * The first chunk imports none of them, so the join screen never waits for pixi
 * (listGameChunks checks).
 */
const SCENE_CHUNK = /[\\/](?:node_modules|client[\\/]src[\\/]render)[\\/]/;

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
  plugins: [cutPixi(), inlineCss(), listGameChunks(), precompress()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    rolldownOptions: {
      output: {
        codeSplitting: {
          groups: [
            {
              name: 'scene',
              test: SCENE_CHUNK,
              minShareCount: 2,
              // Not what they import in turn: pixi's index imports all of pixi, the Canvas renderer too.
              includeDependenciesRecursively: false,
            },
          ],
        },
      },
    },
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
