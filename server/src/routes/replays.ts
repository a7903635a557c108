// GET /api/replays/:id: one recorded life, as the page's replay viewer (client/src/replay/) plays
// it: the game at the keyframe before the life began, and every tick's inputs up to the tick it
// ended. Running the shared step() over them gives the very game the room played. Recordings stay
// with the process that made them; `?room=` lets a proxy hashing on the room find it.
// The id is checked against its schema first (400); an unknown or pruned one gets 404 with a
// JSON error saying so. Must not: change anything; a recording never changes once written.
// Tutorial: docs/tutorial/06-resume.md

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { type Static, Type } from '@sinclair/typebox';
import { REPLAY_ID_PATTERN, ROOM_ID_MAX } from '@snakepit/shared';
import { RecordedTickSchema, type ReplayStore } from '../store/replays.js';

export const ReplayParamsSchema = Type.Object({
  id: Type.String({ pattern: REPLAY_ID_PATTERN, description: 'the id the `replay` message gave' }),
});

export const ReplaySchema = Type.Object({
  id: Type.String(),
  room: Type.String(),
  player: Type.Object({ id: Type.Integer({ minimum: 0 }), name: Type.String() }),
  score: Type.Integer({ minimum: 0, description: 'the score the life ended with' }),
  tickRate: Type.Number({ exclusiveMinimum: 0, description: 'ticks per second' }),
  from: Type.Integer({ minimum: 0, description: 'the tick before the snake appeared (or where the recording began)' }),
  to: Type.Integer({ minimum: 0, description: 'the tick the snake died' }),
  at: Type.String({ format: 'date-time', description: 'when the life ended' }),
  start: Type.Unknown({
    description: 'the GameState (shared/src/rules/state.ts) at the keyframe, tick start.tick <= from, with food as [cell, value] pairs',
  }),
  ticks: Type.Array(RecordedTickSchema, { description: 'the inputs of each tick after start.tick up to `to` that had any, in order' }),
});

type RecordedTickJson = Static<typeof RecordedTickSchema>;

/** `room` is not used here: it lets a proxy that hashes on it reach the process that recorded the replay. */
export const ReplayQuerySchema = Type.Object(
  { room: Type.Optional(Type.String({ pattern: '^[a-z0-9-]+$', minLength: 1, maxLength: ROOM_ID_MAX })) },
  { additionalProperties: false },
);

const NotFoundSchema = Type.Object({ error: Type.Literal('replay-not-found'), message: Type.String() });

export const replayRoutes: FastifyPluginAsyncTypebox<{ replays: ReplayStore | null }> = async (app, opts) => {
  app.get(
    '/api/replays/:id',
    { schema: { params: ReplayParamsSchema, querystring: ReplayQuerySchema, response: { 200: ReplaySchema, 404: NotFoundSchema } } },
    async (req, reply) => {
      const replay = (await opts.replays?.replay(req.params.id)) ?? null;
      if (!replay) {
        return reply.code(404).send({
          error: 'replay-not-found' as const,
          message: `no replay ${req.params.id} here: it was never recorded on this server, or it is older than the recordings kept`,
        });
      }
      const { life, tickRate, start, ticks } = replay;
      reply.header('cache-control', 'public, max-age=3600');
      return {
        id: life.id,
        room: life.room,
        player: { id: life.player, name: life.name },
        score: life.score,
        tickRate,
        from: life.from,
        to: life.to,
        at: new Date(life.at).toISOString(),
        start: { ...start, food: [...start.food] },
        ticks: ticks as RecordedTickJson[],
      };
    },
  );
};
