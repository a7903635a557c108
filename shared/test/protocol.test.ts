// The wire: deltas rebuild exactly what snapshots say (on every board size, solid or wrapping),
// the messages the server builds fit their schemas, every client message is checked, names and
// room ids are judged the same way on both sides, and docs/protocol.md's examples are real.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import fc from 'fast-check';
import {
  BOARD_SIZES,
  Board,
  DEFAULT_RULES,
  type GameState,
  PROTOCOL_VERSION,
  RIGHT,
  Rng,
  type RulesConfig,
  type SnapshotMessage,
  TICK_SECTION_KEYS,
  type TickMessage,
  TickGapError,
  WALL_MODES,
  WorldMirror,
  createGame,
  isValidRoomId,
  jsonCodec,
  normalizeName,
  snapshotMessage,
  step,
  tickMessage,
} from '@snakepit/shared';
import { parseClientMessage } from '@snakepit/shared/validate';
import { ClientMessage, ServerMessage, TickMessage as TickSchema } from '../src/protocol/messages.ts';
import { makeState, randomInputs } from './helpers.ts';

const checkServer = TypeCompiler.Compile(ServerMessage);
const checkClient = TypeCompiler.Compile(ClientMessage);

/** Every room size players can pick, with each wall rule. */
const ROOM_BOARDS: readonly RulesConfig[] = Object.values(BOARD_SIZES).flatMap(({ width, height }) =>
  WALL_MODES.map((walls) => ({ ...DEFAULT_RULES, width, height, walls, stones: 10 })),
);

