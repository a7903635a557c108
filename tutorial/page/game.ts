// The routes every game step (7 and on) shares: `/` answers a page with a canvas, `/page.js`
// the step's own page.ts, and `/NN-step/file.ts` any module of a step folder the page imports,
// so the page runs the very rules the server runs (step 7's rules.ts) instead of a copy. The
// browser cannot run TypeScript, so a module is sent with its types stripped (Node's
// stripTypeScriptTypes: a module must use only erasable syntax). Only files under tutorial/
// with a plain name are served; anything else is a 404. The page is served as /page.js, so its
// imports name their folder ('../08-deltas/delta.ts'), which resolves the same on disk and here.
// Chapter: docs/tutorial/02-rules.md

import { readFileSync } from 'node:fs';
import { stripTypeScriptTypes } from 'node:module';
import type { FastifyInstance } from 'fastify';

const TUTORIAL = new URL('../', import.meta.url);
const html = readFileSync(new URL('page/game.html', TUTORIAL), 'utf8');
const CSP = "default-src 'self'; script-src 'self'; connect-src 'self'; style-src 'self' 'unsafe-inline'";
const MODULE = /^\/((?:\d\d-[a-z-]+|page)\/[a-z-]+\.ts)$/;

/** A TypeScript module as JavaScript a browser runs (its `.ts` imports are served by this file too). */
export function asJavaScript(file: URL): string {
  return stripTypeScriptTypes(readFileSync(file, 'utf8'));
}

export function serveGame(app: FastifyInstance, page: URL): void {
  const script = asJavaScript(page);
  app.get('/', (_request, reply) => reply.type('text/html; charset=utf-8').header('content-security-policy', CSP).send(html));
  app.get('/page.js', (_request, reply) => reply.type('text/javascript; charset=utf-8').send(script));
  app.get('/favicon.ico', (_request, reply) => reply.code(204).send());
  app.get('/*', (request, reply) => {
    const path = MODULE.exec(request.url.split('?')[0]!)?.[1];
    if (path === undefined) return reply.code(404).send({ error: 'not-found' });
    try {
      return reply.type('text/javascript; charset=utf-8').send(asJavaScript(new URL(path, TUTORIAL)));
    } catch {
      return reply.code(404).send({ error: 'not-found' });
    }
  });
}
