// The wire: deltas rebuild exactly what snapshots say, every client message is checked, and
// names and room ids are judged the same way on both sides.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import {
  DEFAULT_RULES,
  Rng,
  TickGapError,
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
import { randomInputs } from './helpers.ts';

describe('snapshot + deltas', () => {
  test('applying each tick delta to a mirror gives the next snapshot, for whole random games (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.integer({ min: 0, max: 2 ** 32 - 1 }), (seed, scriptSeed) => {
        let state = createGame({ ...DEFAULT_RULES, stones: 10 }, seed);
        const script = new Rng(scriptSeed);
        const nextId = { value: 1 };
        const mirror = new WorldMirror();
        // Through the codec too: what the mirror sees is what went over the wire.
        mirror.applySnapshot(jsonCodec.decodeServer(jsonCodec.encodeServer(snapshotMessage(state, []))) as never);
        for (let t = 0; t < 300; t++) {
          const { state: next, events } = step(state, randomInputs(state, script, nextId, 8));
          const wire = jsonCodec.encodeServer(tickMessage(state, next, events, null));
          mirror.applyTick(jsonCodec.decodeServer(wire) as never);
          assert.deepEqual(mirror.toSnapshot(), snapshotMessage(next, []));
          state = next;
        }
      }),
      { numRuns: 25 },
    );
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
