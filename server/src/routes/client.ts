// The page itself: the Vite-built client, served as static files. Hashed assets are cached for
// a year; index.html never is, so a new deploy is picked up on the next load. If the client has
// not been built, / says so plainly instead of a bare 404.
// Tutorial: docs/tutorial/03-server.md

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

export async function clientRoutes(app: FastifyInstance, opts: { clientDir: string | null }): Promise<void> {
  const { clientDir } = opts;
  if (clientDir === null) return;
  if (!existsSync(join(clientDir, 'index.html'))) {
    app.log.warn({ clientDir }, 'no built client found: run `npm run build` to serve the game page');
    app.get('/', async (_req, reply) =>
      reply.code(503).type('text/plain').send('The snakepit client has not been built. Run `npm run build`, then restart.\n'),
    );
    return;
  }
  await app.register(fastifyStatic, {
    root: clientDir,
    setHeaders(reply, path) {
      const immutable = path.includes(`${join('/', 'assets', '/')}`);
      reply.header('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
}
