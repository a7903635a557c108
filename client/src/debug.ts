// window.__snakepit: the client's view of the game for tests and the curious, only when the
// page is opened with ?debug=1. Read-only: each read returns a fresh frozen copy. It also
// counts the frames the client could not decode, which are otherwise only skipped, and offers
// two switches for tests: __snakepitResetFrames() starts a fresh frame-time window, and
// __snakepitDrop(reconnect) closes the socket the way a lost connection ends.
// Tutorial: docs/tutorial/04-drawing.md

import type { Sounds } from './audio/sounds.ts';
import type { Connection } from './net/connection.ts';
import { FrameTimer } from './perf.ts';
import type { Scene } from './render/scene.ts';
import type { Session } from './state/session.ts';

declare global {
  interface Window {
    __snakepit?: unknown;
  }
}

/** Frames the codec refused since the page loaded, and the first refusal's message. */
export interface BadFrames {
  count: number;
  first: string | null;
}

export function installDebugHook(
  session: Session,
  scene: Scene,
  connection: () => Connection | null,
  badFrames: Readonly<BadFrames>,
  sounds: Sounds | null = null,
): void {
  const frames = new FrameTimer(scene.ticker);
  // For benchmarks: start a fresh frame-time window (e.g. after the room has filled up).
  Object.defineProperty(window, '__snakepitResetFrames', { value: () => frames.reset() });
  // For tests: a lost connection, without a `leave` (reconnect false: wait for __snakepitReconnect()).
  Object.defineProperty(window, '__snakepitDrop', { value: (reconnect = true) => connection()?.drop(reconnect) });
  Object.defineProperty(window, '__snakepitReconnect', { value: () => connection()?.reconnect() });
  Object.defineProperty(window, '__snakepit', {
    configurable: false,
    enumerable: false,
    get() {
      const me = session.me;
      const board = session.mirror.board;
      const myBody = session.myId === null ? undefined : session.mirror.snakes.get(session.myId)?.body;
      const players = session.ranking().map((p) => ({
        id: p.id,
        name: p.name,
        length: session.mirror.snakes.get(p.id)?.body.length ?? 0,
        score: p.score,
        alive: p.alive,
        away: p.away,
      }));
      return deepFreeze({
        tick: session.mirror.tick,
        room: session.welcome?.room ?? null,
        connected: connection()?.open ?? false,
        outdated: session.outdated,
        board: session.welcome?.board ?? null,
        tickRate: session.welcome?.tickRate ?? null,
        renderer: scene.rendererName,
        view: scene.view,
        /** The names drawn by the heads (yours starred) and the effects running now. */
        ...scene.labels,
        /** 'off' until the first gesture (no AudioContext), then its state. */
        audio: sounds ? { state: sounds.state, muted: sounds.muted } : null,
        me: me && {
          id: me.id,
          alive: me.alive,
          length: me.length,
          score: me.score,
          head: me.head,
          dir: me.dir,
          body: (myBody ?? []).map((cell) => [board.x(cell), board.y(cell)]),
          drawnHead: me.drawnHead,
          facing: me.facing,
          lastAck: me.lastAck,
          pending: me.pending,
        },
        players,
        rtt: session.rtt === null ? null : Math.round(session.rtt * 10) / 10,
        buffer: Math.round(session.bufferMs * 10) / 10,
        predict: session.options.predict,
        stallFrames: session.stallFrames,
        drawn: scene.counts,
        frames: frames.stats(),
        badFrames: badFrames.count,
        firstBadFrame: badFrames.first,
      });
    },
  });
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
