// Step 10, the server's part of prediction: each tick also tells each player `ack`, the last of
// its turns the rules have dealt with, so its page knows which turns to replay. The rest is step 8.
// Chapter: docs/tutorial/05-prediction.md

import type { StepOptions } from '../01-basic-loop/server.ts';
import { type Announce, type GameStep, startGame } from '../07-rules/server.ts';
import { snapshotThenDeltas } from '../08-deltas/server.ts';
import { diff, view } from '../08-deltas/delta.ts';
import { acknowledged } from './predict.ts';

export const withAcks: Announce = {
  welcome: snapshotThenDeltas.welcome,
  tick: (players, before, after) => {
    const delta = diff(view(before), view(after));
    for (const { id, socket } of players) {
      const player = after.players.find((p) => p.id === id);
      socket.send(JSON.stringify({ type: 'tick', ack: player === undefined ? 0 : acknowledged(player), ...delta }));
    }
  },
};

export function start(options: StepOptions): Promise<GameStep> {
  return startGame(options, new URL('page.ts', import.meta.url), withAcks);
}
