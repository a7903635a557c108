// The small fixed vocabularies of the protocol, as plain arrays and numbers: error codes, death
// causes and the ranges of the client's counters.
// They live apart from the schemas (messages.ts) so that code which only needs the words, such
// as the binary codec in the browser, does not pull the schema library into the page.
// Tutorial: docs/tutorial/03-state-sync.md

export const ERROR_CODES = [
  'bad-message', // not a message snakepit understands (the reason says why)
  'bad-name', // join with an empty or too long name
  'room-full', // the room has its maximum of snakes; you can keep watching
  'already-playing', // join sent twice
  'not-playing', // turn or respawn before join
  'no-space', // the board is too crowded to place your snake; try again
  'server-busy', // limits reached; try later
  'room-error', // the room's game failed and was closed; reconnect to start a fresh one
  'bad-token', // ?resume= named no game this room holds (unknown, used, expired): join again
  'seat-freed', // dead too long without playing again: you watch now, your seat is free; join to play
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** How a snake can die; the binary codec sends the index. The rules' DeathCause is this list. */
export const DEATH_CAUSES = ['wall', 'stone', 'self', 'snake', 'head-on'] as const;
export type DeathCause = (typeof DEATH_CAUSES)[number];

/**
 * Largest turn sequence number (`turn.seq`, 1..SEQ_MAX): a page numbers its turns 1, 2, 3...,
 * so 2^31-1 outlasts any game, and a seq always fits a 32-bit integer and at most 5 varint bytes.
 */
export const SEQ_MAX = 2 ** 31 - 1;

/** Largest `ping` id (0..PING_ID_MAX); the `pong` gives it back. */
export const PING_ID_MAX = 2 ** 31 - 1;

/** A recorded life's id (the `replay` message, `/?replay=<id>`, `GET /api/replays/<id>`): 12 characters of base64url. */
export const REPLAY_ID_PATTERN = '^[A-Za-z0-9_-]{12}$';
