// The wire: deltas rebuild exactly what snapshots say (on every board size, solid or wrapping,
// with numbered turns and players going away and coming back), ticks acknowledge turns and tell
// who is away, the messages the server builds fit their schemas, every client message is
// checked, names and room ids are judged the same way on both sides, and docs/protocol.md's
// examples are real.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import fc from 'fast-check';
import {
  BOARD_SIZES,
  Board,
  DEFAULT_RULES,
  DOWN,
  type GameState,
  LEFT,
  PING_ID_MAX,
  PROTOCOL_VERSION,
  RIGHT,
  Rng,
  SEQ_MAX,
  UP,
  acknowledged,
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
import { makeState, randomNetInputs } from './helpers.ts';

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
      const seen = { acks: 0, away: 0 };
      fc.assert(
        fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.integer({ min: 0, max: 2 ** 32 - 1 }), (seed, scriptSeed) => {
          let state = createGame(rules, seed);
          const script = new Rng(scriptSeed);
          const nextId = { value: 1 };
          const mirror = new WorldMirror();
          // Through the codec too: what the mirror sees is what went over the wire.
          mirror.applySnapshot(jsonCodec.decodeServer(jsonCodec.encodeServer(snapshotMessage(state, []))) as SnapshotMessage);
          for (let t = 0; t < 300; t++) {
            const { state: next, events } = step(state, randomNetInputs(state, script, nextId, 8));
            const delta = tickMessage(state, next, events, null);
            assert.ok(checkServer.Check(delta), JSON.stringify(checkServer.Errors(delta).First()));
            crossings += edgeCrossings(state, delta);
            if (delta.acks) seen.acks++;
            if (delta.away) seen.away++;
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
      // And turns must have been acknowledged and players gone away and back.
      assert.ok(seen.acks > 300 && seen.away > 30, JSON.stringify(seen));
    });
  }

  test('a move across the edge of a wrapping board applies in the mirror', () => {
    // A 20x20 wrapping board; snake 1 moves right from x = 19, so its head comes in at x = 0.
    const state = makeState({
      config: { walls: 'wrap' },
      snakes: [
        {
          id: 1,
          body: [
            [19, 5],
            [18, 5],
            [17, 5],
          ],
          dir: RIGHT,
        },
      ],
    });
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
    assert.deepEqual(
      Object.keys(msg).sort((a, b) => a.localeCompare(b)),
      ['moves', 'tick', 'type'],
    );
  });

  test('moves are listed by rising id, whatever order the players are in', () => {
    const state = makeState({
      snakes: [
        {
          id: 7,
          body: [
            [5, 5],
            [4, 5],
          ],
          dir: RIGHT,
        },
        {
          id: 2,
          body: [
            [5, 9],
            [4, 9],
          ],
          dir: RIGHT,
        },
      ],
    });
    const { state: next, events } = step(state, {});
    assert.deepEqual(tickMessage(state, next, events, null).moves, [
      [2, RIGHT, 1],
      [7, RIGHT, 1],
    ]);
  });

  test('a food whose value changed is sent in food only, never also in eaten', () => {
    const prev = makeState({
      food: [
        [3, 3, 4],
        [6, 6, 2],
      ],
    });
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
      { type: 'tick', tick: 1, acks: [[1, SEQ_MAX + 1]] },
      { type: 'tick', tick: 1, acks: [[1, -1]] },
      { type: 'tick', tick: 1, away: [[1, 2]] },
      { type: 'tick', tick: 1, away: [[1, true]] },
      { type: 'pong', tick: 1, id: PING_ID_MAX + 1 },
      {
        type: 'welcome',
        tick: 0,
        protocol: PROTOCOL_VERSION,
        room: 'r',
        board: { width: 9, height: 9, walls: 'solid' },
        stones: 0,
        tickRate: 10,
        maxPlayers: 1,
      },
      {
        type: 'snapshot',
        tick: 1,
        board: { width: 9, height: 9, walls: 'solid' },
        players: [{ id: 1, name: 'a', score: 0, best: 0, alive: true }],
        snakes: [],
        food: [],
        stones: [],
        top: [],
      },
    ];
    for (const msg of bad) assert.equal(checkServer.Check(msg), false, JSON.stringify(msg));
  });

  test('a tick acknowledges the turns it took in, and the snapshot and the mirror say so', () => {
    const state = makeState({
      snakes: [
        {
          id: 1,
          body: [
            [5, 5],
            [4, 5],
            [3, 5],
          ],
          dir: RIGHT,
        },
        {
          id: 2,
          body: [
            [5, 9],
            [4, 9],
            [3, 9],
          ],
          dir: RIGHT,
        },
      ],
    });
    const mirror = new WorldMirror();
    mirror.applySnapshot(snapshotMessage(state, []));
    // Two turns from player 1 in one tick: the first is applied, the second waits in the queue.
    const one = step(state, {
      turns: [
        { id: 1, dir: UP, seq: 4 },
        { id: 1, dir: LEFT, seq: 5 },
      ],
    });
    const first = tickMessage(state, one.state, one.events, null);
    assert.deepEqual(first.acks, [[1, 4]]);
    mirror.applyTick(first);
    assert.equal(mirror.players.get(1)!.ack, 4);
    assert.equal(snapshotMessage(one.state, []).players[0]!.ack, 4);
    // The next tick takes the queued one in; nobody else turned, so it lists player 1 alone.
    const two = step(one.state, {});
    const second = tickMessage(one.state, two.state, two.events, null);
    assert.deepEqual(second.acks, [[1, 5]]);
    mirror.applyTick(second);
    assert.deepEqual(mirror.toSnapshot(), snapshotMessage(two.state, []));
    // A tick where nobody turned has no acks at all.
    const three = step(two.state, {});
    assert.equal(tickMessage(two.state, three.state, three.events, null).acks, undefined);
  });

  test('a joiner starts at ack 0 with no entry; one whose turn already reached the rules gets one', () => {
    const state = createGame(DEFAULT_RULES, 5);
    const { state: next, events } = step(state, {
      joins: [
        { id: 1, name: 'a' },
        { id: 2, name: 'b' },
      ],
      turns: [{ id: 2, dir: DOWN, seq: 3 }],
    });
    assert.equal(acknowledged(next.players[0]!), 0);
    const msg = tickMessage(state, next, events, null);
    assert.deepEqual(msg.acks, [[2, 3]]);
    const mirror = new WorldMirror();
    mirror.applySnapshot(snapshotMessage(state, []));
    mirror.applyTick(msg);
    assert.deepEqual(mirror.toSnapshot(), snapshotMessage(next, []));
  });

  test('players going away and coming back travel in `away`, and the mirror holds their snakes still', () => {
    const state = makeState({
      snakes: [
        {
          id: 1,
          body: [
            [5, 5],
            [4, 5],
            [3, 5],
          ],
          dir: RIGHT,
        },
        {
          id: 2,
          body: [
            [5, 9],
            [4, 9],
            [3, 9],
          ],
          dir: RIGHT,
        },
      ],
    });
    const mirror = new WorldMirror();
    mirror.applySnapshot(snapshotMessage(state, []));
    const gone = step(state, { away: [2] });
    const msg = tickMessage(state, gone.state, gone.events, null);
    assert.deepEqual(msg.away, [[2, 1]]);
    assert.deepEqual(msg.moves, [[1, RIGHT, 1]]);
    mirror.applyTick(msg);
    assert.equal(mirror.players.get(2)!.away, true);
    assert.equal(mirror.snakes.get(2)!.moved, false);
    assert.deepEqual(mirror.toSnapshot(), snapshotMessage(gone.state, []));
    // Still away: nothing to say. Back: [2, 0].
    const still = step(gone.state, {});
    assert.equal(tickMessage(gone.state, still.state, still.events, null).away, undefined);
    const back = step(still.state, { back: [2] });
    const backMsg = tickMessage(still.state, back.state, back.events, null);
    assert.deepEqual(backMsg.away, [[2, 0]]);
    mirror.applyTick(tickMessage(gone.state, still.state, still.events, null));
    mirror.applyTick(backMsg);
    assert.equal(mirror.players.get(2)!.away, false);
    assert.deepEqual(mirror.toSnapshot(), snapshotMessage(back.state, []));
  });

  test('acks and away are listed by rising id, whatever order the players are in', () => {
    const state = makeState({
      snakes: [
        {
          id: 7,
          body: [
            [5, 5],
            [4, 5],
          ],
          dir: RIGHT,
        },
        {
          id: 2,
          body: [
            [5, 9],
            [4, 9],
          ],
          dir: RIGHT,
        },
      ],
    });
    const { state: next, events } = step(state, {
      turns: [
        { id: 7, dir: UP, seq: 1 },
        { id: 2, dir: UP, seq: 9 },
      ],
      away: [7, 2],
    });
    const msg = tickMessage(state, next, events, null);
    assert.deepEqual(msg.acks, [
      [2, 9],
      [7, 1],
    ]);
    assert.deepEqual(msg.away, [
      [2, 1],
      [7, 1],
    ]);
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
    { type: 'turn', dir: 'up', seq: 1 },
    { type: 'turn', dir: 'left', seq: SEQ_MAX },
    { type: 'respawn' },
    { type: 'resync' },
    { type: 'leave' },
    { type: 'ping', id: 0 },
    { type: 'ping', id: PING_ID_MAX },
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
    ['a bad direction', '{"type":"turn","dir":"north","seq":1}', /^turn: \/dir Expected union value$/],
    [
      'a turn without seq',
      '{"type":"turn","dir":"up"}',
      /^turn: \/seq is missing: it must be an integer from 1 to 2147483647, above your previous turn's seq$/,
    ],
    ['a seq of 0', '{"type":"turn","dir":"up","seq":0}', /^turn: \/seq must be an integer from 1 to 2147483647/],
    ['a seq above 2^31-1', '{"type":"turn","dir":"up","seq":2147483648}', /^turn: \/seq must be an integer from 1/],
    ['a fractional seq', '{"type":"turn","dir":"up","seq":1.5}', /^turn: \/seq must be an integer/],
    ['a seq as a string', '{"type":"turn","dir":"up","seq":"7"}', /^turn: \/seq must be an integer/],
    ['a ping without id', '{"type":"ping"}', /^ping: \/id is missing: it must be an integer from 0 to 2147483647$/],
    ['a negative ping id', '{"type":"ping","id":-1}', /^ping: \/id must be an integer from 0 to 2147483647$/],
    ['a ping id above 2^31-1', '{"type":"ping","id":2147483648}', /^ping: \/id must be/],
    ['a leave with a field', '{"type":"leave","now":true}', /^leave: /],
    ['a missing name', '{"type":"join"}', /^join: /],
    ['a huge name', JSON.stringify({ type: 'join', name: 'x'.repeat(300) }), /^join: \/name/],
    ['an extra field', '{"type":"respawn","admin":true}', /^respawn: /],
    ['__proto__ pollution', '{"type":"turn","dir":"up","seq":1,"__proto__":{"polluted":1}}', /^turn: /],
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
        messages = block
          .split('\n')
          .filter((line) => line.trim())
          .map((line) => JSON.parse(line) as unknown);
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
    if ((dir === 0 && y === 0) || (dir === 1 && x === board.width - 1) || (dir === 2 && y === board.height - 1) || (dir === 3 && x === 0))
      n++;
  }
  return n;
}
