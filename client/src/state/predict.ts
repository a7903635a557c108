// Your own snake, drawn where the server will have it when a key pressed now arrives: Gambetta's
// client-side prediction and reconciliation, done for a grid. The mirror holds the server's word
// at the tick shown, with `ack`, the last of your turns that tick includes; the page replays the
// turns it sent since on top, one step per tick with the rules' own turn rule (nextDir), up to
// the predicted present. Every tick shown is a fresh start, so a turn the server took a tick late
// or dropped, or a death the page did not see coming, corrects itself; HeadEasing then moves the
// drawn head into its corrected place over a few frames instead of jumping.
// Must not: decide deaths, eating, growth or score (the server's), judge turns by a rule of its
// own, or touch the DOM or a clock (callers pass ticks and milliseconds, so tests drive it).
// Tutorial: docs/tutorial/05-prediction.md

import { type Board, type Dir, MAX_QUEUED_TURNS, type MirrorSnake, nextDir } from '@snakepit/shared';
import { type Point, seenFrom } from './interpolate.ts';

/** A turn this page sent. */
export interface SentTurn {
  readonly seq: number;
  readonly dir: Dir;
  /**
   * The step predicted to take it: the one after the predicted tick it was pressed in, which is
   * the next cell boundary the player saw coming.
   */
  readonly step: number;
}

/**
 * A sent turn still unacknowledged this many ticks after its step never reached the rules (its
 * socket closed, or the server refused it): it is forgotten rather than replayed for ever.
 */
export const LOST_TURN_TICKS = 10;

/** The turns this page sent that the ticks shown have not acknowledged yet, oldest first. */
export class TurnLog {
  #sent: SentTurn[] = [];
  /** The last seq used: seqs rise for the whole page, across reconnections. */
  #seq = 0;

  /** Turns sent and not acknowledged, oldest first. */
  get pending(): readonly SentTurn[] {
    return this.#sent;
  }

