// The room creator's choices: read from a URL's query, refused with what is allowed, and turned
// into the settings a new room runs with (the server's defaults for whatever is left out).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type RoomSettings, choiceQuery, describeSettings, maxStones, parseRoomChoice, resolveSettings } from '@snakepit/shared';

const defaults: RoomSettings = { width: 60, height: 40, walls: 'solid', tickRate: 10, stones: 0 };

test('an invite link with every choice', () => {
  const r = parseRoomChoice({ room: 'x', size: 'l', speed: '15', walls: 'wrap', stones: 'some' });
  assert.deepEqual(r, { ok: true, choice: { size: 'l', speed: 15, walls: 'wrap', stones: 'some' } });
  if (!r.ok) return;
  const s = resolveSettings(r.choice, defaults);
  assert.deepEqual(s, { width: 90, height: 60, walls: 'wrap', tickRate: 15, stones: 67 });
  assert.ok(s.stones <= maxStones(s));
  assert.equal(choiceQuery(r.choice), 'size=l&speed=15&walls=wrap&stones=some');
  assert.equal(describeSettings(s), '90x60 · 15/s · walls wrap · 67 stones');
});

test('no choices: the server defaults, and an empty query', () => {
  const r = parseRoomChoice({ room: 'x' });
  assert.deepEqual(r, { ok: true, choice: {} });
  assert.deepEqual(resolveSettings({}, { ...defaults, stones: 12 }), { ...defaults, stones: 12 });
  assert.equal(choiceQuery({}), '');
});

test('a chosen size places stones for that size only when asked', () => {
  assert.equal(resolveSettings({ size: 's' }, { ...defaults, stones: 200 }).stones, 0);
  assert.equal(resolveSettings({ size: 's', stones: 'some' }, defaults).stones, 13);
  assert.equal(resolveSettings({ stones: 'some' }, defaults).stones, 30);
});

for (const [query, message] of [
  [{ size: 'xl' }, 'size must be one of s, m, l, not "xl"'],
  [{ speed: '12' }, 'speed must be one of 5, 10, 15, not "12"'],
  [{ walls: 'bouncy' }, 'walls must be one of solid, wrap, not "bouncy"'],
  [{ stones: 'lots' }, 'stones must be one of off, some, not "lots"'],
  [{ size: ['s', 'm'] }, 'size must be one of s, m, l, not a repeated value'],
] as const) {
  test(`refused with what is allowed: ${JSON.stringify(query)}`, () => {
    assert.deepEqual(parseRoomChoice(query), { ok: false, message });
  });
}
