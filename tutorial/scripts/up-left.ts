// The "up, left" case of docs/tutorial/02-rules.md: a snake moving right gets two quick presses,
// up then left, within one tick, and the real rules (shared/src/rules/step.ts) turn it up, then
// left: never back into its own neck. Prints one line per tick; the docs test runs this and
// compares with the chapter.
// Chapter: docs/tutorial/02-rules.md

import { DEFAULT_RULES, type GameState, acknowledged, createGame, step } from '@snakepit/shared';

const W = 20;
const start = createGame({ ...DEFAULT_RULES, width: W, height: 20, stones: 0 }, 1);
let state: GameState = {
  ...start,
  players: [
    {
      id: 1,
      name: 'ann',
      score: 0,
      best: 0,
      snake: { body: [10 * W + 10, 10 * W + 9, 10 * W + 8], dir: 1, grow: 0 },
      turns: [],
      seq: 0,
      away: false,
    },
  ],
};

function show(s: GameState): void {
  const p = s.players[0]!;
  const body = p.snake!.body.map((c) => `(${c % W},${Math.floor(c / W)})`).join(' ');
  console.log(
    `tick ${s.tick}: body ${body}  dir ${p.snake!.dir}  queued [${p.turns.map((t) => t.dir).join(',')}]  acknowledged ${acknowledged(p)}`,
  );
}

show(state);
state = step(state, {
  turns: [
    { id: 1, dir: 0, seq: 1 },
    { id: 1, dir: 3, seq: 2 },
  ],
}).state; // up, then left
show(state);
state = step(state).state;
show(state);
