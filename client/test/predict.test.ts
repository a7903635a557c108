// Prediction and reconciliation of your own snake (client/src/state/predict.ts), without a DOM:
// hand-made snakes on small boards, and a real game stepped by the shared rules to show that a
// prediction whose turns reach the server when predicted is exactly what the server does.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  Board,
  DEFAULT_RULES,
  DOWN,
  type Dir,
  LEFT,
  MAX_QUEUED_TURNS,
  type MirrorSnake,
  RIGHT,
  UP,
  createGame,
  step,
} from '@snakepit/shared';
import { type Point, snakeEnds } from '../src/state/interpolate.ts';
import { HeadEasing, LOST_TURN_TICKS, MAX_EASED_CELLS, type SentTurn, TurnLog, predict } from '../src/state/predict.ts';

const solid = new Board({ width: 10, height: 8, walls: 'solid' });
const wrap = new Board({ width: 10, height: 8, walls: 'wrap' });
const NO_STONES: ReadonlySet<number> = new Set();
const INTERVAL = 100;
const FRAME = 1000 / 60;

const xy = (board: Board, cells: readonly number[]) => cells.map((c) => [board.x(c), board.y(c)]);
const turn = (seq: number, dir: Dir, stepAt: number): SentTurn => ({ seq, dir, step: stepAt });

/** Moving right along row 5: it just stepped from (2,5) to (3,5), dropping (0,5). */
const rightward = (board: Board): MirrorSnake => ({
  body: [board.cell(3, 5), board.cell(2, 5), board.cell(1, 5)],
  moved: true,
  trimmed: [board.cell(0, 5)],
});

/** The head as drawn at `present`. */
function drawnHead(board: Board, snake: MirrorSnake, shown: number, pending: readonly SentTurn[], present: number): Point {
  const p = predict(board, NO_STONES, snake, shown, pending, present)!;
  return snakeEnds(p.snake, board, p.alpha).head;
}

