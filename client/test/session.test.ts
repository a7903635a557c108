// The session with its clocks (client/src/state/session.ts), driven by hand: a stand-in server
// runs the shared rules every 100 ms, messages take a fixed time each way (and some jitter), and
// the page draws a frame every 16.7 ms. No real time or socket is involved.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  Board,
  type ClientMessage,
  DEFAULT_RULES,
  DIR_NAMES,
  type DirName,
  type GameState,
  PROTOCOL_VERSION,
  Rng,
  type ServerMessage,
  createGame,
  dirFromName,
  snapshotMessage,
  step,
  tickMessage,
} from '@snakepit/shared';
import { Session, type SessionChange, type SessionOptions } from '../src/state/session.ts';

const INTERVAL = 100;
const FRAME = 1000 / 60;
const board = Board.of(DEFAULT_RULES);

/**
 * A room and one page, on a simulated link: the server steps every INTERVAL ms; messages take
 * `down` ms (plus `jitter(n)` for tick n) to reach the page and `up` ms to reach the server,
 * in order. The page draws a frame every FRAME ms.
 */
class Link {
  now = 0;
  state: GameState;
  readonly session: Session;
  readonly changes: SessionChange[] = [];
  /** The own head as drawn in each frame, and the facing. */
  readonly drawn: { x: number; y: number; facing: string | null; t: number }[] = [];
  #toPage: { at: number; msg: ServerMessage }[] = [];
  #toServer: { at: number; msg: ClientMessage }[] = [];
  #pending: { id: number; dir: ReturnType<typeof dirFromName>; seq: number }[] = [];
  #nextTickAt = INTERVAL;
  /** Rewrites a tick message before it is sent (to stage a death, say). */
  edit: ((msg: ServerMessage) => ServerMessage) | null = null;
  /** Respawn the snake when it dies, so something always moves. */
  respawn = false;
  /** The tick numbers that reached the page, in order. */
  readonly arrived: number[] = [];
  /** The tick of the snapshot the page starts from. */
  readonly startTick: number;

