// The client's pure parts, without a DOM: interpolation (on solid and wrapping boards),
// swipes, keys, backoff, invites, the session.

import assert from 'node:assert/strict';
import { describe, type mock, test } from 'node:test';
import {
  Board,
  DEFAULT_RULES,
  type MirrorSnake,
  PROTOCOL_VERSION,
  type ServerMessage,
  createGame,
  snapshotMessage,
  step,
  tickMessage,
} from '@snakepit/shared';
import { classifySwipe } from '../src/input/swipe.ts';
import { keyDirection } from '../src/input/keys.ts';
import {
  Connection,
  type ConnectionState,
  backoffMs,
  closeReason,
  refusalIsFinal,
  retryDelayMs,
  socketUrl,
} from '../src/net/connection.ts';
import { readInvite, writeInvite } from '../src/net/invite.ts';
import { type Point, bodyRuns, snakeEnds, tickAlpha } from '../src/state/interpolate.ts';
import { Session } from '../src/state/session.ts';

const W = 10;
const H = 8;
const solid = new Board({ width: W, height: H, walls: 'solid' });
const wrap = new Board({ width: W, height: H, walls: 'wrap' });
const cell = (x: number, y: number) => solid.cell(x, y);

describe('interpolation', () => {
  test('alpha runs 0..1 across one tick interval and stays clamped', () => {
    assert.equal(tickAlpha(1000, 1000, 100), 0);
    assert.equal(tickAlpha(1050, 1000, 100), 0.5);
    assert.equal(tickAlpha(1300, 1000, 100), 1);
    assert.equal(tickAlpha(900, 1000, 100), 0);
  });

  // A snake that just moved right from (2,5)-(1,5)-(0,5) to (3,5)-(2,5)-(1,5), dropping (0,5).
  const moved: MirrorSnake = { body: [cell(3, 5), cell(2, 5), cell(1, 5)], moved: true, trimmed: [cell(0, 5)] };

  test('at alpha 0 the ends are where the previous tick left them', () => {
    const e = snakeEnds(moved, solid, 0);
    assert.deepEqual(e.head, { x: 2.5, y: 5.5 });
    assert.deepEqual(e.tailEnd, { x: 0.5, y: 5.5 });
  });

  test('at alpha 0.5 the head and the tail end are half a cell along', () => {
    const e = snakeEnds(moved, solid, 0.5);
    assert.deepEqual(e.head, { x: 3, y: 5.5 });
    assert.deepEqual(e.tailEnd, { x: 1, y: 5.5 });
    assert.deepEqual(e.neck, { x: 2.5, y: 5.5 });
    assert.deepEqual(e.tail, { x: 1.5, y: 5.5 });
  });

  test('a growing snake keeps its tail still; a new snake does not slide its head', () => {
    const growing: MirrorSnake = { ...moved, trimmed: [] };
    assert.deepEqual(snakeEnds(growing, solid, 0.3).tailEnd, { x: 1.5, y: 5.5 });
    const fresh: MirrorSnake = { ...moved, moved: false, trimmed: [] };
    assert.deepEqual(snakeEnds(fresh, solid, 0.3).head, { x: 3.5, y: 5.5 });
  });

  test('the still body runs from the neck to the tail', () => {
    assert.deepEqual(bodyRuns(moved, solid), [
      [
        { x: 2.5, y: 5.5 },
        { x: 1.5, y: 5.5 },
      ],
    ]);
  });

  test('on a solid board nothing is drawn twice', () => {
    const e = snakeEnds(moved, solid, 0.5);
    assert.equal(e.headWrap, null);
    assert.equal(e.tailWrap, null);
  });
});

