// The binary codec: every server message comes back exactly as it went in (random games on
// solid and wrapping boards, with numbered turns and players going away, and arbitrary
// messages), deltas decoded from bytes still rebuild every snapshot, what the server never sends
// cannot be encoded and its bytes are refused, hostile bytes only ever produce an Error, a steady
// 10-snake tick stays 14 bytes, and acknowledging a turn costs about 2 bytes.
// docs/wire-format.md is held to the code: its section table, its lists and every worked example.
// The "wire sizes" test prints the numbers quoted there.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import {
  BinaryFrameError,
  Board,
  type BoardSpec,
  type Codec,
  DEATH_CAUSES,
  DEFAULT_RULES,
  type Dir,
  ERROR_CODES,
  FOOD_MAX,
  FOOD_MIN,
  type GameEvent,
  type GameState,
  PING_ID_MAX,
  PROTOCOL_VERSION,
  Rng,
  SEQ_MAX,
  type RulesConfig,
  type ServerMessage,
  type SnapshotMessage,
  TICK_SECTION_KEYS,
  type TickInputs,
  type TickMessage,
  type TopEntry,
  WALL_MODES,
  WIRE_FORMATS,
  WIRE_FORMAT_NAMES,
  WorldMirror,
  binaryCodec,
  createGame,
  jsonCodec,
  snapshotMessage,
  step,
  TopScores,
  changedLines,
  tickMessage,
} from '@snakepit/shared';
import { parseClientMessage } from '@snakepit/shared/validate';
import { randomNetInputs } from './helpers.ts';

const MAX_SAFE = Number.MAX_SAFE_INTEGER;
/** Names that have broken text codecs before: emoji, combining marks, BOM, NUL, astral, RTL. */
const ODD_NAMES = ['Zoë', '🐍 Sid', '李雷', 'e\u0301', '\uFEFFbom', 'a\u0000b', '\u{10FFFF}', 'مرحبا', '👩‍👩‍👧', ''];

function bytes(frame: string | Uint8Array): Uint8Array {
  assert.ok(frame instanceof Uint8Array, 'the binary codec sends bytes');
  return frame;
}

function roundTrip(codec: Codec, msg: ServerMessage): ServerMessage {
  return codec.decodeServer(codec.encodeServer(msg));
}

/** The room's top table after `state`, by the same rule the server uses (shared TopScores). */
function topOf(state: GameState, table: readonly TopEntry[]): readonly TopEntry[] {
  const top = new TopScores(table);
  for (const p of state.players) top.record(p.name, p.best);
  return top.table;
}

/** Random inputs (numbered turns, players away and back), with joiners given odd Unicode names so strings travel through real games. */
function oddInputs(state: GameState, rng: Rng, nextId: { value: number }, maxPlayers: number): TickInputs {
  const inputs = randomNetInputs(state, rng, nextId, maxPlayers);
  return { ...inputs, joins: inputs.joins?.map((j) => ({ id: j.id, name: `${ODD_NAMES[j.id % ODD_NAMES.length]}${j.id}` })) };
}

interface Played {
  prev: GameState;
  next: GameState;
  events: readonly GameEvent[];
  /** The top table after this step, and the lines that changed, if any (what a tick carries). */
  table: readonly TopEntry[];
  top: TopEntry[] | null;
}

/** Plays a game, calling `each` with every step and the top table when it changed. */
function play(state: GameState, ticks: number, inputs: (s: GameState) => TickInputs, each: (p: Played) => void): GameState {
  let table: readonly TopEntry[] = [];
  for (let t = 0; t < ticks; t++) {
    const { state: next, events } = step(state, inputs(state));
    const top = topOf(next, table);
    const lines = changedLines(table, top);
    table = top;
    each({ prev: state, next, events, table, top: lines.length ? lines : null });
    state = next;
  }
  return state;
}

/**
 * A bot that stays alive and eats: among the straight and the two side steps it takes a free
 * one nearest to food, and numbers its turns 1, 2, 3... as a page does. Used to get a
 * believable mid-game room (long snakes) for the sizes.
 */
function greedyInputs(state: GameState): TickInputs {
  const board = Board.of(state.config);
  const blocked = new Set<number>(state.stones);
  for (const p of state.players) for (const c of p.snake?.body ?? []) blocked.add(c);
  const turns: { id: number; dir: Dir; seq: number }[] = [];
  const respawns: number[] = [];
  for (const p of state.players) {
    if (!p.snake) {
      respawns.push(p.id);
      continue;
    }
    let best: Dir | null = null;
    let bestDistance = Infinity;
    for (const d of [p.snake.dir, (p.snake.dir + 1) & 3, (p.snake.dir + 3) & 3] as Dir[]) {
      const c = board.neighbour(p.snake.body[0]!, d);
      if (c < 0 || blocked.has(c)) continue;
      let distance = board.width + board.height;
      for (const f of state.food.keys()) distance = Math.min(distance, board.distance(f, c));
      if (distance < bestDistance) [best, bestDistance] = [d, distance];
    }
    if (best !== null && best !== p.snake.dir) turns.push({ id: p.id, dir: best, seq: p.seq + 1 });
  }
  return { turns, respawns };
}

