// Every Redis key a cluster uses, and how its client connects, in one place, so that the store
// (store/redis.ts) and the member (cluster/member.ts) cannot drift apart, and an operator can
// read what is in Redis:
//   snakepit:lease:<room>      the instance running the room (expires unless renewed)
//   snakepit:ckpt:<room>       the room's last checkpoint (store/checkpoint.ts), resume tokens hashed
//   snakepit:top:<room>        the room's top-score table, JSON
//   snakepit:lb:<room|*>:<all|day>  leaderboard sorted sets (best score per name), and lbm: their details
//   snakepit:instances         a set of instance ids; snakepit:dir:<id> each one's rooms (expires)
// Must not: hold anything else; room ids are a-z, 0-9 and - only, so no key can run into another.
// Tutorial: docs/tutorial/09-scaling-out.md (README: "Past one machine")

import { createClient } from '@redis/client';

/** A client for `url`: commands fail at once while Redis is away rather than wait in a queue past their lease. */
export function redisClient(url: string) {
  return createClient({
    url,
    disableOfflineQueue: true,
    socket: { connectTimeout: 1000, reconnectStrategy: (retries: number) => Math.min(50 * 2 ** retries, 1000) },
  });
}

/** The client every part of a member shares, so that its commands reach Redis in the order sent. */
export type Redis = ReturnType<typeof redisClient>;

const P = 'snakepit:';

export const keys = {
  lease: (room: string) => `${P}lease:${room}`,
  checkpoint: (room: string) => `${P}ckpt:${room}`,
  top: (room: string) => `${P}top:${room}`,
  /** `room` null: every room's board; `day` null: all time. */
  board: (room: string | null, day: string | null) => `${P}lb:${room ?? '*'}:${day ?? 'all'}`,
  boardDetails: (room: string | null, day: string | null) => `${P}lbm:${room ?? '*'}:${day ?? 'all'}`,
  instances: `${P}instances`,
  directory: (instance: string) => `${P}dir:${instance}`,
} as const;
