// Shared steps for the browser tests: join a room from the join screen, read the debug hook.

import { createServer } from 'node:net';
import { type Page, expect } from '@playwright/test';

/** A TCP port free on 127.0.0.1 right now (tests never use fixed ports). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      srv.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export interface DebugView {
  tick: number;
  room: string | null;
  connected: boolean;
  /** The server spoke another protocol version; the page offers a reload. */
  outdated: boolean;
  board: { width: number; height: number; walls: 'solid' | 'wrap' } | null;
  tickRate: number | null;
  renderer: string;
  /** How the board is shown: cell size in CSS px; following your snake (board too big to fit). */
  view: { cellPx: number; follow: boolean; x: number; y: number };
  /** The names drawn by the heads; yours starts with a star. */
  names: string[];
  /** Effects running now: "+N" pops, pieces of fallen-apart snakes, respawn glows. */
  effects: { pops: number; pieces: number; glows: number };
  /** Sound: 'off' until the first gesture (no AudioContext), then the context's state. */
  audio: { state: string; muted: boolean } | null;
  me: {
    id: number;
    alive: boolean;
    length: number;
    score: number;
    head: [number, number] | null;
    dir: string | null;
    /** [x, y] of every cell, head first. */
    body: [number, number][];
    /** The head as drawn this frame (ahead of `head` when predicted), fractional while sliding. */
    drawnHead: [number, number] | null;
    /** The way the drawn head faces. */
    facing: string | null;
    lastAck: number;
    /** Turns sent and not acknowledged yet. */
    pending: number;
  } | null;
  players: { id: number; name: string; length: number; score: number; alive: boolean; away: boolean }[];
  /** Round trip in ms, from ping and pong; null before the first pong. */
  rtt: number | null;
  /** The jitter buffer, in ms (0 with ?buffer=0). */
  buffer: number;
  predict: boolean;
  stallFrames: number;
  drawn: { snakes: number; food: number };
  /** Frames the client could not decode, and the first one's error. */
  badFrames: number;
  firstBadFrame: string | null;
}

/** The keys that steer, and which way is straight back (a turn the rules refuse). */
export const KEYS = { up: 'ArrowUp', down: 'ArrowDown', left: 'ArrowLeft', right: 'ArrowRight' } as const;
export const BACK: Record<string, string> = { up: 'down', down: 'up', left: 'right', right: 'left' };

/** The direction toward the nearest edge of a width x height board that is not straight behind. */
export function nearestEdge(head: [number, number], dir: string, width: number, height: number): keyof typeof KEYS {
  const [x, y] = head;
  const options = [
    { dir: 'left', d: x },
    { dir: 'right', d: width - 1 - x },
    { dir: 'up', d: y },
    { dir: 'down', d: height - 1 - y },
  ] as const;
  return [...options].filter((o) => o.dir !== BACK[dir]).sort((a, b) => a.d - b.d)[0]!.dir;
}

/** A room id no other test uses, so tests can run side by side on one server. */
export function uniqueRoom(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.floor(Math.random() * 1e6).toString(36)}`.slice(0, 32);
}

/** Opens the page (on `origin`, or the test server), joins `room` as `name`, waits until its snake is alive. */
export async function joinGame(page: Page, name: string, room: string, extraQuery = '', origin = ''): Promise<void> {
  await page.goto(`${origin}/?room=${room}&debug=1${extraQuery}`);
  await expect(page.getByTestId('room-input')).toHaveValue(room);
  await page.getByTestId('name-input').fill(name);
  await page.getByTestId('play-button').click();
  await expect(page.getByTestId('connection-status')).toHaveText('connected');
  // A snake can be born heading for a wall and die before the page of a busy machine is next
  // polled; then it plays again, as a player would, up to three lives.
  for (let life = 1; ; life++) {
    const seen = await page.waitForFunction(() => {
      if ((window as { __snakepit?: DebugView }).__snakepit?.me?.alive === true) return 'alive';
      return document.getElementById('game-over')?.hidden === false ? 'over' : false;
    });
    if ((await seen.jsonValue()) === 'alive') return;
    if (life === 3) throw new Error(`"${name}" died ${life} times before the test saw the snake alive`);
    await page.locator('#play-again').click();
    await expect(page.getByTestId('game-over')).toBeHidden();
  }
}

export function debugView(page: Page): Promise<DebugView> {
  return page.evaluate(() => (window as unknown as { __snakepit: DebugView }).__snakepit);
}

/**
 * The view with my snake alive. A loaded test machine can be slow enough for an untouched
 * snake to reach a wall between two steps of a test: then play again and look once more.
 */
export async function aliveView(
  page: Page,
): Promise<DebugView & { me: NonNullable<DebugView['me']> & { head: [number, number]; dir: string } }> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const view = await debugView(page);
    if (view.me?.alive && view.me.head && view.me.dir) return view as never;
    await page.keyboard.press('Space');
    await page.waitForFunction(() => (window as { __snakepit?: DebugView }).__snakepit?.me?.alive === true);
  }
  throw new Error('my snake would not stay alive long enough to be looked at');
}