describe('interpolation across a wrapping edge', () => {
  /** Every drawn step is one cell long: never a line across the board. */
  function assertShortSteps(points: readonly Point[]): void {
    for (let i = 1; i < points.length; i++) {
      const d = Math.abs(points[i]!.x - points[i - 1]!.x) + Math.abs(points[i]!.y - points[i - 1]!.y);
      assert.ok(d <= 1 + 1e-9, `a step of ${d} cells from ${JSON.stringify(points[i - 1])} to ${JSON.stringify(points[i])}`);
    }
  }

  // Moving right out of the last column: head now at (0,3), neck at (9,3), dropped (7,3).
  const outRight: MirrorSnake = { body: [cell(0, 3), cell(9, 3), cell(8, 3)], moved: true, trimmed: [cell(7, 3)] };

  test('the head slides one cell out past the right edge, never back across the board', () => {
    for (const alpha of [0, 0.25, 0.5, 0.75, 1]) {
      const e = snakeEnds(outRight, wrap, alpha);
      assert.deepEqual(e.neck, { x: 9.5, y: 3.5 });
      assert.deepEqual(e.head, { x: 9.5 + alpha, y: 3.5 }, `alpha ${alpha}`);
      assertShortSteps([e.neck, e.head]);
    }
    assert.deepEqual(snakeEnds(outRight, wrap, 0).headTo, { x: 10.5, y: 3.5 });
  });

  test('and comes in at the left edge: the same step drawn again, one board-width to the left', () => {
    const e = snakeEnds(outRight, wrap, 0.75);
    assert.deepEqual(e.headWrap, { x: -W, y: 0 });
    const ghostHead = { x: e.head.x + e.headWrap!.x, y: e.head.y + e.headWrap!.y };
    const ghostNeck = { x: e.neck.x + e.headWrap!.x, y: e.neck.y + e.headWrap!.y };
    assert.deepEqual(ghostHead, { x: 0.25, y: 3.5 });
    assert.deepEqual(ghostNeck, { x: -0.5, y: 3.5 });
    assert.equal(e.tailWrap, null, 'the tail stayed on its side');
  });

  test('moving left, up and down across the edges', () => {
    const left: MirrorSnake = { body: [cell(9, 2), cell(0, 2)], moved: true, trimmed: [] };
    assert.deepEqual(snakeEnds(left, wrap, 0.5).head, { x: 0, y: 2.5 });
    assert.deepEqual(snakeEnds(left, wrap, 0.5).headWrap, { x: W, y: 0 });
    const up: MirrorSnake = { body: [cell(4, H - 1), cell(4, 0)], moved: true, trimmed: [] };
    assert.deepEqual(snakeEnds(up, wrap, 0.5).head, { x: 4.5, y: 0 });
    assert.deepEqual(snakeEnds(up, wrap, 0.5).headWrap, { x: 0, y: H });
    const down: MirrorSnake = { body: [cell(4, 0), cell(4, H - 1)], moved: true, trimmed: [] };
    assert.deepEqual(snakeEnds(down, wrap, 0.5).head, { x: 4.5, y: H });
    assert.deepEqual(snakeEnds(down, wrap, 0.5).headWrap, { x: 0, y: -H });
  });

  test('the tail follows its last step across the edge the same way', () => {
    // The tail moved from (9,3) to (0,3).
    const tailOver: MirrorSnake = { body: [cell(2, 3), cell(1, 3), cell(0, 3)], moved: true, trimmed: [cell(9, 3)] };
    const e = snakeEnds(tailOver, wrap, 0.5);
    assert.deepEqual(e.tail, { x: 0.5, y: 3.5 });
    assert.deepEqual(e.tailEnd, { x: 0, y: 3.5 });
    assert.deepEqual(e.tailWrap, { x: W, y: 0 });
    assert.equal(e.headWrap, null);
    assertShortSteps([e.tailEnd, e.tail]);
  });

  test('a body lying across the edge is two lines, each running one cell past its edge', () => {
    const across: MirrorSnake = { body: [cell(2, 3), cell(1, 3), cell(0, 3), cell(9, 3), cell(8, 3)], moved: true, trimmed: [] };
    const runs = bodyRuns(across, wrap);
    assert.deepEqual(runs, [
      [
        { x: 1.5, y: 3.5 },
        { x: 0.5, y: 3.5 },
        { x: -0.5, y: 3.5 },
      ],
      [
        { x: 10.5, y: 3.5 },
        { x: 9.5, y: 3.5 },
        { x: 8.5, y: 3.5 },
      ],
    ]);
    for (const run of runs) assertShortSteps(run);
  });

  test('the same cells on a solid board are not taken for a crossing', () => {
    // Not a snake the rules could make on a solid board, but the drawing must not invent a wrap.
    const e = snakeEnds(outRight, solid, 0.5);
    assert.equal(e.headWrap, null);
    assert.deepEqual(e.headTo, { x: 0.5, y: 3.5 });
  });

  test('a long snake crossing the same edge several times is one line per crossing plus one', () => {
    const narrow = new Board({ width: 4, height: 4, walls: 'wrap' });
    // Neck to tail along row 1, leftwards: 3 2 1 0 3 2 1 0 3 (crossing x=0 -> x=3 twice).
    const xs = [0, 3, 2, 1, 0, 3, 2, 1, 0, 3];
    const snake: MirrorSnake = { body: xs.map((x) => narrow.cell(x, 1)), moved: false, trimmed: [] };
    const runs = bodyRuns(snake, narrow);
    assert.equal(runs.length, 3);
    for (const run of runs) assertShortSteps(run);
  });
});

