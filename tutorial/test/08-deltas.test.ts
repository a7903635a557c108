// Step 8: a delta carries a view to the next one exactly, over a long game with joins, leaves,
// deaths and food; it is much smaller than the snapshot; a skipped tick is a gap, not a wrong
// picture. Then the server: a snapshot on joining, deltas after, a snapshot again on resync.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DIRS, newGame, step } from '../07-rules/rules.ts';
import { GapError, type View, apply, diff, view } from '../08-deltas/delta.ts';
import { start } from '../08-deltas/server.ts';
import { Client } from './helpers.ts';

test('apply(view, diff(view, next)) is next, tick after tick; deltas are a fraction of snapshots', () => {
  let state = step(newGame(5), { joins: [1, 2, 3, 4] });
  let mirror: View = view(state);
  let snapshotBytes = 0;
  let deltaBytes = 0;
  for (let t = 0; t < 500; t++) {
    const next = step(state, { turns: [{ id: 1 + (t % 4), dir: DIRS[(t * 5) % 4]!, seq: t }], joins: t % 97 === 0 ? [10 + t] : [] });
    const delta = diff(view(state), view(next));
    mirror = apply(mirror, delta);
    assert.deepEqual(mirror, view(next), `tick ${next.tick}`);
    snapshotBytes += JSON.stringify(view(next)).length;
    deltaBytes += JSON.stringify(delta).length;
    state = next;
  }
  assert.ok(deltaBytes * 2 < snapshotBytes, `deltas ${deltaBytes} B, snapshots ${snapshotBytes} B`);
});

test('a delta that skips a tick is a gap', () => {
  const a = step(newGame(1), { joins: [1] });
  const c = step(step(a));
  assert.throws(() => apply(view(a), diff(view(step(a)), view(c))), GapError);
});

test('the server: a snapshot on joining, then deltas that follow it, and a snapshot on resync', async (t) => {
  const game = await start({ port: 0, tickMs: 50, log: () => {} });
  t.after(() => game.close());
  const a = await Client.open(`ws://127.0.0.1:${game.port}/ws`);
  t.after(() => a.close());
  const snapshot = await a.next((m) => m.type === 'snapshot', 'the snapshot');
  let mirror = snapshot.view as View;
  for (let i = 0; i < 5; i++) {
    const delta = await a.next((m) => m.type === 'tick' && m.tick === mirror.tick + 1, `tick ${mirror.tick + 1}`);
    mirror = apply(mirror, delta as never);
  }
  assert.ok(
    mirror.snakes.some((s) => s.id === snapshot.id),
    'my snake is in the mirror',
  );
  const from = a.messages.length;
  a.socket.send('{"type":"resync"}');
  await a.next((m) => m.type === 'snapshot', 'a second snapshot', from);
});