  constructor(
    options: SessionOptions,
    readonly up = 0,
    readonly down = 0,
    readonly jitter: (tick: number) => number = () => 0,
  ) {
    this.state = step(createGame(DEFAULT_RULES, 11), { joins: [{ id: 1, name: 'me' }] }).state;
    this.session = new Session(options);
    const tick = this.state.tick;
    this.startTick = tick;
    this.#send({
      type: 'welcome',
      tick,
      protocol: PROTOCOL_VERSION,
      room: 'r',
      board: board.spec(),
      stones: 0,
      tickRate: 10,
      maxPlayers: 10,
      token: 't',
    });
    this.#send(snapshotMessage(this.state, []));
    this.#send({ type: 'joined', tick, id: 1 });
  }

  /** The page sends `msg` now. */
  send(msg: ClientMessage | null): void {
    if (msg) this.#toServer.push({ at: this.now + this.up, msg });
  }

  #send(msg: ServerMessage, extra = 0): void {
    const at = Math.max(this.now + this.down + extra, this.#toPage.at(-1)?.at ?? 0);
    this.#toPage.push({ at, msg });
  }

  /** Runs the world and the page for `ms`, rounded to whole frames. */
  run(ms: number): void {
    for (let n = Math.round(ms / FRAME); n > 0; n--) {
      this.now += FRAME;
      // The server's events in the order they happened, not frame by frame.
      for (;;) {
        const turnAt = this.#toServer[0]?.at ?? Number.POSITIVE_INFINITY;
        if (Math.min(turnAt, this.#nextTickAt) > this.now) break;
        if (this.#nextTickAt <= turnAt) this.#tick();
        else this.#serve(this.#toServer.shift()!.msg);
      }
      while (this.#toPage.length > 0 && this.#toPage[0]!.at <= this.now) {
        const msg = this.#toPage.shift()!.msg;
        if (msg.type === 'tick') this.arrived.push(msg.tick);
        this.changes.push(...this.session.handle(msg, this.now));
      }
      this.changes.push(...this.session.frame(this.now));
      const own = this.session.own;
      if (own) this.drawn.push({ x: own.head.x, y: own.head.y, facing: DIR_NAMES[own.facing], t: this.now });
    }
  }

  #serve(msg: ClientMessage): void {
    if (msg.type === 'turn') this.#pending.push({ id: 1, dir: dirFromName(msg.dir), seq: msg.seq });
    if (msg.type === 'ping') this.#send({ type: 'pong', tick: this.state.tick, id: msg.id });
  }

  #tick(): void {
    const prev = this.state;
    const saved = this.now;
    this.now = this.#nextTickAt;
    const respawns = this.respawn && prev.players[0]!.snake === null ? [1] : [];
    const next = step(prev, { turns: this.#pending, respawns });
    this.#pending = [];
    this.state = next.state;
    const msg = tickMessage(prev, next.state, next.events, null);
    this.#send(this.edit ? this.edit(msg) : msg, this.jitter(msg.tick));
    this.#nextTickAt += INTERVAL;
    this.now = saved;
  }

  /** A turn toward the middle of the board, across the way the snake goes. */
  inward(): DirName {
    const snake = this.state.players[0]!.snake!;
    const [x, y] = [board.x(snake.body[0]!), board.y(snake.body[0]!)];
    const across = snake.dir % 2 === 0 ? (x < board.width / 2 ? 'right' : 'left') : y < board.height / 2 ? 'down' : 'up';
    return across;
  }
}

/** The largest distance the drawn head moved between two frames, in cells. */
function largestStep(drawn: readonly { x: number; y: number }[]): number {
  let most = 0;
  for (let i = 1; i < drawn.length; i++) most = Math.max(most, Math.hypot(drawn[i]!.x - drawn[i - 1]!.x, drawn[i]!.y - drawn[i - 1]!.y));
  return most;
}

describe('the jitter buffer', () => {
  test('a tick is not shown on arrival but when the render clock reaches it, one at a time', () => {
    const link = new Link({ buffered: true, predict: true }, 0, 30);
    const shown: number[] = [];
    for (let i = 0; i < 120; i++) {
      const before = link.changes.length;
      link.run(FRAME);
      shown.push(link.session.mirror.tick);
      if (link.now > 300) assert.ok(link.changes.length - before <= 2, 'at most a world and a death per frame');
    }
    // The first tick arrives at 130 ms; it is shown when the render clock, a buffer behind the
    // server's, comes to it.
    const firstShownAt = (shown.findIndex((t) => t > link.startTick) + 1) * FRAME;
    assert.ok(firstShownAt > 130 + FRAME, `tick shown at ${firstShownAt} ms`);
    for (let i = 1; i < shown.length; i++) assert.ok(shown[i]! - shown[i - 1]! <= 1, 'never two ticks in one frame');
    assert.ok(link.session.bufferMs >= 130 && link.session.bufferMs < 200, `buffer ${link.session.bufferMs} ms`);
  });

  test('with 30 ms of jitter the buffer leaves no stall frame; showing ticks on arrival stalls', () => {
    const stalls = (buffered: boolean) => {
      const rng = new Rng(7);
      const link = new Link({ buffered, predict: true }, 0, 20, () => rng.next() * 30);
      link.respawn = true;
      link.run(1000);
      const warm = link.session.stallFrames;
      link.run(8000);
      return link.session.stallFrames - warm;
    };
    assert.equal(stalls(true), 0);
    assert.ok(stalls(false) >= 10);
  });

  test('a gap asks for a resync once; the snapshot is shown at once and ticks follow it', () => {
    const s = new Session();
    let state = step(createGame(DEFAULT_RULES, 3), { joins: [{ id: 1, name: 'me' }] }).state;
    s.handle(
      {
        type: 'welcome',
        tick: 0,
        protocol: PROTOCOL_VERSION,
        room: 'r',
        board: board.spec(),
        stones: 0,
        tickRate: 10,
        maxPlayers: 10,
        token: 't',
      },
      0,
    );
    s.handle(snapshotMessage(state, []), 0);
    const ticks: ServerMessage[] = [];
    for (let i = 0; i < 8; i++) {
      const next = step(state);
      ticks.push(tickMessage(state, next.state, next.events, null));
      state = next.state;
    }
    assert.deepEqual(s.handle(ticks[0]!, 100), []);
    assert.deepEqual(s.handle(ticks[2]!, 300), [{ kind: 'resync' }]);
    assert.deepEqual(s.handle(ticks[3]!, 400), [], 'asked once');
    assert.deepEqual(s.handle(snapshotMessage(state, []), 450), [{ kind: 'world' }]);
    assert.equal(s.mirror.tick, state.tick, 'shown at once');
    const next = step(state);
    assert.deepEqual(s.handle(tickMessage(state, next.state, next.events, null), 500), [], 'queued behind the snapshot');
  });

  test('?buffer=0 shows each tick as it arrives', () => {
    const link = new Link({ buffered: false, predict: true }, 0, 30);
    link.run(140);
    assert.equal(link.session.mirror.tick, link.state.tick, 'tick 1 came at 130 ms and is shown');
    assert.equal(link.session.bufferMs, 0);
  });
});

describe('prediction in the session', () => {
  test('ping and pong measure the round trip', () => {
    const link = new Link({ buffered: true, predict: true }, 60, 90);
    link.send(link.session.ping(link.now));
    link.run(200);
    assert.ok(Math.abs(link.session.rtt! - 150) <= FRAME, `rtt ${link.session.rtt}`);
  });

  test('with 150 ms each way, a key turns the drawn head at once, and the server turns where the page drew it', () => {
    const link = new Link({ buffered: true, predict: true }, 150, 150);
    for (let i = 0; i < 6; i++) {
      link.send(link.session.ping(link.now));
      link.run(250);
    }
    // Keys pressed at 1500, 2200, ... reach the server at 1650, 2350, ...: half way between two
    // ticks, not on a boundary, where either tick could take them.
    const me = link.session.me!;
    // Drawn ahead of the server's word: the present is a round trip (3 ticks) ahead of the
    // server's clock, the tick shown a buffer (1.3 ticks) behind it, and the head slides into
    // the present's tick from the cell before.
    const serverHead = me.head!;
    const ahead = Math.hypot(me.drawnHead![0] - serverHead[0], me.drawnHead![1] - serverHead[1]);
    assert.ok(ahead > 2 && ahead < 4, `the own head is drawn ${ahead} cells ahead`);
    const from = link.drawn.length;
    for (let turns = 0; turns < 6; turns++) {
      const dir = link.inward();
      const msg = link.session.turn(dir);
      assert.equal(msg?.seq, turns + 1);
      link.send(msg);
      link.run(FRAME);
      assert.equal(link.session.me!.facing, dir, 'faces the new way in the next frame');
      assert.ok(link.session.me!.pending >= 1);
      link.run(700 - FRAME);
    }
    link.run(1000);
    assert.equal(link.session.me!.alive, true);
    assert.equal(link.session.me!.pending, 0, 'every turn acknowledged');
    assert.equal(link.session.me!.lastAck, 6);
    // Every turn reached the server in the tick the page predicted: no correction, so the head
    // never moved more in a frame than its own speed (at most 1.5 cells a tick) allows.
    const most = largestStep(link.drawn.slice(from));
    assert.ok(most <= (1.5 * FRAME) / INTERVAL + 0.02, `the head moved ${most} cells in one frame`);
  });

  test('a death the page did not predict: the drawn snake goes when the death is shown', () => {
    const link = new Link({ buffered: true, predict: true }, 40, 40);
    link.run(1000);
    assert.ok(link.session.own?.predicted);
    link.edit = (msg) =>
      msg.type === 'tick' ? { ...msg, moves: msg.moves?.filter((m) => m[0] !== 1), deaths: [{ id: 1, cause: 'self', by: null }] } : msg;
    const ticks = link.arrived.length;
    while (link.arrived.length === ticks) link.run(FRAME);
    link.edit = null;
    assert.ok(link.session.own, 'not shown on arrival: it waits in the buffer');
    link.run(400);
    assert.equal(link.session.own, null);
    assert.equal(link.session.me!.alive, false);
    const deaths = link.changes.filter((c) => c.kind === 'died');
    assert.deepEqual(
      deaths.map((d) => ({ ...d, tick: 0 })),
      [{ kind: 'died', cause: 'self', by: null, score: 0, tick: 0 }],
    );
    assert.ok(deaths[0]!.tick > 0 && deaths[0]!.tick <= link.session.mirror.tick, 'with the tick that reported it');
  });

  test('?predict=0 draws your snake with the others, behind', () => {
    const link = new Link({ buffered: true, predict: false }, 40, 40);
    link.run(1000);
    const own = link.session.own!;
    assert.equal(own.predicted, false);
    assert.equal(own.snake, link.session.mirror.snakes.get(1));
    const dir = link.inward();
    link.send(link.session.turn(dir));
    link.run(FRAME);
    const body = link.session.mirror.snakes.get(1)!.body;
    assert.equal(link.session.me!.facing, DIR_NAMES[board.dirBetween(body[1]!, body[0]!)!], 'faces the way the server last moved it');
    assert.notEqual(link.session.me!.facing, dir, 'the turn shows only when the server says so');
  });

  test('after a resume, turns are numbered above the ack the snapshot gives', () => {
    const s = new Session();
    let state = step(createGame(DEFAULT_RULES, 3), { joins: [{ id: 4, name: 'me' }] }).state;
    state = step(state, { turns: [{ id: 4, dir: 0, seq: 41 }] }).state;
    s.handle(
      {
        type: 'welcome',
        tick: 0,
        protocol: PROTOCOL_VERSION,
        room: 'r',
        board: board.spec(),
        stones: 0,
        tickRate: 10,
        maxPlayers: 10,
        token: 't',
      },
      0,
    );
    s.handle(snapshotMessage(state, []), 0);
    s.handle({ type: 'joined', tick: state.tick, id: 4 }, 0);
    s.frame(16);
    assert.equal(s.me!.lastAck, 41);
    assert.equal(s.turn('left')?.seq, 42);
  });
});
