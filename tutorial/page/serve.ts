// The two routes every tutorial step with a page shares: `/` answers the page and `/page.js`
// its script, both read from this folder. The page is sent with a Content-Security-Policy that
// allows only scripts from this server, as the real game does, so an inline <script> (or one
// injected through a player's name) would not run.
// Tutorial: docs/tutorial/01-game-loop.md

import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';

const html = readFileSync(new URL('index.html', import.meta.url), 'utf8');
const script = readFileSync(new URL('page.js', import.meta.url), 'utf8');
const CSP = "default-src 'self'; script-src 'self'; connect-src 'self'; style-src 'self' 'unsafe-inline'";

export function servePage(app: FastifyInstance): void {
  app.get('/', (_request, reply) => reply.type('text/html; charset=utf-8').header('content-security-policy', CSP).send(html));
  app.get('/page.js', (_request, reply) => reply.type('text/javascript; charset=utf-8').send(script));
}
