// Step 8, state sync: the game of step 7, but a player gets the whole view once, in a snapshot
// when it joins (or asks again with {"type":"resync"}), and then only what changed each tick. A
// delta is built once per tick and the same text goes to every player.
// Chapter: docs/tutorial/03-state-sync.md

import type { StepOptions } from '../01-basic-loop/server.ts';
import { type Announce, type GameStep, startGame } from '../07-rules/server.ts';
import { diff, view } from './delta.ts';

export const snapshotThenDeltas: Announce = {
  welcome: ({ id, socket }, state, tickMs) => socket.send(JSON.stringify({ type: 'snapshot', id, tickMs, view: view(state) })),
  tick: (players, before, after) => {
    const text = JSON.stringify({ type: 'tick', ...diff(view(before), view(after)) });
    for (const { socket } of players) socket.send(text);
  },
};

export function start(options: StepOptions, page = new URL('page.ts', import.meta.url)): Promise<GameStep> {
  return startGame(options, page, snapshotThenDeltas);
}
