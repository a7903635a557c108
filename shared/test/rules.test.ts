// The rules, case by case: movement, turns, eating, every kind of death, spawning, respawn.
// Boards are hand-made with makeState (20x20, no automatic food unless a case asks for it).

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  DOWN,
  LEFT,
  RIGHT,
  UP,
  type Dir,
  type GameEvent,
  type GameState,
  type TickInputs,
  START_LENGTH,
  MAX_QUEUED_TURNS,
  SPAWN_LOOKAHEAD,
  Board,
  acknowledged,
  checkInvariants,
  nextDir,
  createGame,
  DEFAULT_RULES,
  step,
} from '@snakepit/shared';
import { makeState, serialize, xy } from './helpers.ts';

const W = 20;
const c = (x: number, y: number) => y * W + x;

function bodyOf(state: GameState, id: number): [number, number][] | null {
  const p = state.players.find((q) => q.id === id);
  return p?.snake ? p.snake.body.map((cell) => xy(cell, state.config.width)) : null;
}

function run(state: GameState, ...inputs: TickInputs[]): { state: GameState; events: GameEvent[] } {
  const events: GameEvent[] = [];
  for (const input of inputs) {
    const r = step(state, input);
    assert.deepEqual(checkInvariants(r.state, state), []);
    state = r.state;
    events.push(...r.events);
  }
  return { state, events };
}

const turn = (id: number, ...dirs: Dir[]): TickInputs => ({ turns: dirs.map((dir) => ({ id, dir })) });

describe('movement', () => {
  const cases: { name: string; dir: Dir; head: [number, number] }[] = [
    { name: 'right', dir: RIGHT, head: [11, 10] },
    { name: 'left', dir: LEFT, head: [9, 10] },
    { name: 'up', dir: UP, head: [10, 9] },
    { name: 'down', dir: DOWN, head: [10, 11] },
  ];
  for (const { name, dir, head } of cases) {
    test(`a snake facing ${name} advances one cell and its tail follows`, () => {
      // The body trails behind, opposite to the facing; pick a shape that works for each dir.
      const behind: [number, number][][] = [
        [
          [10, 10],
          [10, 11],
          [10, 12],
        ], // UP
        [
          [10, 10],
          [9, 10],
          [8, 10],
        ], // RIGHT
        [
          [10, 10],
          [10, 9],
          [10, 8],
        ], // DOWN
        [
          [10, 10],
          [11, 10],
          [12, 10],
        ], // LEFT
      ];
      const body = behind[dir]!;
      const s0 = makeState({ snakes: [{ id: 1, body, dir }] });
      const { state } = run(s0, {});
      assert.deepEqual(bodyOf(state, 1), [head, ...body.slice(0, 2)]);
    });
  }

  test('a growing snake keeps its tail and counts its growth down', () => {
    const s0 = makeState({
      snakes: [
        {
          id: 1,
          body: [
            [5, 5],
            [4, 5],
            [3, 5],
          ],
          dir: RIGHT,
          grow: 2,
        },
      ],
    });
    const { state } = run(s0, {}, {}, {});
    assert.deepEqual(bodyOf(state, 1), [
      [8, 5],
      [7, 5],
      [6, 5],
      [5, 5],
      [4, 5],
    ]);
    assert.equal(state.players[0]!.snake!.grow, 0);
  });

  test('step does not change the state it is given', () => {
    const s0 = makeState({
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
      ],
      food: [[6, 5, 3]],
      config: { foodBase: 3 },
    });
    const before = serialize(s0);
    step(s0, { ...turn(1, UP), joins: [{ id: 2, name: 'b' }] });
    assert.equal(serialize(s0), before);
  });
});