describe('snapshot + deltas', () => {
  for (const rules of [{ ...DEFAULT_RULES, width: 16, height: 12, walls: 'wrap' as const, stones: 4 }, ...ROOM_BOARDS]) {
    const board = `${rules.width}x${rules.height} ${rules.walls}`;
    test(`applying each tick delta to a mirror gives the next snapshot, for whole random games on a ${board} board (property)`, () => {
      let crossings = 0;
      fc.assert(
        fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.integer({ min: 0, max: 2 ** 32 - 1 }), (seed, scriptSeed) => {
          let state = createGame(rules, seed);
          const script = new Rng(scriptSeed);
          const nextId = { value: 1 };
          const mirror = new WorldMirror();
          // Through the codec too: what the mirror sees is what went over the wire.
          mirror.applySnapshot(jsonCodec.decodeServer(jsonCodec.encodeServer(snapshotMessage(state, []))) as SnapshotMessage);
          for (let t = 0; t < 300; t++) {
            const { state: next, events } = step(state, randomInputs(state, script, nextId, 8));
            const delta = tickMessage(state, next, events, null);
            assert.ok(checkServer.Check(delta), JSON.stringify(checkServer.Errors(delta).First()));
            crossings += edgeCrossings(state, delta);
            mirror.applyTick(jsonCodec.decodeServer(jsonCodec.encodeServer(delta)) as TickMessage);
            const snapshot = snapshotMessage(next, []);
            assert.deepEqual(mirror.toSnapshot(), snapshot);
            state = next;
          }
          assert.ok(checkServer.Check(snapshotMessage(state, [])));
        }),
        { numRuns: 8 },
      );
      // On a wrapping board the games must really have crossed the edge, or the test proved little.
      if (rules.walls === 'wrap') assert.ok(crossings > 0, 'no snake crossed the edge');
    });
  }

  test('a move across the edge of a wrapping board applies in the mirror', () => {
    // A 20x20 wrapping board; snake 1 moves right from x = 19, so its head comes in at x = 0.
    const state = makeState({ config: { walls: 'wrap' }, snakes: [{ id: 1, body: [[19, 5], [18, 5], [17, 5]], dir: RIGHT }] });
    const board = Board.of(state.config);
    const mirror = new WorldMirror();
    mirror.applySnapshot(snapshotMessage(state, []));
    const { state: next, events } = step(state, {});
    const delta = tickMessage(state, next, events, null);
    assert.deepEqual(delta.moves, [[1, RIGHT, 1]]);
    mirror.applyTick(delta);
    assert.deepEqual(mirror.snakes.get(1)!.body, [board.cell(0, 5), board.cell(19, 5), board.cell(18, 5)]);
    assert.deepEqual(mirror.snakes.get(1)!.trimmed, [board.cell(17, 5)]);
    assert.deepEqual(mirror.toSnapshot(), snapshotMessage(next, []));
  });

  test('the mirror remembers where each head came from and which tail cells it dropped', () => {
    let state = createGame(DEFAULT_RULES, 5);
    state = step(state, { joins: [{ id: 1, name: 'a' }] }).state;
    const mirror = new WorldMirror();
    mirror.applySnapshot(snapshotMessage(state, []));
    const before = [...mirror.snakes.get(1)!.body];
    const { state: next, events } = step(state, {});
    mirror.applyTick(tickMessage(state, next, events, null));
    const s = mirror.snakes.get(1)!;
    assert.equal(s.moved, true);
    assert.deepEqual(s.body.slice(1), before.slice(0, -1));
    assert.deepEqual(s.trimmed, [before.at(-1)]);
  });

  test('a quiet tick is small: only moves', () => {
    let state = createGame(DEFAULT_RULES, 5);
    state = step(state, { joins: [{ id: 1, name: 'a' }] }).state;
    const { state: next, events } = step(state, {});
    const msg = tickMessage(state, next, events, null);
    assert.deepEqual(Object.keys(msg).sort(), ['moves', 'tick', 'type']);
  });

  test('moves are listed by rising id, whatever order the players are in', () => {
    const state = makeState({
      snakes: [
        { id: 7, body: [[5, 5], [4, 5]], dir: RIGHT },
        { id: 2, body: [[5, 9], [4, 9]], dir: RIGHT },
      ],
    });
    const { state: next, events } = step(state, {});
    assert.deepEqual(tickMessage(state, next, events, null).moves, [[2, RIGHT, 1], [7, RIGHT, 1]]);
  });

  test('a food whose value changed is sent in food only, never also in eaten', () => {
    const prev = makeState({ food: [[3, 3, 4], [6, 6, 2]] });
    const next: GameState = { ...prev, tick: 1, food: new Map([[63, 9]]) };
    const msg = tickMessage(prev, next, [], null);
    assert.deepEqual(msg, { type: 'tick', tick: 1, food: [[63, 9]], eaten: [126] });
    const mirror = new WorldMirror();
    mirror.applySnapshot(snapshotMessage(prev, []));
    mirror.applyTick(msg);
    assert.deepEqual([...mirror.food], [[63, 9]]);
  });

  test("the tick message's fields are the section table's keys, in order", () => {
    assert.deepEqual(Object.keys(TickSchema.properties), ['type', 'tick', ...TICK_SECTION_KEYS]);
    assert.deepEqual(TickSchema.required, ['type', 'tick']);
    assert.equal(new Set(TICK_SECTION_KEYS).size, TICK_SECTION_KEYS.length);
  });

  test('the schemas refuse what the rules never produce', () => {
    const bad: unknown[] = [
      { type: 'tick', tick: 1, moves: [[1, 4, 1]] },
      { type: 'tick', tick: 1, moves: [[1, 1, 2]] },
      { type: 'tick', tick: 1, food: [[1, 0]] },
      { type: 'tick', tick: 1, food: [[1, 10]] },
      { type: 'tick', tick: 1, deaths: [{ id: 1, cause: 'boredom', by: null }] },
      { type: 'tick', tick: 1, spawns: [{ id: 1, body: [] }] },
    ];
    for (const msg of bad) assert.equal(checkServer.Check(msg), false, JSON.stringify(msg));
  });

  test('a delta that skips a tick is refused, so a client knows to resynchronise', () => {
    const mirror = new WorldMirror();
    mirror.applySnapshot(snapshotMessage(createGame(DEFAULT_RULES, 1), []));
    assert.throws(() => mirror.applyTick({ type: 'tick', tick: 5 }), TickGapError);
    assert.throws(() => new WorldMirror().applyTick({ type: 'tick', tick: 1 }), TickGapError);
  });
});

