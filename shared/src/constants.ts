// The tuning numbers of the game, in one place, each with its unit.
// Both the server (to run the rules) and the client (to draw and to validate what the player
// types) read these; nothing here may depend on Node, the DOM or a clock.
// Tutorial: docs/tutorial/02-rules.md

/** Bumped whenever a message changes shape; travels in the `welcome` message. */
export const PROTOCOL_VERSION = 6;

/** Default board size, in cells. The original snakepit used 50x25. */
export const GRID_W = 60;
export const GRID_H = 40;

/** Default simulation rate, in ticks per second. The original ran at 2.3. */
export const TICK_RATE = 10;

/** Default cap on snakes (playing members) per room; spectators are not counted. Original: 10. */
export const MAX_PLAYERS_PER_ROOM = 10;

/** A new snake's length, in cells. */
export const START_LENGTH = 3;

/** Turns a player may have waiting; the tick consumes them in order (see step.ts, phase 2). */
export const MAX_QUEUED_TURNS = 2;

/** Food kept on the board: FOOD_BASE + FOOD_PER_SNAKE per live snake, in items. */
export const FOOD_BASE = 3;
export const FOOD_PER_SNAKE = 2;

/** Food values are digits; a dead snake's cells become food worth 1..DEATH_FOOD_MAX. */
export const FOOD_MIN = 1;
export const FOOD_MAX = 9;
export const DEATH_FOOD_MAX = 3;
/** A dead snake's food stops once food covers 1 cell in FOOD_CAP_CELLS, so the board never silts up. */
export const FOOD_CAP_CELLS = 16;

/**
 * Spawn safety, in cells: distance from the walls, free cells ahead (10 is a second at the
 * default rate: time to see where you are before you must turn), and from other snakes.
 */
export const SPAWN_WALL_MARGIN = 3;
export const SPAWN_LOOKAHEAD = 10;
export const SPAWN_CLEARANCE = 3;
/** Random placements tried before a spawn gives up, per relaxation level. */
export const SPAWN_ATTEMPTS = 200;

/** Player names: 1..NAME_MAX characters after trimming. */
export const NAME_MAX = 16;

/** Room ids: 1..32 characters of [a-z0-9-]. */
export const ROOM_ID_MAX = 32;
export const ROOM_ID_PATTERN = /^[a-z0-9-]{1,32}$/;
export const DEFAULT_ROOM = 'lobby';

/** Best-score table length per room. */
export const TOP_SCORES = 15;