describe('turns', () => {
  const start = () =>
    makeState({
      snakes: [
        {
          id: 1,
          body: [
            [10, 10],
            [9, 10],
            [8, 10],
          ],
          dir: RIGHT,
        },
      ],
    });

  test('a perpendicular turn applies on the next tick', () => {
    const { state } = run(start(), turn(1, UP));
    assert.deepEqual(bodyOf(state, 1)![0], [10, 9]);
    assert.equal(state.players[0]!.snake!.dir, UP);
  });

  test('a reversal is ignored', () => {
    const { state } = run(start(), turn(1, LEFT));
    assert.deepEqual(bodyOf(state, 1)![0], [11, 10]);
    assert.equal(state.players[0]!.snake!.dir, RIGHT);
  });

  test('two quick keys (up, left) within one tick turn up, then left: never into the neck', () => {
    // The original judged "left" against the last key pressed (up) and let it through in the
    // same tick, reversing the snake into its own neck. Here it waits for the next tick and is
    // judged against the move actually made (up), where it is a legal turn.
    const { state, events } = run(start(), turn(1, UP, LEFT), {});
    assert.equal(events.filter((e) => e.type === 'died').length, 0);
    assert.deepEqual(bodyOf(state, 1), [
      [9, 9],
      [10, 9],
      [10, 10],
    ]);
  });

  test(`at most ${MAX_QUEUED_TURNS} turns wait; extra presses are dropped`, () => {
    const r = step(start(), turn(1, UP, LEFT, DOWN, RIGHT, UP, LEFT));
    // UP was applied this tick; LEFT waits; the rest were dropped when the queue was full.
    assert.deepEqual(
      r.state.players[0]!.turns.map((t) => t.dir),
      [LEFT],
    );
  });

  test('a thousand presses in one tick still move the snake one cell and queue two turns at most', () => {
    const presses = Array.from({ length: 1000 }, (_, i) => (i % 2 ? UP : DOWN) as Dir);
    const r = step(start(), turn(1, ...presses));
    assert.deepEqual(bodyOf(r.state, 1)![0], [10, 11]); // DOWN came first
    assert.ok(r.state.players[0]!.turns.length <= MAX_QUEUED_TURNS);
  });

  test('a press in the direction already moving is used up without effect', () => {
    const { state } = run(start(), turn(1, RIGHT, UP));
    assert.deepEqual(bodyOf(state, 1)![0], [10, 9]);
  });
});

describe('eating', () => {
  test('eating a digit N scores N and grows the snake by N over the next N ticks', () => {
    const s0 = makeState({
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
      ],
      food: [[6, 5, 4]],
    });
    const first = run(s0, {});
    const p = first.state.players[0]!;
    assert.equal(p.score, 4);
    assert.equal(p.best, 4);
    assert.equal(p.snake!.body.length, 3);
    assert.equal(first.state.food.size, 0);
    assert.deepEqual(
      first.events.filter((e) => e.type === 'ate'),
      [{ type: 'ate', id: 1, cell: c(6, 5), value: 4 }],
    );
    const later = run(first.state, {}, {}, {}, {}, {}, {});
    assert.equal(later.state.players[0]!.snake!.body.length, 3 + 4);
  });

  test('the board is topped up to foodBase + foodPerSnake * live snakes', () => {
    const s0 = makeState({
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
            [5, 15],
            [4, 15],
            [3, 15],
          ],
          dir: RIGHT,
        },
      ],
      config: { foodBase: 3, foodPerSnake: 2 },
    });
    const { state } = run(s0, {});
    assert.equal(state.food.size, 3 + 2 * 2);
    for (const v of state.food.values()) assert.ok(v >= 1 && v <= 9);
  });
});