const TEN_JOINS: TickInputs = { joins: Array.from({ length: 10 }, (_, i) => ({ id: i + 1, name: `player${i + 1}` })) };

/** A real steady tick: 10 snakes, just placed on a board with no food, all moving, none growing. */
function steadyTenSnakeTick(inputs: TickInputs = {}): TickMessage {
  const quiet = { ...DEFAULT_RULES, foodBase: 0, foodPerSnake: 0 };
  const state = step(createGame(quiet, 42), TEN_JOINS).state;
  const { state: next, events } = step(state, inputs);
  return tickMessage(state, next, events, null);
}

/** Small boards, so snakes reach the edges (and, where they wrap, cross them) often. */
const GAME_BOARDS: readonly RulesConfig[] = [
  { ...DEFAULT_RULES, stones: 20 },
  { ...DEFAULT_RULES, width: 20, height: 14, walls: 'wrap', stones: 10 },
];

describe('binary codec: real games', () => {
  test('snapshots and deltas of random games round-trip exactly, and decoded deltas rebuild every snapshot, on solid and wrapping boards (property)', () => {
    const seen = { acks: 0, away: 0 };
    fc.assert(
      fc.property(
        fc.constantFrom(...GAME_BOARDS),
        fc.integer({ min: 0, max: 2 ** 32 - 1 }),
        fc.integer({ min: 0, max: 2 ** 32 - 1 }),
        (rules, seed, scriptSeed) => {
          const script = new Rng(scriptSeed);
          const nextId = { value: 1 };
          const mirror = new WorldMirror();
          const start = createGame(rules, seed);
          mirror.applySnapshot(roundTrip(binaryCodec, snapshotMessage(start, [])) as SnapshotMessage);
          play(
            start,
            300,
            (s) => oddInputs(s, script, nextId, 10),
            ({ prev, next, events, table, top }) => {
              const delta = tickMessage(prev, next, events, top);
              const decoded = roundTrip(binaryCodec, delta) as TickMessage;
              assert.deepEqual(decoded, delta);
              // Same keys in the same order: decode omits absent fields, as the rule for ticks says.
              assert.equal(JSON.stringify(decoded), JSON.stringify(delta));
              mirror.applyTick(decoded);
              if (decoded.acks) seen.acks++;
              if (decoded.away) seen.away++;
              const snapshot = snapshotMessage(next, table);
              assert.deepEqual(roundTrip(binaryCodec, snapshot), snapshot);
              assert.deepEqual(mirror.toSnapshot(), snapshot);
            },
          );
        },
      ),
      { numRuns: 24 },
    );
    // The games must really have acknowledged turns and sent players away, or they proved little.
    assert.ok(seen.acks > 1000 && seen.away > 100, JSON.stringify(seen));
  });

  test('a steady tick of a 10-snake room is 14 bytes, and at most 40 late in a long-lived room', (t) => {
    const msg = steadyTenSnakeTick();
    assert.deepEqual(Object.keys(msg), ['type', 'tick', 'moves']);
    assert.equal(msg.moves!.length, 10);
    assert.ok(msg.moves!.every(([, , trim]) => trim === 1));
    const frame = bytes(binaryCodec.encodeServer(msg));
    // type, tick, mask, count, then one byte per move.
    assert.equal(frame.length, 14);
    // Still inside the budget ~310 days into a room at 10 ticks/s (a 4-byte tick varint), with
    // ids past 127 (2-byte varints), the worst a long-lived room gets.
    const late: TickMessage = { ...msg, tick: 2 ** 28 - 1, moves: msg.moves!.map(([id, dir, trim]) => [id + 1000, dir, trim]) };
    const lateFrame = bytes(binaryCodec.encodeServer(late));
    assert.ok(lateFrame.length <= 40, `${lateFrame.length} bytes`);
    t.diagnostic(`steady tick ${frame.length} B; at tick 2^28-1 with ids above 1000: ${lateFrame.length} B`);
    assert.deepEqual(binaryCodec.decodeServer(lateFrame), late);
  });

  test('a tick that acknowledges turns costs 4 bytes more, then 2 or 3 bytes per turn', (t) => {
    const steady = bytes(binaryCodec.encodeServer(steadyTenSnakeTick())).length;
    // Player 3 turns (seq 1): the tick lists [3, 1].
    const one = steadyTenSnakeTick({ turns: [{ id: 3, dir: 0, seq: 1 }] });
    assert.deepEqual(one.acks, [[3, 1]]);
    const oneBytes = bytes(binaryCodec.encodeServer(one)).length;
    // The mask's second byte, the count, then the id's step and the seq: a byte each.
    assert.equal(oneBytes, steady + 4);
    // A second player's turn adds its id step and seq: 2 bytes while the seq is below 128, 3 to 16383.
    const two = steadyTenSnakeTick({
      turns: [
        { id: 3, dir: 0, seq: 1 },
        { id: 7, dir: 0, seq: 200 },
      ],
    });
    assert.deepEqual(two.acks, [
      [3, 1],
      [7, 200],
    ]);
    assert.equal(bytes(binaryCodec.encodeServer(two)).length, oneBytes + 3);
    t.diagnostic(`steady ${steady} B; one turn acknowledged ${oneBytes} B; and a second (seq 200) ${oneBytes + 3} B`);
  });

  test('wire sizes, JSON against binary (the numbers in docs/wire-format.md)', (t) => {
    const size = (codec: Codec, msg: ServerMessage): number => {
      const frame = codec.encodeServer(msg);
      return typeof frame === 'string' ? new TextEncoder().encode(frame).length : frame.length;
    };
    const report = (what: string, json: number, binary: number): void => {
      t.diagnostic(`${what}: json ${json.toFixed(1)} B, binary ${binary.toFixed(1)} B (${(json / binary).toFixed(1)}x smaller)`);
      assert.ok(binary < json);
    };

    const steady = steadyTenSnakeTick();
    report('steady 10-snake tick', size(jsonCodec, steady), size(binaryCodec, steady));

    // Mid-game: 10 greedy bots that eat and avoid walls, 600 ticks (a minute at 10 ticks/s).
    let sums = { json: 0, binary: 0, ticks: 0 };
    const joined = step(createGame(DEFAULT_RULES, 7), TEN_JOINS).state;
    const mid = play(joined, 600, greedyInputs, ({ prev, next, events, top }) => {
      const delta = tickMessage(prev, next, events, top);
      sums = { json: sums.json + size(jsonCodec, delta), binary: sums.binary + size(binaryCodec, delta), ticks: sums.ticks + 1 };
    });
    const snapshot = snapshotMessage(mid, topOf(mid, []));
    const cells = snapshot.snakes.reduce((n, s) => n + s.body.length, 0);
    report(
      `snapshot, 10-player room after 600 ticks (${snapshot.snakes.length} snakes, ${cells} cells, ${snapshot.food.length} food)`,
      size(jsonCodec, snapshot),
      size(binaryCodec, snapshot),
    );
    const withoutFood = size(binaryCodec, { ...snapshot, food: [] });
    const withoutTop = size(binaryCodec, { ...snapshot, top: [] });
    t.diagnostic(
      `  of which food: ${size(binaryCodec, snapshot) - withoutFood} B, top table (${snapshot.top.length} lines): ${size(binaryCodec, snapshot) - withoutTop} B`,
    );
    report('average tick over those 600 ticks of greedy bots', sums.json / sums.ticks, sums.binary / sums.ticks);

    // A long random game: up to 10 players turning at random, joining, leaving, dying, respawning, going away.
    sums = { json: 0, binary: 0, ticks: 0 };
    const script = new Rng(11);
    const nextId = { value: 1 };
    play(
      createGame({ ...DEFAULT_RULES, stones: 20 }, 11),
      10_000,
      (s) => randomNetInputs(s, script, nextId, 10),
      ({ prev, next, events, top }) => {
        const delta = tickMessage(prev, next, events, top);
        sums = { json: sums.json + size(jsonCodec, delta), binary: sums.binary + size(binaryCodec, delta), ticks: sums.ticks + 1 };
      },
    );
    report('average tick over a 10,000-tick random game', sums.json / sums.ticks, sums.binary / sums.ticks);
  });
});