describe('prediction', () => {
  test('with no turns the head runs on one cell per predicted tick and the tail follows', () => {
    const p = predict(solid, NO_STONES, rightward(solid), 20, [], 22.25)!;
    assert.equal(p.tick, 22);
    assert.equal(p.alpha, 0.25);
    assert.equal(p.facing, RIGHT);
    assert.deepEqual(xy(solid, p.snake.body), [
      [5, 5],
      [4, 5],
      [3, 5],
    ]);
    assert.deepEqual(xy(solid, p.snake.trimmed), [[2, 5]]);
    assert.equal(p.snake.moved, true);
    // Sliding a quarter of the way from (4,5) into (5,5).
    assert.deepEqual(snakeEnds(p.snake, solid, p.alpha).head, { x: 4.75, y: 5.5 });
  });

  test("at the tick shown, or behind it, the server's snake is drawn as it is", () => {
    const snake = rightward(solid);
    assert.equal(predict(solid, NO_STONES, snake, 20, [], 20.4)!.snake, snake);
    const behind = predict(solid, NO_STONES, snake, 20, [], 19.2)!;
    assert.equal(behind.tick, 20);
    assert.equal(behind.alpha, 1);
  });

  test('a valid turn faces the new way at once and moves it from the next cell boundary', () => {
    const snake = rightward(solid);
    // Pressed at present 22.25: the step after tick 22 takes it.
    const pending = [turn(1, UP, 23)];
    const now = predict(solid, NO_STONES, snake, 20, pending, 22.25)!;
    assert.equal(now.facing, UP, 'the eyes turn at once');
    assert.deepEqual(snakeEnds(now.snake, solid, now.alpha).head, { x: 4.75, y: 5.5 }, 'still sliding right into (5,5)');
    const next = predict(solid, NO_STONES, snake, 20, pending, 23.5)!;
    assert.deepEqual(xy(solid, next.heads), [
      [4, 5],
      [5, 5],
      [5, 4],
    ]);
    assert.deepEqual(snakeEnds(next.snake, solid, next.alpha).head, { x: 5.5, y: 5 }, 'half way up from (5,5)');
  });

  test('a reversal and a press of the way it goes are used up without effect, as the rules do', () => {
    // Going right: left (a reversal) is used up, then down is taken; a second down is used up.
    const p = predict(solid, NO_STONES, rightward(solid), 20, [turn(1, LEFT, 21), turn(2, DOWN, 21), turn(3, DOWN, 22)], 22.5)!;
    assert.deepEqual(xy(solid, p.heads), [
      [3, 6],
      [3, 7],
    ]);
  });

  test(`at most ${MAX_QUEUED_TURNS} turns wait: a third press in the same step is dropped, as the rules drop it`, () => {
    // up, right, up: up and right queue, the last up is dropped; so up then right.
    const p = predict(solid, NO_STONES, rightward(solid), 20, [turn(1, UP, 21), turn(2, RIGHT, 21), turn(3, UP, 21)], 23)!;
    assert.deepEqual(xy(solid, p.heads), [
      [3, 4],
      [4, 4],
      [5, 4],
    ]);
  });

  test('a step into a solid wall or a stone is not taken: the snake waits for the server', () => {
    const atWall: MirrorSnake = { body: [solid.cell(9, 2), solid.cell(8, 2), solid.cell(7, 2)], moved: true, trimmed: [] };
    const p = predict(solid, NO_STONES, atWall, 30, [], 32.5)!;
    assert.deepEqual(p.heads, []);
    assert.deepEqual(p.snake, { body: atWall.body, moved: false, trimmed: [] });
    const stones = new Set([solid.cell(5, 5)]);
    const q = predict(solid, stones, rightward(solid), 20, [], 23.5)!;
    assert.deepEqual(xy(solid, q.heads), [[4, 5]], 'stops before the stone at (5,5)');
    assert.equal(q.snake.moved, false, 'nothing slides on the tick drawn');
  });

  test('a snake that grew on its last tick keeps its tail while predicted', () => {
    const grew: MirrorSnake = { ...rightward(solid), trimmed: [] };
    const p = predict(solid, NO_STONES, grew, 20, [], 22)!;
    assert.equal(p.snake.body.length, 5);
    assert.deepEqual(p.snake.trimmed, []);
  });

  test('turns across a wrapping edge', () => {
    const edge: MirrorSnake = { body: [wrap.cell(9, 3), wrap.cell(8, 3), wrap.cell(7, 3)], moved: true, trimmed: [wrap.cell(6, 3)] };
    const p = predict(wrap, NO_STONES, edge, 20, [turn(1, DOWN, 22)], 22.5)!;
    assert.deepEqual(xy(wrap, p.heads), [
      [0, 3],
      [0, 4],
    ]);
    assert.deepEqual(xy(wrap, p.snake.body), [
      [0, 4],
      [0, 3],
      [9, 3],
    ]);
    assert.deepEqual(snakeEnds(p.snake, wrap, p.alpha).head, { x: 0.5, y: 4 });
    // Half way over the edge, it is drawn running out past it, one cell long.
    const over = predict(wrap, NO_STONES, edge, 20, [turn(1, DOWN, 22)], 21.5)!;
    assert.deepEqual(snakeEnds(over.snake, wrap, over.alpha).head, { x: 10, y: 3.5 });
    assert.equal(over.facing, DOWN);
  });

  test('turns that reach the server when predicted give exactly what the server does', () => {
    let state = step(createGame(DEFAULT_RULES, 5), { joins: [{ id: 1, name: 'me' }] }).state;
    const board = Board.of(DEFAULT_RULES);
    const start = state.players[0]!.snake!;
    const shown = state.tick;
    const mirrorSnake: MirrorSnake = { body: [...start.body], moved: false, trimmed: [] };
    // Two turns pressed in the same predicted tick, then one two ticks later: left of its way, back, left.
    const dir = start.dir;
    const side = ((dir + 1) % 4) as Dir;
    const pending = [turn(1, side, shown + 1), turn(2, dir, shown + 1), turn(3, side, shown + 3)];
    for (let t = shown + 1; t <= shown + 4; t++) {
      const turns = pending.filter((p) => p.step === t).map((p) => ({ id: 1, dir: p.dir, seq: p.seq }));
      state = step(state, { turns }).state;
    }
    const p = predict(board, new Set(state.stones), mirrorSnake, shown, pending, shown + 4)!;
    const server = state.players[0]!.snake!;
    assert.deepEqual(p.snake.body.slice(0, 3), server.body.slice(0, 3));
    assert.equal(p.facing, server.dir);
  });
});

describe('the turn log', () => {
  test('seqs rise 1, 2, 3, and continue above an ack after a resume', () => {
    const log = new TurnLog();
    assert.equal(log.add(UP, 5), 1);
    assert.equal(log.add(LEFT, 5), 2);
    log.clear();
    log.continueAbove(41);
    assert.equal(log.add(UP, 9), 42);
    log.continueAbove(3);
    assert.equal(log.add(DOWN, 9), 43, 'never back down');
  });

  test('a dropped turn (acknowledged but without effect) leaves the log, and the path goes straight on', () => {
    const log = new TurnLog();
    log.add(UP, 21);
    const before = predict(solid, NO_STONES, rightward(solid), 20, log.pending, 21.5)!;
    assert.equal(before.facing, UP);
    // Tick 21 acknowledges seq 1, but the snake went right: the server dropped it.
    log.settle(1, 21);
    assert.equal(log.pending.length, 0);
    const movedOn: MirrorSnake = { body: [solid.cell(4, 5), solid.cell(3, 5), solid.cell(2, 5)], moved: true, trimmed: [solid.cell(1, 5)] };
    const after = predict(solid, NO_STONES, movedOn, 21, log.pending, 21.5)!;
    assert.equal(after.facing, RIGHT);
  });

  test(`a turn never acknowledged is forgotten ${LOST_TURN_TICKS} ticks after its step`, () => {
    const log = new TurnLog();
    log.add(UP, 21);
    log.add(LEFT, 25);
    log.settle(0, 21 + LOST_TURN_TICKS);
    assert.equal(log.pending.length, 2);
    log.settle(0, 22 + LOST_TURN_TICKS);
    assert.deepEqual(
      log.pending.map((t) => t.seq),
      [2],
    );
  });
});

