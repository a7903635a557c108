// The small HTTP API beside the game: a health check for load balancers and Docker, the live
// list of rooms the join screen shows, each with the settings it was made with, and the
// leaderboards (best score per name, for one room or all, all-time or today in UTC).
// A query is checked against its schema first: a bad one gets 400 and never reaches the store.
// Each route declares its answer as a TypeBox schema: Fastify serializes by it (a field left out
// of the schema never leaks) and, through the type provider, the compiler checks the handler
// returns exactly that shape. Must not: change a room; this is read-only.
// Tutorial: docs/tutorial/07-hardening.md

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { ROOM_ID_MAX, WALL_MODES } from '@snakepit/shared';
import type { RoomRegistry } from '../rooms/registry.js';
import type { RoomInfo } from '../rooms/room.js';
import { type GameStore, PERIODS } from '../store.js';

/** Lines a leaderboard answer may have, and has when the query does not say. */
export const LEADERBOARD_MAX = 100;
export const LEADERBOARD_DEFAULT = 10;

/** What a room runs with (RoomSettings in @snakepit/shared). */
export const RoomSettingsSchema = Type.Object({
  width: Type.Integer({ minimum: 1, description: 'cells' }),
  height: Type.Integer({ minimum: 1, description: 'cells' }),
  walls: Type.Union(WALL_MODES.map((w) => Type.Literal(w))),
  tickRate: Type.Number({ exclusiveMinimum: 0, description: 'ticks per second' }),
  stones: Type.Integer({ minimum: 0 }),
  bots: Type.Optional(Type.Integer({ minimum: 0, description: 'while a person plays, bots keep the room at this many snakes; 0: none' })),
});

/** One item of GET /api/rooms (RoomInfo in rooms/room.ts). */
export const RoomInfoSchema = Type.Object({
  id: Type.String(),
  players: Type.Integer({ minimum: 0, description: 'seats taken: people and bots' }),
  humans: Type.Integer({ minimum: 0, description: 'people playing (connected or about to resume)' }),
  bots: Type.Integer({ minimum: 0 }),
  capacity: Type.Integer({ minimum: 1, description: 'the most players; full when humans reach it (a bot gives its seat to a person)' }),
  spectators: Type.Integer({ minimum: 0 }),
  tick: Type.Integer({ minimum: 0 }),
  settings: RoomSettingsSchema,
  instance: Type.Optional(Type.String({ description: 'in a cluster: the instance that runs the room' })),
});

export const LeaderboardQuerySchema = Type.Object(
  {
    room: Type.Optional(
      Type.String({ pattern: '^[a-z0-9-]+$', minLength: 1, maxLength: ROOM_ID_MAX, description: 'one room; all rooms when left out' }),
    ),
    period: Type.Union(
      PERIODS.map((p) => Type.Literal(p)),
      { default: 'all', description: 'all: all-time; today: this UTC day' },
    ),
    limit: Type.Integer({ minimum: 1, maximum: LEADERBOARD_MAX, default: LEADERBOARD_DEFAULT }),
  },
  { additionalProperties: false },
);

export const LeaderboardSchema = Type.Object({
  room: Type.Union([Type.String(), Type.Null()], { description: 'null: every room' }),
  period: Type.Union(PERIODS.map((p) => Type.Literal(p))),
  entries: Type.Array(
    Type.Object({
      name: Type.String(),
      score: Type.Integer({ minimum: 1 }),
      room: Type.String({ description: 'where the score was made' }),
      at: Type.String({ format: 'date-time', description: 'when that life ended' }),
    }),
  ),
});

export interface HttpOptions {
  readonly registry: RoomRegistry;
  readonly store: GameStore;
  /** In a cluster, every instance's rooms (cluster/member.ts); this process's rooms otherwise. */
  readonly directory?: () => Promise<(RoomInfo & { instance: string })[]>;
}

export const httpRoutes: FastifyPluginAsyncTypebox<HttpOptions> = async (app, opts) => {
  app.get('/healthz', { schema: { response: { 200: Type.Object({ status: Type.Literal('ok') }) } } }, async () => ({
    status: 'ok' as const,
  }));

  app.get('/api/rooms', { schema: { response: { 200: Type.Array(RoomInfoSchema) } } }, async (_req, reply) => {
    reply.header('cache-control', 'no-store');
    return opts.directory ? opts.directory() : opts.registry.list();
  });

  app.get(
    '/api/leaderboard',
    { schema: { querystring: LeaderboardQuerySchema, response: { 200: LeaderboardSchema } } },
    async (req, reply) => {
      const { room, period, limit } = req.query;
      const entries = await opts.store.leaderboard({ room, period, limit });
      reply.header('cache-control', 'no-store');
      return { room: room ?? null, period, entries: entries.map((e) => ({ ...e, at: new Date(e.at).toISOString() })) };
    },
  );
};