// ---- arbitrary messages ---------------------------------------------------------------------

/** Records with a normal prototype, like the objects JSON.parse and the codecs build. */
function rec<T>(model: { [K in keyof T]: fc.Arbitrary<T[K]> }): fc.Arbitrary<T> {
  return fc.record(model, { noNullPrototype: true });
}

const natural = fc.oneof(fc.nat({ max: 300 }), fc.integer({ min: 0, max: MAX_SAFE }));
const integer = fc.oneof(fc.integer({ min: -300, max: 300 }), fc.integer({ min: -MAX_SAFE, max: MAX_SAFE }));
const text = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.constantFrom(...ODD_NAMES),
  fc.string({ unit: 'grapheme-ascii', minLength: 100, maxLength: 300 }),
);
const topEntry = rec({ name: text, score: natural });
const food = fc.tuple(natural, fc.integer({ min: FOOD_MIN, max: FOOD_MAX }));
const seq = fc.oneof(fc.nat({ max: 300 }), fc.integer({ min: 0, max: SEQ_MAX }));
const side = fc.oneof(fc.integer({ min: 1, max: 80 }), fc.integer({ min: 1, max: 2 ** 26 }));
const boardSpec: fc.Arbitrary<BoardSpec> = rec({ width: side, height: side, walls: fc.constantFrom(...WALL_MODES) });

/** A body as real snakes have them: a chain of neighbouring cells on the board, head first. */
function chainBody(board: Board): fc.Arbitrary<number[]> {
  return fc
    .tuple(fc.integer({ min: 0, max: board.cells - 1 }), fc.array(fc.constantFrom<Dir>(0, 1, 2, 3), { maxLength: 40 }))
    .map(([head, dirs]) => {
      const body = [head];
      for (const d of dirs) {
        const c = board.neighbour(body.at(-1)!, d);
        if (c < 0) break;
        body.push(c);
      }
      return body;
    });
}

