// The small HTTP API beside the game: a health check for load balancers and Docker, and the
// live list of rooms the join screen shows, each with the settings it was made with.
// Each route declares its answer as a TypeBox schema: Fastify serializes by it (a field left out
// of the schema never leaks) and, through the type provider, the compiler checks the handler
// returns exactly that shape. Must not: change a room; this is read-only.
// Tutorial: docs/tutorial/03-server.md

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { WALL_MODES } from '@snakepit/shared';
import type { RoomRegistry } from '../rooms/registry.js';

/** What a room runs with (RoomSettings in @snakepit/shared). */
export const RoomSettingsSchema = Type.Object({
  width: Type.Integer({ minimum: 1, description: 'cells' }),
  height: Type.Integer({ minimum: 1, description: 'cells' }),
  walls: Type.Union(WALL_MODES.map((w) => Type.Literal(w))),
  tickRate: Type.Number({ exclusiveMinimum: 0, description: 'ticks per second' }),
  stones: Type.Integer({ minimum: 0 }),
});

/** One item of GET /api/rooms (RoomInfo in rooms/room.ts). */
export const RoomInfoSchema = Type.Object({
  id: Type.String(),
  players: Type.Integer({ minimum: 0 }),
  spectators: Type.Integer({ minimum: 0 }),
  tick: Type.Integer({ minimum: 0 }),
  settings: RoomSettingsSchema,
});

export const httpRoutes: FastifyPluginAsyncTypebox<{ registry: RoomRegistry }> = async (app, opts) => {
  app.get('/healthz', { schema: { response: { 200: Type.Object({ status: Type.Literal('ok') }) } } }, async () => ({ status: 'ok' as const }));

  app.get('/api/rooms', { schema: { response: { 200: Type.Array(RoomInfoSchema) } } }, async (_req, reply) => {
    reply.header('cache-control', 'no-store');
    return opts.registry.list();
  });
};