describe('reconciliation', () => {
  /** Frames of `ms` at 60 fps, each easing toward `raw`; the drawn heads. */
  function frames(easing: HeadEasing, board: Board, raw: (i: number) => Point, ms: number): Point[] {
    const out: Point[] = [];
    for (let i = 0; i * FRAME < ms; i++) out.push(easing.update(raw(i), FRAME, INTERVAL, board));
    return out;
  }
  const dist = (a: Point, b: Point) => Math.hypot(a.x - b.x, a.y - b.y);

  test('a turn applied a tick later than predicted: the head is eased onto the real path, never jumping', () => {
    const log = new TurnLog();
    log.add(UP, 21); // predicted to turn at (3,5)
    const easing = new HeadEasing();
    const predicted = frames(easing, solid, (i) => drawnHead(solid, rightward(solid), 20, log.pending, 21 + (i * FRAME) / INTERVAL), 50);
    // Tick 21 shows the snake went on right, without the turn (ack 0): the server took it late.
    const late: MirrorSnake = { body: [solid.cell(4, 5), solid.cell(3, 5), solid.cell(2, 5)], moved: true, trimmed: [solid.cell(1, 5)] };
    log.settle(0, 21);
    assert.equal(log.pending.length, 1, 'still waiting for the server');
    const t0 = 21 + (3 * FRAME) / INTERVAL;
    const corrected = frames(easing, solid, (i) => drawnHead(solid, late, 21, log.pending, t0 + (i * FRAME) / INTERVAL), 200);
    // Now it turns up out of (4,5): the head slides from (3,5) into (4,5) and then goes up.
    const p = predict(solid, NO_STONES, late, 21, log.pending, 22.5)!;
    assert.deepEqual(xy(solid, p.heads), [[4, 4]]);
    const all = [...predicted, ...corrected];
    for (let i = 1; i < all.length; i++)
      assert.ok(dist(all[i]!, all[i - 1]!) < MAX_EASED_CELLS, `frame ${i} jumped ${dist(all[i]!, all[i - 1]!)}`);
    assert.ok(dist(predicted.at(-1)!, corrected[0]!) < 0.45, 'the first corrected frame stays near the old drawing');
    const settled = drawnHead(solid, late, 21, log.pending, t0 + ((corrected.length - 1) * FRAME) / INTERVAL);
    assert.ok(dist(corrected.at(-1)!, settled) < 0.01, 'settled on the real path within 200 ms');
  });

  test('a correction is eased when within one cell, and shown at once when larger', () => {
    const easing = new HeadEasing();
    easing.update({ x: 3.5, y: 5.5 }, FRAME, INTERVAL, solid);
    const first = easing.update({ x: 4.3, y: 5.5 }, FRAME, INTERVAL, solid);
    assert.ok(first.x > 3.5 && first.x < 4.3, `eased: drawn at ${first.x}`);
    const later = frames(easing, solid, () => ({ x: 4.3, y: 5.5 }), 120).at(-1)!;
    assert.ok(Math.abs(later.x - 4.3) < 0.03, `settled at ${later.x}`);
    // A turn taken a tick early puts the head near the diagonal neighbour: still eased.
    const diagonal = easing.update({ x: 5.2, y: 6.4 }, FRAME, INTERVAL, solid);
    assert.ok(diagonal.x < 5.2 && diagonal.y < 6.4, `eased: drawn at ${JSON.stringify(diagonal)}`);
    frames(easing, solid, () => ({ x: 4.3, y: 5.5 }), 200);
    // Three cells off: no slow glide across the board.
    const snapped = easing.update({ x: 7.3, y: 5.5 }, FRAME, INTERVAL, solid);
    assert.deepEqual(snapped, { x: 7.3, y: 5.5 });
  });

  test('its own travel, across a wrapping edge too, is not taken for a correction', () => {
    const easing = new HeadEasing();
    // Out past the right edge at 10.4, then drawn from the other side at 0.5.
    easing.update({ x: 10.4, y: 3.5 }, FRAME, INTERVAL, wrap);
    const next = easing.update({ x: 0.55, y: 3.5 }, FRAME, INTERVAL, wrap);
    assert.deepEqual(next, { x: 0.55, y: 3.5 });
    assert.deepEqual(easing.offset, { x: 0, y: 0 });
  });
});