describe('deaths', () => {
  interface DeathCase {
    name: string;
    state: GameState;
    inputs?: TickInputs;
    dies: { id: number; cause: string; by?: number | null }[];
    survives?: number[];
  }
  const cases: DeathCase[] = [
    {
      name: 'into the wall',
      state: makeState({
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
      }),
      dies: [{ id: 1, cause: 'wall' }],
    },
    {
      name: 'into the top wall after a turn',
      state: makeState({
        snakes: [
          {
            id: 1,
            body: [
              [5, 0],
              [4, 0],
              [3, 0],
            ],
            dir: RIGHT,
          },
        ],
      }),
      inputs: turn(1, UP),
      dies: [{ id: 1, cause: 'wall' }],
    },
    {
      name: 'into a stone',
      state: makeState({
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
        ],
        stones: [[6, 5]],
      }),
      dies: [{ id: 1, cause: 'stone' }],
    },
    {
      name: 'into its own body',
      // A hook shape: moving left from (5,5) runs into (4,5), part of its own body.
      state: makeState({
        snakes: [
          {
            id: 1,
            body: [
              [5, 5],
              [5, 4],
              [4, 4],
              [4, 5],
              [4, 6],
            ],
            dir: DOWN,
          },
        ],
      }),
      inputs: turn(1, LEFT),
      dies: [{ id: 1, cause: 'self' }],
    },
    {
      name: "into another snake's body",
      state: makeState({
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
              [6, 4],
              [6, 5],
              [6, 6],
              [6, 7],
            ],
            dir: UP,
          },
        ],
      }),
      dies: [{ id: 1, cause: 'snake', by: 2 }],
      survives: [2],
    },
    {
      name: 'head-on into the same cell: both die',
      state: makeState({
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
              [7, 5],
              [8, 5],
              [9, 5],
            ],
            dir: LEFT,
          },
        ],
      }),
      dies: [
        { id: 1, cause: 'head-on', by: 2 },
        { id: 2, cause: 'head-on', by: 1 },
      ],
    },
    {
      name: 'head-on by swapping cells: both die',
      state: makeState({
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
              [6, 5],
              [7, 5],
              [8, 5],
            ],
            dir: LEFT,
          },
        ],
      }),
      dies: [
        { id: 1, cause: 'head-on', by: 2 },
        { id: 2, cause: 'head-on', by: 1 },
      ],
    },
    {
      name: 'into a tail that moves away this tick: no death',
      state: makeState({
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
              [6, 2],
              [6, 3],
              [6, 4],
              [6, 5],
            ],
            dir: UP,
          },
        ],
      }),
      dies: [],
      survives: [1, 2],
    },
    {
      name: 'into a tail that stays because it is growing: death',
      state: makeState({
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
              [6, 2],
              [6, 3],
              [6, 4],
              [6, 5],
            ],
            dir: UP,
            grow: 1,
          },
        ],
      }),
      dies: [{ id: 1, cause: 'snake', by: 2 }],
      survives: [2],
    },
  ];

  for (const tc of cases) {
    test(tc.name, () => {
      const { state, events } = run(tc.state, tc.inputs ?? {});
      const died = events.filter((e) => e.type === 'died');
      assert.deepEqual(
        died.map((e) => ({ id: e.id, cause: e.cause, by: e.by })),
        tc.dies.map((d) => ({ id: d.id, cause: d.cause, by: d.by ?? null })),
      );
      for (const d of tc.dies) assert.equal(bodyOf(state, d.id), null, `snake ${d.id} should be gone`);
      for (const id of tc.survives ?? []) assert.notEqual(bodyOf(state, id), null, `snake ${id} should live`);
    });
  }

  test("a dead snake's body turns into food; its score stays until it plays again", () => {
    const s0 = makeState({
      snakes: [
        {
          id: 1,
          body: [
            [19, 5],
            [18, 5],
            [17, 5],
            [16, 5],
          ],
          dir: RIGHT,
          score: 7,
        },
      ],
    });
    const { state, events } = run(s0, {});
    assert.deepEqual(
      [...state.food.keys()].sort((a, b) => a - b),
      [c(16, 5), c(17, 5), c(18, 5), c(19, 5)],
    );
    const died = events.find((e) => e.type === 'died');
    assert.deepEqual(died, { type: 'died', id: 1, cause: 'wall', by: null, score: 7 });
    assert.equal(state.players[0]!.score, 7);
    assert.equal(state.players[0]!.snake, null);
  });
});