describe('input', () => {
  const swipes: [number, number, string | null][] = [
    [40, 3, 'right'],
    [-40, 5, 'left'],
    [2, -30, 'up'],
    [0, 50, 'down'],
    [10, 10, null], // too short
    [30, 29, null], // too diagonal to call
  ];
  for (const [dx, dy, want] of swipes) {
    test(`a swipe of (${dx}, ${dy}) is ${want ?? 'not a turn'}`, () => assert.equal(classifySwipe(dx, dy), want));
  }

  test('arrows and WASD steer; other keys do not', () => {
    assert.equal(keyDirection('ArrowUp'), 'up');
    assert.equal(keyDirection('KeyA'), 'left');
    assert.equal(keyDirection('KeyD'), 'right');
    assert.equal(keyDirection('KeyQ'), null);
  });
});

describe('connection', () => {
  test('backoff doubles from 0.5 s up to 8 s', () => {
    assert.deepEqual([0, 1, 2, 3, 4, 5, 9].map(backoffMs), [500, 1000, 2000, 4000, 8000, 8000, 8000]);
  });
  test('for the first 10 s after a drop (a server restarting) attempts come at most half a second apart', () => {
    assert.deepEqual(
      [0, 1, 2, 5].map((a) => retryDelayMs(a, 9_999)),
      [500, 500, 500, 500],
    );
    assert.deepEqual(
      [0, 3, 5].map((a) => retryDelayMs(a, 10_000)),
      [500, 4000, 8000],
    );
  });
  test("close codes read as reasons a player understands; the server's own reason wins", () => {
    assert.equal(closeReason(1001, 'server shutting down'), 'the server is restarting');
    assert.equal(closeReason(1012, 'restarting'), 'the server is restarting');
    assert.equal(closeReason(1013, 'server is full'), 'server is full');
    assert.equal(closeReason(1013, ''), 'the server is busy');
  });
  test('a refusal for bad input is final; a busy server is worth another try', () => {
    assert.deepEqual([400, 403, 429, 503].map(refusalIsFinal), [true, true, false, false]);
  });
  test("the socket URL carries the room, the wire format and the new room's settings", () => {
    const page = { protocol: 'https:', host: 'snake.example:8443' };
    assert.equal(socketUrl(page, 'my room'), 'wss://snake.example:8443/ws?room=my%20room');
    assert.equal(
      socketUrl({ protocol: 'http:', host: 'h' }, 'x', 'json', { size: 'l', speed: 15, walls: 'wrap', stones: 'some' }),
      'ws://h/ws?room=x&wire=json&size=l&speed=15&walls=wrap&stones=some',
    );
    assert.equal(socketUrl(page, 'x', null, {}, 'a-b_c'), 'wss://snake.example:8443/ws?room=x&resume=a-b_c');
    assert.equal(socketUrl(page, 'x', 'carrier-pigeon', {}), 'wss://snake.example:8443/ws?room=x');
  });
});