const welcome = rec({
  type: fc.constant('welcome' as const),
  tick: natural,
  protocol: integer,
  room: text,
  board: boardSpec,
  stones: natural,
  tickRate: fc.oneof(
    fc.constantFrom(2.3, 10, 0.1, 60, Number.MIN_VALUE, Number.MAX_VALUE),
    fc.double({ min: 0, minExcluded: true, noNaN: true, noDefaultInfinity: true }),
  ),
  maxPlayers: fc.integer({ min: 1, max: MAX_SAFE }),
  token: fc.oneof(fc.base64String({ minLength: 24, maxLength: 24 }), text),
});

/** A player or join as the server makes them: `bot: true` for a bot, no `bot` field for a person. */
function maybeBot<T extends object>(item: fc.Arbitrary<T>): fc.Arbitrary<T | (T & { bot: true })> {
  return fc.tuple(item, fc.boolean()).map(([x, bot]) => (bot ? { ...x, bot: true as const } : x));
}

const snapshot = boardSpec.chain((spec) =>
  rec({
    type: fc.constant('snapshot' as const),
    tick: natural,
    board: fc.constant(spec),
    players: fc.array(
      maybeBot(rec({ id: natural, name: text, score: natural, best: natural, alive: fc.boolean(), away: fc.boolean(), ack: seq })),
      { maxLength: 12 },
    ),
    snakes: fc.array(rec({ id: natural, body: chainBody(new Board(spec)) }), { maxLength: 12 }),
    food: fc.array(food, { maxLength: 20 }),
    stones: fc.array(natural, { maxLength: 20 }),
    top: fc.array(topEntry, { maxLength: 15 }),
  }),
);

/** Ids as moves carry them: rising, from 0 up to where id steps still fit the format (2^50). */
const risingIds = fc
  .uniqueArray(fc.oneof(fc.nat({ max: 300 }), fc.integer({ min: 0, max: 2 ** 50 - 2 })), { maxLength: 12 })
  .map((ids) => ids.sort((a, b) => a - b));

const tick = fc.record(
  {
    type: fc.constant('tick' as const),
    tick: natural,
    moves: risingIds.chain((ids) =>
      fc.tuple(...ids.map((id) => fc.tuple(fc.constant(id), fc.constantFrom<Dir>(0, 1, 2, 3), fc.constantFrom<0 | 1>(0, 1)))),
    ),
    joins: fc.array(maybeBot(rec({ id: natural, name: text })), { maxLength: 4 }),
    leaves: fc.array(natural, { maxLength: 4 }),
    deaths: fc.array(rec({ id: natural, cause: fc.constantFrom(...DEATH_CAUSES), by: fc.option(natural, { nil: null }) }), {
      maxLength: 4,
    }),
    spawns: fc.array(rec({ id: natural, body: fc.array(natural, { minLength: 1, maxLength: 8 }) }), { maxLength: 4 }),
    scores: fc.array(fc.tuple(natural, natural, natural), { maxLength: 6 }),
    food: fc.array(food, { maxLength: 10 }),
    eaten: fc.array(natural, { maxLength: 10 }),
    top: fc.array(topEntry, { maxLength: 15 }),
    acks: risingIds.chain((ids) => fc.tuple(...ids.map((id) => fc.tuple(fc.constant(id), seq)))),
    away: risingIds.chain((ids) => fc.tuple(...ids.map((id) => fc.tuple(fc.constant(id), fc.constantFrom<0 | 1>(0, 1))))),
  },
  // Every optional field may be missing, present and empty, or full: all three must survive.
  { requiredKeys: ['type', 'tick'], noNullPrototype: true },
) as fc.Arbitrary<TickMessage>;

const joined = fc.record(
  { type: fc.constant('joined' as const), tick: natural, id: natural, lostMs: natural },
  { requiredKeys: ['type', 'tick', 'id'], noNullPrototype: true },
);
const replay = rec({ type: fc.constant('replay' as const), tick: natural, id: fc.stringMatching(/^[A-Za-z0-9_-]{12}$/) });
const error = rec({ type: fc.constant('error' as const), tick: natural, code: fc.constantFrom(...ERROR_CODES), message: text });

const pong = rec({
  type: fc.constant('pong' as const),
  tick: natural,
  id: fc.oneof(fc.nat({ max: 300 }), fc.integer({ min: 0, max: PING_ID_MAX })),
});

const serverMessage: fc.Arbitrary<ServerMessage> = fc.oneof(welcome, snapshot, tick, joined, error, pong, replay);

