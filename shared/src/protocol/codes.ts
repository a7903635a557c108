// The small fixed vocabularies of the protocol, as plain arrays: error codes and death causes.
// They live apart from the schemas (messages.ts) so that code which only needs the words, such
// as the binary codec in the browser, does not pull the schema library into the page.
// Tutorial: docs/tutorial/02-protocol.md

export const ERROR_CODES = [
  'bad-message', // not a message snakepit understands (the reason says why)
  'bad-name', // join with an empty or too long name
  'room-full', // the room has its maximum of snakes; you can keep watching
  'already-playing', // join sent twice
  'not-playing', // turn or respawn before join
  'no-space', // the board is too crowded to place your snake; try again
  'server-busy', // limits reached; try later
  'room-error', // the room's game failed and was closed; reconnect to start a fresh one
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** How a snake can die; the binary codec sends the index. The rules' DeathCause is this list. */
export const DEATH_CAUSES = ['wall', 'stone', 'self', 'snake', 'head-on'] as const;
export type DeathCause = (typeof DEATH_CAUSES)[number];