describe('the connection, on a stand-in socket', () => {
  /** Just enough of a browser WebSocket for Connection: the test fires its events. */
  class FakeSocket {
    static readonly OPEN = 1;
    static made: FakeSocket[] = [];
    readyState = 0;
    binaryType = 'blob';
    onopen: (() => void) | null = null;
    onmessage: ((e: { data: string | ArrayBuffer }) => void) | null = null;
    onclose: ((e: { code: number; reason: string }) => void) | null = null;
    constructor(readonly url: string) {
      FakeSocket.made.push(this);
    }
    send(): void {}
    close(): void {
      this.readyState = 3;
    }
  }

  function connect(t: { after(fn: () => void): void; mock: { method: typeof mock.method } }, status: number, message: string) {
    FakeSocket.made = [];
    const g = globalThis as { WebSocket?: unknown };
    g.WebSocket = FakeSocket;
    t.after(() => delete g.WebSocket);
    t.mock.method(globalThis, 'fetch', async () => new Response(JSON.stringify({ error: 'x', message }), { status }));
    const seen = { states: [] as ConnectionState[], bad: [] as boolean[], messages: [] as ServerMessage[] };
    const settled = new Promise<void>((resolve) => {
      const c = new Connection('ws://h/ws?room=x&size=xl', {
        message: (m) => seen.messages.push(m),
        state: (st) => {
          seen.states.push(st);
          if (st.kind === 'refused' || st.kind === 'reconnecting') resolve();
        },
        badFrame: (_err, first) => seen.bad.push(first),
      });
      t.after(() => c.close());
    });
    return { seen, settled };
  }

  test('refused before the upgrade with 400 bad-settings: the reason is shown and no retry is made', async (t) => {
    const { seen, settled } = connect(t, 400, 'size must be one of s, m, l, not "xl"');
    FakeSocket.made[0]!.onclose!({ code: 1006, reason: '' });
    await settled;
    assert.deepEqual(seen.states.at(-1), { kind: 'refused', reason: 'size must be one of s, m, l, not "xl"' });
    assert.equal(FakeSocket.made.length, 1);
  });

  test('refused because the server is busy: it will try again', async (t) => {
    const { seen, settled } = connect(t, 503, 'no room for another room');
    FakeSocket.made[0]!.onclose!({ code: 1006, reason: '' });
    await settled;
    assert.equal(seen.states.at(-1)?.kind, 'reconnecting');
  });

  test("a cluster's instance that does not run the room (4409): the page says so and tries again", async (t) => {
    const { seen, settled } = connect(t, 404, '');
    const socket = FakeSocket.made[0]!;
    socket.readyState = 1;
    socket.onopen!();
    socket.onclose!({ code: 4409, reason: 'room is on another instance, retry' });
    await settled;
    const last = seen.states.at(-1);
    assert.equal(last?.kind, 'reconnecting');
    assert.equal(last?.kind === 'reconnecting' && last.reason, 'the room is on another server; trying again');
  });

  test('a frame that will not decode is reported, and whether it was the first', (t) => {
    const { seen } = connect(t, 404, '');
    const socket = FakeSocket.made[0]!;
    socket.readyState = 1;
    socket.onopen!();
    socket.onmessage!({ data: new Uint8Array([0xfe, 0, 0]).buffer });
    socket.onmessage!({ data: '{"type":"joined","tick":1,"id":3}' });
    socket.onmessage!({ data: 'not json' });
    assert.deepEqual(seen.bad, [true, false]);
    assert.deepEqual(seen.messages, [{ type: 'joined', tick: 1, id: 3 }]);
  });
});

describe('invites', () => {
  test('an invite names a room and the settings a new room gets', () => {
    const invite = readInvite(new URLSearchParams('room=den&size=s&speed=15&walls=wrap&debug=1'));
    assert.deepEqual(invite, { room: 'den', choice: { size: 's', speed: 15, walls: 'wrap' }, problem: null });
  });

  test('a bad setting is left out and reported; the good ones stay', () => {
    const invite = readInvite(new URLSearchParams('room=den&size=xl&walls=wrap'));
    assert.deepEqual(invite.choice, { walls: 'wrap' });
    assert.match(invite.problem!, /size must be one of s, m, l/);
    assert.match(readInvite(new URLSearchParams('speed=5&speed=15')).problem!, /speed must be one of .* a repeated value/);
  });

  test('a bad or missing room is the default room', () => {
    assert.equal(readInvite(new URLSearchParams('room=NOT%20OK')).room, 'lobby');
    assert.equal(readInvite(new URLSearchParams('')).room, 'lobby');
  });

  test('writing an invite replaces the old choices and keeps the other parameters', () => {
    const params = new URLSearchParams('room=old&size=l&stones=some&debug=1');
    writeInvite(params, 'den', { speed: 5, walls: 'wrap' });
    assert.equal(params.toString(), 'room=den&debug=1&speed=5&walls=wrap');
    assert.deepEqual(readInvite(params).choice, { speed: 5, walls: 'wrap' });
  });
});