describe('binary codec: arbitrary messages', () => {
  test('every well-formed server message round-trips exactly through both codecs (property)', () => {
    fc.assert(
      fc.property(serverMessage, (msg) => {
        assert.deepEqual(roundTrip(jsonCodec, msg), msg);
        assert.deepEqual(roundTrip(binaryCodec, msg), msg);
      }),
      { numRuns: 3000 },
    );
  });

  test('every error code, death cause and wall mode has its own encoding', () => {
    for (const code of ERROR_CODES) {
      const msg: ServerMessage = { type: 'error', tick: 1, code, message: code };
      assert.deepEqual(roundTrip(binaryCodec, msg), msg);
    }
    const deaths = DEATH_CAUSES.map((cause, id) => ({ id, cause, by: cause === 'snake' || cause === 'head-on' ? 9 : null }));
    const msg: TickMessage = { type: 'tick', tick: 3, deaths };
    assert.deepEqual(roundTrip(binaryCodec, msg), msg);
    for (const walls of WALL_MODES) {
      const w: ServerMessage = {
        type: 'welcome',
        tick: 0,
        protocol: PROTOCOL_VERSION,
        room: 'r',
        board: { width: 9, height: 9, walls },
        stones: 0,
        tickRate: 10,
        maxPlayers: 1,
        token: 't',
      };
      assert.deepEqual(roundTrip(binaryCodec, w), w);
    }
    // A death's cause byte must stay one byte; a food value must fit 4 bits and never be 0 (padding).
    assert.ok(DEATH_CAUSES.length <= 128);
    assert.ok(FOOD_MIN >= 1 && FOOD_MAX <= 15);
  });

  test('a snapshot sends a real body as its head plus 2 bits per cell', () => {
    // A 20-cell snake along row 1 of a 60x40 board: id, length, head, then 19 steps in 5 bytes.
    const body = Array.from({ length: 20 }, (_, i) => 60 + 30 - i);
    const msg: SnapshotMessage = {
      type: 'snapshot',
      tick: 5,
      board: { width: 60, height: 40, walls: 'solid' },
      players: [],
      snakes: [{ id: 1, body }],
      food: [],
      stones: [],
      top: [],
    };
    const frame = bytes(binaryCodec.encodeServer(msg));
    assert.deepEqual(binaryCodec.decodeServer(frame), msg);
    // type, tick, board (3), player count, snake count, snake (1 + 1 + 1 + 5), food, stones, top.
    assert.equal(frame.length, 1 + 1 + 3 + 1 + 1 + (1 + 1 + 1 + 5) + 1 + 1 + 1);
  });

  test('on a wrapping board, a body across the edge round-trips in both codecs, still 2 bits a step', () => {
    const board = new Board({ width: 10, height: 8, walls: 'wrap' });
    // Head at (1, 0), then (0, 0), (9, 0) across the left edge, (9, 7) across the top edge, (9, 6).
    const body = [board.cell(1, 0), board.cell(0, 0), board.cell(9, 0), board.cell(9, 7), board.cell(9, 6)];
    const snap: SnapshotMessage = {
      type: 'snapshot',
      tick: 5,
      board: board.spec(),
      players: [],
      snakes: [{ id: 1, body }],
      food: [],
      stones: [],
      top: [],
    };
    const frame = bytes(binaryCodec.encodeServer(snap));
    assert.deepEqual(binaryCodec.decodeServer(frame), snap);
    assert.deepEqual(roundTrip(jsonCodec, snap), snap);
    assert.equal(frame.length, 1 + 1 + 3 + 1 + 1 + (1 + 1 + 1 + 1) + 1 + 1 + 1);
    // The same body is no chain where the walls are solid: it cannot be sent there.
    assert.throws(() => binaryCodec.encodeServer({ ...snap, board: { ...snap.board, walls: 'solid' } }), RangeError);
    // In a tick, a spawn across the edge, and a move across it.
    const tickMsg: TickMessage = { type: 'tick', tick: 6, moves: [[2, 3, 1]], spawns: [{ id: 1, body }] };
    assert.deepEqual(roundTrip(binaryCodec, tickMsg), tickMsg);
    assert.deepEqual(roundTrip(jsonCodec, tickMsg), tickMsg);
  });

  test('a name with a lone surrogate (which UTF-8 cannot carry) arrives with U+FFFD, and encoding does not throw', () => {
    const msg: TickMessage = { type: 'tick', tick: 1, joins: [{ id: 1, name: 'a\uD800b\uDC00' }] };
    assert.deepEqual(roundTrip(binaryCodec, msg), { ...msg, joins: [{ id: 1, name: 'a\uFFFDb\uFFFD' }] });
  });

  test('values the server never sends are refused when encoding, not sent wrong', () => {
    const board = { width: 10, height: 10, walls: 'solid' } as const;
    const snap = (body: number[]): ServerMessage => ({
      type: 'snapshot',
      tick: 1,
      board,
      players: [],
      snakes: [{ id: 1, body }],
      food: [],
      stones: [],
      top: [],
    });
    const player = (ack: number) => ({ id: 1, name: 'a', score: 0, best: 0, alive: true, away: false, ack });
    const bad: unknown[] = [
      { type: 'joined', tick: 1, id: -1 },
      { type: 'joined', tick: 1, id: 1.5 },
      { type: 'joined', tick: 2 ** 53, id: 1 },
      { type: 'tick', tick: 1, moves: [[1, 4, 1]] },
      { type: 'tick', tick: 1, moves: [[1, 1, 2]] },
      { type: 'tick', tick: 1, moves: [[1, 1, 70]] },
      {
        type: 'tick',
        tick: 1,
        moves: [
          [2, 1, 1],
          [1, 3, 1],
        ],
      },
      {
        type: 'tick',
        tick: 1,
        moves: [
          [1, 1, 1],
          [1, 3, 1],
        ],
      },
      { type: 'tick', tick: 1, moves: [[2 ** 52, 1, 1]] },
      { type: 'tick', tick: 1, food: [[1, Number.NaN]] },
      { type: 'tick', tick: 1, food: [[1, 0]] },
      { type: 'tick', tick: 1, food: [[1, FOOD_MAX + 1]] },
      { type: 'tick', tick: 1, food: [[1, 2.5]] },
      { type: 'tick', tick: 1, deaths: [{ id: 1, cause: 'boredom', by: null }] },
      { type: 'tick', tick: 1, spawns: [{ id: 1, body: [] }] },
      snap([]),
      snap([5, 7]),
      snap([100]),
      snap([9, 10]),
      {
        type: 'welcome',
        tick: 0,
        protocol: 5,
        room: 'r',
        board: { width: 9, height: 9, walls: 'bouncy' },
        stones: 0,
        tickRate: 10,
        maxPlayers: 1,
        token: 't',
      },
      {
        type: 'tick',
        tick: 1,
        acks: [
          [2, 1],
          [1, 1],
        ],
      },
      {
        type: 'tick',
        tick: 1,
        acks: [
          [1, 1],
          [1, 2],
        ],
      },
      { type: 'tick', tick: 1, acks: [[1, SEQ_MAX + 1]] },
      { type: 'tick', tick: 1, acks: [[1, -1]] },
      { type: 'tick', tick: 1, acks: [[1, 1.5]] },
      { type: 'tick', tick: 1, away: [[1, 2]] },
      {
        type: 'tick',
        tick: 1,
        away: [
          [2, 1],
          [1, 0],
        ],
      },
      { type: 'tick', tick: 1, away: [[2 ** 53 - 1, 1]] },
      { type: 'snapshot', tick: 1, board, players: [player(SEQ_MAX + 1)], snakes: [], food: [], stones: [], top: [] },
      { type: 'snapshot', tick: 1, board, players: [player(-1)], snakes: [], food: [], stones: [], top: [] },
      { type: 'pong', tick: 1, id: PING_ID_MAX + 1 },
      { type: 'pong', tick: 1, id: -1 },
    ];
    for (const msg of bad) assert.throws(() => binaryCodec.encodeServer(msg as ServerMessage), RangeError, JSON.stringify(msg));
  });

  test('client messages stay JSON text and pass the same validation', () => {
    const frame = binaryCodec.encodeClient({ type: 'turn', dir: 'left', seq: 12 });
    assert.equal(frame, '{"type":"turn","dir":"left","seq":12}');
    assert.deepEqual(parseClientMessage(frame, binaryCodec), { ok: true, msg: { type: 'turn', dir: 'left', seq: 12 } });
  });

  test('each wire format is named by its key', () => {
    assert.deepEqual(WIRE_FORMAT_NAMES, Object.keys(WIRE_FORMATS));
    for (const name of WIRE_FORMAT_NAMES) assert.equal(WIRE_FORMATS[name].name, name);
  });
});