describe('parseClientMessage', () => {
  const ok = [
    { type: 'join', name: 'ann' },
    { type: 'turn', dir: 'up' },
    { type: 'turn', dir: 'left' },
    { type: 'respawn' },
    { type: 'resync' },
  ];
  for (const msg of ok) {
    test(`accepts ${JSON.stringify(msg)}`, () => {
      assert.deepEqual(parseClientMessage(JSON.stringify(msg)), { ok: true, msg });
      assert.deepEqual(parseClientMessage(new TextEncoder().encode(JSON.stringify(msg))), { ok: true, msg });
    });
  }

  const bad: [string, string | Uint8Array, RegExp][] = [
    ['garbage', 'hello', /not valid json/],
    ['invalid UTF-8', new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]), /not valid json/],
    ['a number', '42', /must be an object/],
    ['null', 'null', /must be an object/],
    ['an array', '[1,2]', /must be an object/],
    ['no type', '{"name":"x"}', /string "type"/],
    ['an unknown type', '{"type":"teleport"}', /unknown message type "teleport"/],
    ['a bad direction', '{"type":"turn","dir":"north"}', /^turn: \/dir/],
    ['a missing name', '{"type":"join"}', /^join: /],
    ['a huge name', JSON.stringify({ type: 'join', name: 'x'.repeat(300) }), /^join: \/name/],
    ['an extra field', '{"type":"respawn","admin":true}', /^respawn: /],
    ['__proto__ pollution', '{"type":"turn","dir":"up","__proto__":{"polluted":1}}', /^turn: /],
  ];
  for (const [name, data, reason] of bad) {
    test(`refuses ${name} with a reason`, () => {
      const r = parseClientMessage(data);
      assert.equal(r.ok, false);
      assert.match((r as { reason: string }).reason, reason);
    });
  }

  test('never throws, whatever the bytes (property)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json(), fc.uint8Array({ maxLength: 200 })), (data) => {
        const r = parseClientMessage(data);
        assert.equal(typeof r.ok, 'boolean');
      }),
      { numRuns: 5000 },
    );
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });
});

describe('names and room ids', () => {
  const names: [string, string | null][] = [
    ['ann', 'ann'],
    ['  Ann  Lee  ', 'Ann Lee'],
    ['', null],
    ['   ', null],
    ['a\u0000b\u200bc', 'abc'],
    ['ann\ud800', 'ann'],
    ['x'.repeat(16), 'x'.repeat(16)],
    ['x'.repeat(17), null],
    ['🐍'.repeat(16), '🐍'.repeat(16)],
    ['<img src=x onerror=alert(1)>', null],
    ['<b>hi</b>', '<b>hi</b>'],
  ];
  for (const [raw, want] of names) {
    test(`name ${JSON.stringify(raw)} -> ${JSON.stringify(want)}`, () => assert.equal(normalizeName(raw), want));
  }

  const rooms: [string, boolean][] = [
    ['lobby', true],
    ['a', true],
    ['room-42', true],
    ['x'.repeat(32), true],
    ['x'.repeat(33), false],
    ['', false],
    ['Lobby', false],
    ['a b', false],
    ['../etc', false],
  ];
  for (const [id, valid] of rooms) {
    test(`room id ${JSON.stringify(id)} is ${valid ? 'valid' : 'refused'}`, () => assert.equal(isValidRoomId(id), valid));
  }
});

describe('docs/protocol.md', () => {
  const doc = readFileSync(new URL('../../docs/protocol.md', import.meta.url), 'utf8');

  test('describes the current protocol version', () => {
    assert.match(doc, new RegExp(`describes protocol\\s+version ${PROTOCOL_VERSION} `));
  });

  test('every JSON example is a message the schemas accept, and every welcome has the current version', () => {
    const blocks = [...doc.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => m[1]!);
    let count = 0;
    for (const block of blocks) {
      // A block is one message (maybe broken over lines) or one message per line.
      let messages: unknown[];
      try {
        messages = [JSON.parse(block)];
      } catch {
        messages = block.split('\n').filter((line) => line.trim()).map((line) => JSON.parse(line) as unknown);
      }
      for (const msg of messages) {
        count++;
        assert.ok(checkServer.Check(msg) || checkClient.Check(msg), JSON.stringify(msg));
        if ((msg as { type?: unknown }).type === 'welcome') assert.equal((msg as { protocol?: unknown }).protocol, PROTOCOL_VERSION);
      }
    }
    assert.ok(count >= 20, `only ${count} examples found`);
  });
});

/** Moves in `delta` whose step crosses an edge of the board (only possible where walls wrap). */
function edgeCrossings(prev: GameState, delta: TickMessage): number {
  const board = Board.of(prev.config);
  let n = 0;
  for (const [id, dir] of delta.moves ?? []) {
    const head = prev.players.find((p) => p.id === id)!.snake!.body[0]!;
    const x = board.x(head);
    const y = board.y(head);
    if ((dir === 0 && y === 0) || (dir === 1 && x === board.width - 1) || (dir === 2 && y === board.height - 1) || (dir === 3 && x === 0)) n++;
  }
  return n;
}