  /** Never send a seq at or below `seq` (the player's `ack` after a resume). */
  continueAbove(seq: number): void {
    if (seq > this.#seq) this.#seq = seq;
  }

  /** Records a turn about to be sent, taken by step `step`; returns its seq. */
  add(dir: Dir, step: number): number {
    this.#seq++;
    this.#sent.push({ seq: this.#seq, dir, step });
    return this.#seq;
  }

  /**
   * The tick `tick` shown says the rules have dealt with every turn up to `ack` (applied, used up
   * or dropped): those leave the log, and so do turns that can no longer arrive.
   */
  settle(ack: number, tick: number): void {
    const keep = this.#sent.findIndex((t) => t.seq > ack && t.step >= tick - LOST_TURN_TICKS);
    if (keep !== 0) this.#sent = keep < 0 ? [] : this.#sent.slice(keep);
  }

  /** A new connection: turns in flight on the old one are lost. */
  clear(): void {
    this.#sent = [];
  }
}

export interface Prediction {
  /** The snake at predicted tick `tick`, in the mirror's shape, for the same drawing code. */
  readonly snake: MirrorSnake;
  /** The tick the head is sliding into, and how far it is (0..1). */
  readonly tick: number;
  readonly alpha: number;
  /** The way the head faces: the direction of its next predicted step. */
  readonly facing: Dir;
  /** Head cells from the tick shown + 1 to `tick`, as predicted (fewer when held at a wall). */
  readonly heads: readonly number[];
}

/**
 * Your snake at the predicted present `present` (a fractional tick), from `snake` as the mirror
 * has it at tick `shown`, with the turns not yet acknowledged replayed on top. Each step: the
 * turns whose step has come join the queue (at most MAX_QUEUED_TURNS wait, as in the rules), the
 * rules' nextDir picks the way, and the head advances one cell; the tail follows, unless the
 * snake grew on its last tick, when it is taken to go on growing. A step into a solid wall or a
 * stone is not taken: the snake waits there for the server's verdict. Null for a snake whose
 * facing cannot be read (a single cell).
 */
export function predict(
  board: Board,
  stones: ReadonlySet<number>,
  snake: MirrorSnake,
  shown: number,
  pending: readonly SentTurn[],
  present: number,
): Prediction | null {
  const body = snake.body;
  if (body.length < 2) return null;
  const facingNow = board.dirBetween(body[1]!, body[0]!);
  if (facingNow === null) return null;
  let moved: Dir = facingNow;
  // Drawn at least at the tick shown: the present is never behind the server's word.
  const tick = Math.max(shown, Math.floor(present));
  const alpha = present >= shown ? present - Math.floor(present) : 1;

  const heads: number[] = [];
  let queue: readonly SentTurn[] = [];
  let next = 0;
  let head = body[0]!;
  let facing: Dir = moved;
  for (let t = shown + 1; ; t++) {
    while (next < pending.length && pending[next]!.step <= t) {
      if (queue.length < MAX_QUEUED_TURNS) queue = [...queue, pending[next]!];
      next++;
    }
    const turn = nextDir(moved, queue);
    queue = turn.rest;
    facing = turn.dir;
    if (t > tick) break; // one step past the present: only its direction is wanted
    const to = board.neighbour(head, turn.dir);
    if (to < 0 || stones.has(to)) break;
    heads.push(to);
    head = to;
    moved = turn.dir;
  }
  return { snake: advanced(snake, heads, tick - shown), tick, alpha, facing, heads };
}

/** `snake` after its head took `heads` (oldest first) of `steps` predicted steps. */
function advanced(snake: MirrorSnake, heads: readonly number[], steps: number): MirrorSnake {
  if (steps === 0) return snake;
  if (heads.length === 0) return { body: snake.body, moved: false, trimmed: [] };
  const grows = snake.moved && snake.trimmed.length === 0;
  const cells = [...heads].reverse().concat(snake.body);
  const length = grows ? cells.length : snake.body.length;
  // Held at a wall before the present: nothing slides on the tick drawn.
  const movedNow = heads.length === steps;
  return {
    body: cells.slice(0, length),
    moved: movedNow,
    trimmed: movedNow && !grows ? [cells[length]!] : [],
  };
}

/** How long a correction takes to fade, in ms: about 95% is gone after 3 of these. */
const EASE_MS = 33;
/**
 * The most a correction may move the drawn head, in cells along each axis (so a diagonal
 * neighbour, where a turn taken a tick early or late puts the head, counts as one): a larger
 * error is shown at once.
 */
export const MAX_EASED_CELLS = 1;
/**
 * Motion beyond this many cells per tick interval is a correction, not the head's own travel
 * (the present clock runs at most 1.5 ticks per interval), plus a little for rounding.
 */
const OWN_SPEED = 1.5;
const SLACK_CELLS = 0.02;

/**
 * The drawn head, kept from jumping when a prediction is corrected. Each frame it is given the
 * head as predicted (`raw`); when that moved further than the head can travel in the frame, the
 * difference is a correction: the head is held where it was drawn and eased to `raw` over a few
 * frames, unless the error is more than MAX_EASED_CELLS, which is shown at once.
 */
export class HeadEasing {
  #offset: Point = { x: 0, y: 0 };
  #raw: Point | null = null;
  #drawn: Point | null = null;

  /** The head to draw this frame, `dtMs` after the last. */
  update(raw: Point, dtMs: number, intervalMs: number, board: Board): Point {
    if (this.#raw && this.#drawn) {
      const travel = length(delta(this.#raw, raw, board));
      if (travel > (OWN_SPEED * dtMs) / intervalMs + SLACK_CELLS) {
        const error = delta(raw, this.#drawn, board);
        this.#offset = Math.max(Math.abs(error.x), Math.abs(error.y)) > MAX_EASED_CELLS + 1e-9 ? { x: 0, y: 0 } : error;
      }
    }
    const keep = Math.exp(-dtMs / EASE_MS);
    this.#offset = { x: this.#offset.x * keep, y: this.#offset.y * keep };
    if (length(this.#offset) < 0.005) this.#offset = { x: 0, y: 0 };
    this.#raw = raw;
    this.#drawn = { x: raw.x + this.#offset.x, y: raw.y + this.#offset.y };
    return this.#drawn;
  }

  /** What the drawn head is off its prediction by, in cells (zero when settled). */
  get offset(): Point {
    return this.#offset;
  }

  /** A new snake (spawn, resume): nothing to ease from. */
  reset(): void {
    this.#offset = { x: 0, y: 0 };
    this.#raw = null;
    this.#drawn = null;
  }
}

/** `to - from`, across the edge when that is shorter on a wrapping board. */
function delta(from: Point, to: Point, board: Board): Point {
  const near = seenFrom(from, to, board);
  return { x: near.x - from.x, y: near.y - from.y };
}

function length(p: Point): number {
  return Math.hypot(p.x, p.y);
}
