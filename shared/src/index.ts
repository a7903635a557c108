// The public face of @snakepit/shared: the pure rules, the seeded RNG and the wire protocol,
// imported by name from both the server and the client (never by relative path).
// The schema validator is server-only and lives at '@snakepit/shared/validate'.

export * from './constants.js';
export * from './grid.js';
export { Board, type BoardSpec, isWalls, type Walls, WALL_MODES } from './board.js';
export * from './room-settings.js';
export * from './names.js';
export { Rng } from './rng.js';
export { TopScores, changedLines } from './top-scores.js';

export type * from './rules/state.js';
export { createGame, DEFAULT_RULES, MIN_BOARD_SIDE, maxStones } from './rules/create.js';
export { step } from './rules/step.js';
export { acknowledged, nextDir } from './rules/turns.js';
export { checkInvariants } from './rules/invariants.js';

export type * from './protocol/messages.js';
export { DEATH_CAUSES, ERROR_CODES, PING_ID_MAX, REPLAY_ID_PATTERN, SEQ_MAX } from './protocol/codes.js';
export { type Codec, type Frame, jsonCodec } from './protocol/codec.js';
export { BinaryFrameError, binaryCodec } from './protocol/binary.js';
export { WIRE_FORMATS, WIRE_FORMAT_NAMES, type WireFormat, decodeServerFrame, isWireFormat } from './protocol/wire.js';
export { TICK_SECTION_KEYS, type TickSectionKey } from './protocol/sections.js';
export { snapshotMessage, tickMessage } from './protocol/delta.js';
export { type MirrorDeath, type MirrorSnake, TickGapError, WorldMirror } from './protocol/mirror.js';