describe('joining, leaving and playing again', () => {
  test(`a joiner gets a ${START_LENGTH}-cell snake away from the walls, facing open space`, () => {
    const s0 = createGame({ ...DEFAULT_RULES, width: 30, height: 20 }, 7);
    for (let seed = 1; seed <= 50; seed++) {
      const { state, events } = run({ ...s0, rng: seed }, { joins: [{ id: 1, name: 'ann' }] });
      assert.deepEqual(events.slice(0, 2), [
        { type: 'joined', id: 1, name: 'ann' },
        { type: 'spawned', id: 1 },
      ]);
      const snake = state.players[0]!.snake!;
      assert.equal(snake.body.length, START_LENGTH);
      for (const cell of snake.body) {
        const [x, y] = xy(cell, 30);
        assert.ok(x >= 3 && x <= 26 && y >= 3 && y <= 16, `cell ${x},${y} too near a wall`);
      }
      // SPAWN_LOOKAHEAD free cells ahead: it survives that many ticks with no input.
      const ahead = run(state, ...Array.from({ length: SPAWN_LOOKAHEAD }, () => ({})));
      assert.notEqual(ahead.state.players[0]!.snake, null);
    }
  });

  test('a joiner spawns clear of other snakes', () => {
    let state = createGame({ ...DEFAULT_RULES, width: 30, height: 30 }, 3);
    for (let id = 1; id <= 8; id++) {
      state = run(state, { joins: [{ id, name: `p${id}` }] }).state;
      // At the moment it appears, no cell of the new snake touches another snake's cell.
      const fresh = state.players.find((p) => p.id === id)!.snake!.body.map((cell) => xy(cell, 30));
      for (const other of state.players.filter((p) => p.id !== id && p.snake)) {
        for (const [ax, ay] of fresh) {
          for (const [bx, by] of other.snake!.body.map((cell) => xy(cell, 30))) {
            assert.ok(Math.max(Math.abs(ax - bx), Math.abs(ay - by)) >= 2, `snake ${id} spawned touching snake ${other.id}`);
          }
        }
      }
    }
  });

  test('no more than maxPlayers can join', () => {
    let state = createGame({ ...DEFAULT_RULES, maxPlayers: 2 }, 1);
    state = run(state, { joins: [1, 2, 3].map((id) => ({ id, name: `p${id}` })) }).state;
    assert.deepEqual(
      state.players.map((p) => p.id),
      [1, 2],
    );
  });

  test('a player who leaves takes their snake with them, and no food is left behind', () => {
    const s0 = makeState({
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
      ],
    });
    const { state, events } = run(s0, { leaves: [1] });
    assert.equal(state.players.length, 0);
    assert.equal(state.food.size, 0);
    assert.deepEqual(events, [{ type: 'left', id: 1 }]);
  });

  test('a dead player plays again with a fresh snake and score 0; the best score is kept', () => {
    const s0 = makeState({ dead: [{ id: 1, score: 12, best: 30 }] });
    const { state, events } = run(s0, { respawns: [1] });
    const p = state.players[0]!;
    assert.equal(p.snake!.body.length, START_LENGTH);
    assert.equal(p.score, 0);
    assert.equal(p.best, 30);
    assert.deepEqual(events, [{ type: 'spawned', id: 1 }]);
  });

  test('respawn is ignored for a live player and for one who died in the same tick', () => {
    const s0 = makeState({
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
    const { state, events } = run(s0, { respawns: [1] });
    assert.equal(state.players[0]!.snake, null);
    assert.deepEqual(
      events.map((e) => e.type),
      ['died'],
    );
    const alive = makeState({
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
      ],
    });
    assert.deepEqual(run(alive, { respawns: [1] }).events, []);
  });

  test('on a board with no room, spawning fails cleanly and can be retried', () => {
    // A 10x10 board filled with stones except one row: no 3-cell snake with a free cell ahead fits.
    const stones: [number, number][] = [];
    for (let y = 0; y < 10; y++) for (let x = 0; x < 10; x++) if (y !== 0 || x > 1) stones.push([x, y]);
    const s0 = makeState({ stones, config: { width: 10, height: 10 } });
    const { state, events } = run(s0, { joins: [{ id: 1, name: 'x' }] });
    assert.deepEqual(
      events.map((e) => e.type),
      ['joined', 'spawn-failed'],
    );
    assert.equal(state.players[0]!.snake, null);
  });
});

