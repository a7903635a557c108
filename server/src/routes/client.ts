// The page itself: the Vite-built client, served as static files. Hashed assets are cached for
// a year; index.html never is, so a new deploy is picked up on the next load. Each file is sent
// as the brotli or gzip copy the build made beside it (client/vite.config.ts) when the browser
// accepts one: nothing is compressed per request. The page's stylesheet is inline (it would
// block the first paint as a file): the page's Content-Security-Policy allows exactly that
// style, by its hash, and no other inline style. If the client has not been built, / says so
// plainly instead of a bare 404.
// Tutorial: docs/tutorial/07-hardening.md

import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

/** The CSP sources that allow the <style> elements of `html`, by their sha256 hashes. */
export function inlineStyleHashes(html: string): string[] {
  return [...html.matchAll(/<style>([\s\S]*?)<\/style>/g)].map((m) => `'sha256-${createHash('sha256').update(m[1]!).digest('base64')}'`);
}

export async function clientRoutes(app: FastifyInstance, opts: { clientDir: string | null }): Promise<void> {
  const { clientDir } = opts;
  if (clientDir === null) return;
  const index = join(clientDir, 'index.html');
  if (!existsSync(index)) {
    app.log.warn({ clientDir }, 'no built client found: run `npm run build` to serve the game page');
    app.get('/', async (_req, reply) =>
      reply.code(503).type('text/plain').send('The snakepit client has not been built. Run `npm run build`, then restart.\n'),
    );
    return;
  }
  const styles = inlineStyleHashes(readFileSync(index, 'utf8')).join(' ');
  await app.register(fastifyStatic, {
    root: clientDir,
    preCompressed: true,
    setHeaders(reply, path) {
      const immutable = path.includes(`${join('/', 'assets', '/')}`);
      reply.header('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
      // The page (index.html, or its .br/.gz copy): add its own styles to the policy helmet set.
      const csp = reply.getHeader('content-security-policy');
      if (styles && /\.html(?:\.br|\.gz)?$/.test(path) && typeof csp === 'string')
        reply.header(
          'content-security-policy',
          csp.replace(/style-src ([^;]*)/, (_all, sources: string) => `style-src ${sources} ${styles}`),
        );
    },
  });
}