// ---- hostile bytes --------------------------------------------------------------------------

/** Decoding must return a message that re-encodes to itself, or throw an Error; nothing else. */
function decodesOrThrowsError(frame: Uint8Array): void {
  let msg: ServerMessage;
  try {
    msg = binaryCodec.decodeServer(frame);
  } catch (err) {
    assert.ok(err instanceof Error, `threw a non-Error: ${String(err)}`);
    return;
  }
  // What came out is a real message: it encodes again and comes back the same.
  assert.deepEqual(roundTrip(binaryCodec, msg), msg);
}

const validFrame = serverMessage.map((msg) => bytes(binaryCodec.encodeServer(msg)));

describe('binary codec: hostile bytes', () => {
  test('random bytes, truncations and bit flips only ever decode or throw an Error (property, 24,000 cases)', { timeout: 20_000 }, () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 64 }), decodesOrThrowsError), { numRuns: 6000 });
    // Past the first byte, so the bytes reach the message bodies.
    const typed = fc
      .tuple(fc.integer({ min: 1, max: 6 }), fc.uint8Array({ maxLength: 64 }))
      .map(([type, rest]) => Uint8Array.of(type, ...rest));
    fc.assert(fc.property(typed, decodesOrThrowsError), { numRuns: 6000 });
    const truncated = validFrame.chain((f) => fc.nat({ max: Math.max(0, f.length - 1) }).map((n) => f.subarray(0, n)));
    fc.assert(
      fc.property(truncated, (f) => assert.throws(() => binaryCodec.decodeServer(f), Error)),
      { numRuns: 6000 },
    );
    const flipped = validFrame
      .filter((f) => f.length > 0)
      .chain((f) =>
        fc.array(fc.tuple(fc.nat({ max: f.length - 1 }), fc.nat({ max: 7 })), { minLength: 1, maxLength: 3 }).map((flips) => {
          const copy = f.slice();
          for (const [i, bit] of flips) copy[i]! ^= 1 << bit;
          return copy;
        }),
      );
    fc.assert(fc.property(flipped, decodesOrThrowsError), { numRuns: 6000 });
  });

  const malformed: [string, Uint8Array | string, RegExp][] = [
    ['an empty frame', new Uint8Array(0), /truncated: no message type/],
    ['an unknown type', Uint8Array.of(9, 0), /unknown message type 9/],
    ['JSON text', '{"type":"tick","tick":1}', /text frame/],
    ['JSON as bytes', new TextEncoder().encode('{"type":"tick","tick":1}'), /unknown message type 123/],
    ['a truncated varint', Uint8Array.of(3, 0x80), /truncated: no tick/],
    ['a varint over 8 bytes', Uint8Array.of(4, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01, 0), /longer than 8 bytes/],
    ['a varint above 2^53-1', Uint8Array.of(4, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x10, 0), /above 2\^53-1/],
    ['an overlong varint', Uint8Array.of(4, 0x81, 0x00, 0), /overlong/],
    // -(2^53): one past the smallest safe integer, so no encoder could have written it.
    [
      'a signed varint below -(2^53-1)',
      Uint8Array.of(1, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x1f, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0xf0, 0x3f, 1),
      /outside \+-\(2\^53-1\)/,
    ],
    [
      'a count of 2^49 moves in 9 bytes',
      Uint8Array.of(3, 1, 1, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01),
      /more than the frame holds/,
    ],
    ['a name longer than the frame', Uint8Array.of(3, 1, 2, 1, 7, 0x7f, 0x61), /truncated: join name needs 127 bytes/],
    ['invalid UTF-8', Uint8Array.of(3, 1, 2, 1, 7, 2, 0xc3, 0x28), /not valid UTF-8/],
    ['an unknown tick section', Uint8Array.of(3, 1, 0x80, 0x10), /unknown tick sections/],
    ['a bad death cause', Uint8Array.of(3, 1, 8, 1, 1, 10), /bad death cause byte 10/],
    ['an unknown error code', Uint8Array.of(5, 1, 10, 0), /unknown error code 10/],
    ['unknown walls', Uint8Array.of(2, 1, 10, 10, 2, 0, 0, 0, 0, 0), /unknown walls 2/],
    ['moves whose ids do not rise', Uint8Array.of(3, 4, 1, 2, 0x13, 0x07), /move ids must rise/],
    ['a food value of 0', Uint8Array.of(3, 5, 0x40, 1, 0x4a, 0x00), /bad packed food values 0/],
    ['a food value above FOOD_MAX', Uint8Array.of(3, 5, 0x40, 1, 0x4a, FOOD_MAX + 1), /bad packed food values/],
    ['a food value in the padding of an odd count', Uint8Array.of(3, 5, 0x40, 1, 0x4a, 0x13), /bad packed food values 19/],
    ['a spawned snake with no cells', Uint8Array.of(3, 1, 16, 1, 1, 0, 0), /spawned snake 1 has no cells/],
    ['a snapshot snake with no cells', Uint8Array.of(2, 1, 10, 10, 0, 0, 1, 1, 0, 0, 0, 0, 0), /snake length must be at least 1/],
    ['a body stepping off the board', Uint8Array.of(2, 1, 10, 10, 0, 0, 1, 1, 2, 5, 0b00, 0, 0, 0), /steps off the board/],
    ['a head off the board', Uint8Array.of(2, 1, 10, 10, 0, 0, 1, 1, 1, 100, 0, 0, 0), /head 100 is off the board/],
    ['padding bits in a body', Uint8Array.of(2, 1, 10, 10, 0, 0, 1, 1, 2, 15, 0b0101, 0, 0, 0), /padding bits set/],
    ['a zero tick rate', Uint8Array.of(1, 1, 2, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1), /tickRate 0 is not a positive number/],
    ['bytes after the message', Uint8Array.of(4, 1, 1, 0), /1 bytes after the message/],
    ['acks whose ids do not rise', Uint8Array.of(3, 1, 0x80, 0x04, 2, 2, 1, 0, 1), /ack ids must rise/],
    ['an ack above SEQ_MAX', Uint8Array.of(3, 1, 0x80, 0x04, 1, 1, 0x80, 0x80, 0x80, 0x80, 0x08), /ack 2147483648 is above 2147483647/],
    ['away entries whose ids do not rise', Uint8Array.of(3, 1, 0x80, 0x08, 2, 4, 1), /away ids must rise/],
    ['unknown player flags', Uint8Array.of(2, 1, 10, 10, 0, 1, 1, 0, 0, 0, 8, 0, 0, 0, 0, 0), /unknown player flags 8/],
    ['a join bot byte above 1', Uint8Array.of(3, 1, 2, 1, 1, 1, 0x61, 2), /join bot byte 2 is not 0 or 1/],
    [
      'a snapshot ack above SEQ_MAX',
      Uint8Array.of(2, 1, 10, 10, 0, 1, 1, 0, 0, 0, 1, 0x80, 0x80, 0x80, 0x80, 0x08, 0, 0, 0, 0),
      /ack 2147483648 is above/,
    ],
    ['a pong id above PING_ID_MAX', Uint8Array.of(6, 1, 0x80, 0x80, 0x80, 0x80, 0x08), /pong id 2147483648 is above/],
    ['a welcome without its token', Uint8Array.of(1, 0, 10, 0, 9, 9, 0, 0, 0, 0, 0, 0, 0, 0, 0x24, 0x40, 1), /truncated: no token length/],
    // Protocol 3's general forms, which the server never produced, are gone: their bytes are refused.
    ['protocol 3 general-form moves (falling ids)', Uint8Array.of(3, 4, 1, 4, 2, 5, 1, 7), /move ids must rise/],
    [
      'protocol 3 general-form food (a value of 0)',
      Uint8Array.of(3, 5, 0x40, 4, 0x25, 0, 0x7c, 4),
      /food count 4 is more than the frame holds/,
    ],
    [
      'protocol 3 plain-form snapshot snake',
      Uint8Array.of(2, 1, 10, 10, 0, 0, 1, 1, 6, 11, 12, 13, 0, 0, 0),
      /more than the frame holds|off the board|steps off|padding/,
    ],
  ];
  for (const [name, frame, reason] of malformed) {
    test(`refuses ${name} with a BinaryFrameError`, () => {
      assert.throws(
        () => binaryCodec.decodeServer(frame),
        (err: unknown) => err instanceof BinaryFrameError && reason.test(err.message),
      );
    });
  }

  test('a frame from a pooled buffer (a Node Buffer at an offset) decodes like any other', () => {
    const msg: ServerMessage = {
      type: 'welcome',
      tick: 3,
      protocol: PROTOCOL_VERSION,
      room: 'lobby',
      board: { width: 60, height: 40, walls: 'wrap' },
      stones: 30,
      tickRate: 2.3,
      maxPlayers: 10,
      token: 'q3Zb0mX1r8TfYw2KpL9aCg',
    };
    const frame = bytes(binaryCodec.encodeServer(msg));
    const pool = new Uint8Array(frame.length + 13);
    pool.set(frame, 13);
    assert.deepEqual(binaryCodec.decodeServer(pool.subarray(13)), msg);
  });
});