describe('walls that wrap around', () => {
  const wrap = { config: { walls: 'wrap' as const } };

  const crossings: { name: string; body: [number, number][]; dir: Dir; head: [number, number] }[] = [
    {
      name: 'right edge to the left edge',
      body: [
        [19, 5],
        [18, 5],
        [17, 5],
      ],
      dir: RIGHT,
      head: [0, 5],
    },
    {
      name: 'left edge to the right edge',
      body: [
        [0, 5],
        [1, 5],
        [2, 5],
      ],
      dir: LEFT,
      head: [19, 5],
    },
    {
      name: 'top edge to the bottom edge',
      body: [
        [5, 0],
        [5, 1],
        [5, 2],
      ],
      dir: UP,
      head: [5, 19],
    },
    {
      name: 'bottom edge to the top edge',
      body: [
        [5, 19],
        [5, 18],
        [5, 17],
      ],
      dir: DOWN,
      head: [5, 0],
    },
  ];
  for (const { name, body, dir, head } of crossings) {
    test(`a head leaving the ${name} lives on, its body across the edge`, () => {
      const s0 = makeState({ ...wrap, snakes: [{ id: 1, body, dir }] });
      const { state, events } = run(s0, {});
      assert.deepEqual(events, []);
      assert.deepEqual(bodyOf(state, 1), [head, ...body.slice(0, 2)]);
    });
  }

  test('the same move into a solid wall still kills', () => {
    const s0 = makeState({
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
    assert.equal(run(s0, {}).events[0]?.type, 'died');
  });

  test('a snake keeps going around the board and comes back to where it started', () => {
    const s0 = makeState({
      ...wrap,
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
      ],
    });
    const { state } = run(s0, ...Array.from({ length: W }, () => ({})));
    assert.deepEqual(bodyOf(state, 1), [
      [5, 5],
      [4, 5],
      [3, 5],
    ]);
  });

  const deaths: {
    name: string;
    snakes: Parameters<typeof makeState>[0]['snakes'];
    dies: { id: number; cause: string; by: number | null }[];
  }[] = [
    {
      name: "across the edge into another snake's body",
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
        {
          id: 2,
          body: [
            [0, 4],
            [0, 5],
            [0, 6],
            [0, 7],
          ],
          dir: UP,
        },
      ],
      dies: [{ id: 1, cause: 'snake', by: 2 }],
    },
    {
      name: 'across the edge into its own tail, which stays because it is growing',
      // A snake the width of the board: its head at the right edge, its tail at the left.
      snakes: [{ id: 1, body: Array.from({ length: W }, (_, k) => [W - 1 - k, 5] as [number, number]), dir: RIGHT, grow: 1 }],
      dies: [{ id: 1, cause: 'self', by: null }],
    },
    {
      name: 'head-on across the edge: both die',
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
        {
          id: 2,
          body: [
            [0, 5],
            [1, 5],
            [2, 5],
          ],
          dir: LEFT,
        },
      ],
      dies: [
        { id: 1, cause: 'head-on', by: 2 },
        { id: 2, cause: 'head-on', by: 1 },
      ],
    },
    {
      name: 'into a stone just over the edge',
      snakes: [
        {
          id: 1,
          body: [
            [5, 19],
            [5, 18],
            [5, 17],
          ],
          dir: DOWN,
        },
      ],
      dies: [{ id: 1, cause: 'stone', by: null }],
    },
  ];
  for (const tc of deaths) {
    test(tc.name, () => {
      const s0 = makeState({ ...wrap, snakes: tc.snakes, stones: tc.name.includes('stone') ? [[5, 0]] : [] });
      const { events } = run(s0, {});
      assert.deepEqual(
        events.filter((e) => e.type === 'died').map((e) => ({ id: e.id, cause: e.cause, by: e.by })),
        tc.dies,
      );
    });
  }

  test('a joiner on a wrapping board may spawn by the edge, and has open cells ahead across it', () => {
    const s0 = createGame({ ...DEFAULT_RULES, width: 30, height: 20, walls: 'wrap' }, 7);
    let nearEdge = 0;
    for (let seed = 1; seed <= 80; seed++) {
      const { state } = run({ ...s0, rng: seed }, { joins: [{ id: 1, name: 'ann' }] });
      const body = state.players[0]!.snake!.body;
      const board = Board.of(state.config);
      const onEdge = (cell: number) => [0, 29].includes(board.x(cell)) || [0, 19].includes(board.y(cell));
      if (body.some(onEdge)) nearEdge++;
      const ahead = run(state, ...Array.from({ length: SPAWN_LOOKAHEAD }, () => ({})));
      assert.notEqual(ahead.state.players[0]!.snake, null);
    }
    assert.ok(nearEdge > 0, 'with no walls to fear, some spawns touch the edge');
  });
});