describe('session', () => {
  const welcome = (protocol: number): ServerMessage => ({
    type: 'welcome',
    tick: 0,
    protocol,
    room: 'r',
    board: { width: 60, height: 40, walls: 'wrap' },
    stones: 30,
    tickRate: 15,
    maxPlayers: 10,
    token: 'tok',
  });

  /** Ticks are shown as they arrive here (the jitter buffer has its tests in session.test.ts). */
  function started() {
    let state = createGame(DEFAULT_RULES, 9);
    state = step(state, {
      joins: [
        { id: 1, name: 'me' },
        { id: 2, name: 'you' },
      ],
    }).state;
    const s = new Session({ buffered: false, predict: true });
    assert.deepEqual(s.handle(welcome(PROTOCOL_VERSION), 0), [{ kind: 'welcome' }]);
    s.handle(snapshotMessage(state, []), 0);
    s.handle({ type: 'joined', tick: state.tick, id: 1 }, 0);
    return { s, state };
  }

  test('me: id, alive, length, head and facing from the mirror', () => {
    const { s, state } = started();
    const me = s.me!;
    const board = new Board(DEFAULT_RULES);
    const body = state.players[0]!.snake!.body;
    assert.equal(me.id, 1);
    assert.equal(me.alive, true);
    assert.equal(me.length, 3);
    assert.deepEqual(me.head, [board.x(body[0]!), board.y(body[0]!)]);
    assert.equal(me.dir, ['up', 'right', 'down', 'left'][board.dirBetween(body[1]!, body[0]!)!]);
    assert.equal(s.intervalMs, 1000 / 15);
  });

  test("the welcome tells the room's settings", () => {
    const { s } = started();
    assert.deepEqual(s.settings, { width: 60, height: 40, walls: 'wrap', tickRate: 15, stones: 30 });
  });

  test('facing is read across a wrapping edge, not guessed from the difference', () => {
    const wrapRules = { ...DEFAULT_RULES, walls: 'wrap' as const };
    let state = createGame(wrapRules, 3);
    state = step(state, { joins: [{ id: 1, name: 'me' }] }).state;
    const s = new Session();
    s.handle(welcome(PROTOCOL_VERSION), 0);
    s.handle({ type: 'joined', tick: state.tick, id: 1 }, 0);
    // Put my snake across the left edge, heading left: head at x=59, neck at x=0.
    const board = new Board(wrapRules);
    const snap = snapshotMessage(state, []);
    const body = [board.cell(59, 5), board.cell(0, 5), board.cell(1, 5)];
    s.handle({ ...snap, snakes: snap.snakes.map((sn) => (sn.id === 1 ? { ...sn, body } : sn)) }, 0);
    assert.deepEqual(s.me!.head, [59, 5]);
    assert.equal(s.me!.dir, 'left');
  });

  test('a welcome from another protocol version is refused, and nothing after it is read', () => {
    const s = new Session();
    assert.deepEqual(s.handle(welcome(PROTOCOL_VERSION + 1), 0), [{ kind: 'outdated', server: PROTOCOL_VERSION + 1 }]);
    assert.equal(s.outdated, true);
    assert.equal(s.welcome, null);
    assert.deepEqual(s.handle({ type: 'joined', tick: 1, id: 1 }, 0), []);
    s.reset();
    assert.equal(s.outdated, false, 'a new connection asks again');
  });

  test('a message of a type the session does not know is an error, not a silent no-op', () => {
    const s = new Session();
    assert.throws(() => s.handle({ type: 'ack', tick: 1 } as unknown as ServerMessage, 0), /unknown message type "ack"/);
    assert.throws(() => s.handle({ type: 'toString', tick: 1 } as unknown as ServerMessage, 0), /unknown message type/);
  });

  test('my death is reported with its cause; a tick gap asks for a resync', () => {
    const { s, state } = started();
    const next = step(state, { leaves: [] });
    const deathTick = { ...tickMessage(state, next.state, next.events, null), deaths: [{ id: 1, cause: 'wall' as const, by: null }] };
    const changes = s.handle(deathTick, 100);
    assert.deepEqual(changes.at(-1), { kind: 'died', cause: 'wall', by: null, score: 0, tick: next.state.tick });
    assert.deepEqual(s.handle({ type: 'tick', tick: next.state.tick + 5 }, 200), [{ kind: 'resync' }]);
    assert.deepEqual(s.handle({ type: 'tick', tick: next.state.tick + 6 }, 300), [], 'asked once, until the snapshot comes');
  });
});