// ---- the reference page ---------------------------------------------------------------------

const WIRE_DOC = readFileSync(new URL('../../docs/wire-format.md', import.meta.url), 'utf8');

describe('docs/wire-format.md follows the code', () => {
  test("its table of tick sections is the section table's keys, in bit order", () => {
    const rows = [...WIRE_DOC.matchAll(/^\| (\d+) \| (\d+) \| `(\w+)` \|/gm)].map((m) => [Number(m[1]), Number(m[2]), m[3]]);
    assert.deepEqual(
      rows,
      TICK_SECTION_KEYS.map((key, bit) => [bit, 2 ** bit, key]),
    );
  });

  test('its death causes, error codes and wall modes are the lists in the code, by index', () => {
    const numbered = (list: readonly string[]): string => list.map((item, i) => `${i} \`${item}\``).join(', ');
    const prose = WIRE_DOC.replace(/\s+/g, ' ');
    for (const list of [DEATH_CAUSES, ERROR_CODES, WALL_MODES]) assert.ok(prose.includes(numbered(list)), numbered(list));
  });

  test('every worked example is what the codecs produce, byte for byte and in size', () => {
    const examples = [...WIRE_DOC.matchAll(/`(\{"type":[^`]*\})` \((\d+) B JSON, (\d+) B binary\)\n\n```\n([\s\S]*?)```/g)];
    assert.ok(examples.length >= 12, `found ${examples.length} examples`);
    for (const [, json, jsonSize, binarySize, block] of examples) {
      const msg = JSON.parse(json!) as ServerMessage;
      if (msg.type === 'welcome') assert.equal(msg.protocol, PROTOCOL_VERSION);
      assert.equal(new TextEncoder().encode(jsonCodec.encodeServer(msg) as string).length, Number(jsonSize), json);
      // Each line is bytes (hex pairs, one space apart), then two or more spaces and a comment.
      const hex: string[] = [];
      for (const line of block!.split('\n')) {
        if (!line.trim()) continue;
        const tokens = line
          .trim()
          .split(/\s{2,}/)[0]!
          .split(' ');
        assert.ok(
          tokens.every((t) => /^[0-9a-f]{2}$/.test(t)),
          `not a line of bytes: ${line}`,
        );
        hex.push(...tokens);
      }
      const frame = bytes(binaryCodec.encodeServer(msg));
      assert.equal(Buffer.from(frame).toString('hex'), hex.join(''), json);
      assert.equal(frame.length, Number(binarySize), json);
      assert.deepEqual(binaryCodec.decodeServer(frame), msg);
    }
  });
});