describe('sequence numbers and acknowledgements', () => {
  const seqTurn = (id: number, ...turns: [Dir, number][]): TickInputs => ({ turns: turns.map(([dir, seq]) => ({ id, dir, seq })) });
  const right = () =>
    makeState({
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
      ],
    });

  test('a turn applied in a tick is acknowledged by that tick', () => {
    const { state } = run(right(), seqTurn(1, [UP, 1]));
    assert.deepEqual(bodyOf(state, 1)?.[0], [5, 4]);
    assert.equal(acknowledged(state.players[0]!), 1);
  });

  test('a second turn in the same tick waits in the queue, unacknowledged, until the next tick', () => {
    const one = run(right(), seqTurn(1, [UP, 1], [LEFT, 2]));
    assert.equal(acknowledged(one.state.players[0]!), 1);
    const two = run(one.state, {});
    assert.deepEqual(bodyOf(two.state, 1)?.[0], [4, 4]);
    assert.equal(acknowledged(two.state.players[0]!), 2);
  });

  test('a reversal is used up, and acknowledged, without effect', () => {
    const { state } = run(right(), seqTurn(1, [LEFT, 7]));
    assert.deepEqual(bodyOf(state, 1)?.[0], [6, 5]);
    assert.equal(acknowledged(state.players[0]!), 7);
  });

  test(`a press beyond the ${MAX_QUEUED_TURNS}-turn queue is dropped, and acknowledged once the queue before it is done`, () => {
    const one = run(right(), seqTurn(1, [UP, 1], [LEFT, 2], [DOWN, 3]));
    assert.equal(acknowledged(one.state.players[0]!), 1);
    const two = run(one.state, {});
    assert.equal(acknowledged(two.state.players[0]!), 3);
    assert.deepEqual(bodyOf(two.state, 1)?.[0], [4, 4], 'the dropped DOWN never applied');
  });

  test("a dead player's turns are acknowledged as dropped", () => {
    const s0 = makeState({ dead: [{ id: 1 }] });
    assert.equal(acknowledged(run(s0, seqTurn(1, [UP, 4])).state.players[0]!), 4);
  });

  test('nextDir is the rule the tick uses: the first valid queued turn, judged against the last move', () => {
    assert.deepEqual(nextDir(RIGHT, [{ dir: RIGHT }, { dir: LEFT }, { dir: UP }, { dir: DOWN }]), { dir: UP, rest: [{ dir: DOWN }] });
    assert.deepEqual(nextDir(RIGHT, [{ dir: LEFT }]), { dir: RIGHT, rest: [] });
    assert.deepEqual(nextDir(UP, []), { dir: UP, rest: [] });
  });
});

describe('players who are away', () => {
  const two = () =>
    makeState({
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
            [7, 3],
            [7, 2],
            [7, 1],
          ],
          dir: DOWN,
        },
      ],
    });

  test('an away snake holds still and takes no turns; back, it moves on as before', () => {
    const away = run(two(), { away: [1] }, { turns: [{ id: 1, dir: UP, seq: 1 }] });
    assert.deepEqual(bodyOf(away.state, 1), [
      [5, 5],
      [4, 5],
      [3, 5],
    ]);
    assert.equal(away.state.players[0]!.away, true);
    assert.deepEqual(away.events, []);
    const back = run(away.state, { back: [1] });
    assert.equal(back.state.players[0]!.away, false);
    assert.deepEqual(bodyOf(back.state, 1)?.[0], [6, 5]);
  });

  test('another snake running into an away snake dies by it; the away snake does not', () => {
    // Snake 2 moves down from (7,3) to (7,4), (7,5): snake 1 is held across x 3..5, so put it in the way.
    const s0 = makeState({
      snakes: [
        {
          id: 1,
          body: [
            [7, 5],
            [6, 5],
            [5, 5],
          ],
          dir: RIGHT,
        },
        {
          id: 2,
          body: [
            [7, 3],
            [7, 2],
            [7, 1],
          ],
          dir: DOWN,
        },
      ],
    });
    const { state, events } = run(s0, { away: [1] }, {});
    assert.deepEqual(
      events.filter((e) => e.type === 'died').map((e) => ({ id: e.id, cause: e.cause, by: e.by })),
      [{ id: 2, cause: 'snake', by: 1 }],
    );
    assert.deepEqual(bodyOf(state, 1), [
      [7, 5],
      [6, 5],
      [5, 5],
    ]);
  });

  test('food and new snakes never land on an away snake', () => {
    const s0 = makeState({
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
      ],
      config: { width: 10, height: 10, foodBase: 60 },
    });
    const { state } = run(s0, { away: [1], joins: [{ id: 2, name: 'b' }] });
    for (const cell of state.players[0]!.snake!.body) assert.ok(!state.food.has(cell));
  });
});
