// The small HTTP API beside the game: a health check for load balancers and Docker, and the
// live list of rooms the join screen shows.
// Tutorial: docs/tutorial/03-server.md

import type { FastifyInstance } from 'fastify';
import type { RoomRegistry } from '../rooms/registry.js';

export async function httpRoutes(app: FastifyInstance, opts: { registry: RoomRegistry }): Promise<void> {
  app.get('/healthz', async () => ({ status: 'ok' }));

  app.get(
    '/api/rooms',
    {
      schema: {
        response: {
          200: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                id: { type: 'string' },
                players: { type: 'integer' },
                spectators: { type: 'integer' },
                tick: { type: 'integer' },
              },
              required: ['id', 'players', 'spectators', 'tick'],
            },
          },
        },
      },
    },
    async (_req, reply) => {
      reply.header('cache-control', 'no-store');
      return opts.registry.list();
    },
  );
}
