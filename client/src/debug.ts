// window.__snakepit: the client's view of the game for tests and the curious, only when the
// page is opened with ?debug=1. Read-only: each read returns a fresh frozen copy.
// Tutorial: docs/tutorial/04-client.md

import { FrameTimer } from './perf.ts';
import type { Scene } from './render/scene.ts';
import type { Session } from './state/session.ts';

declare global {
  interface Window {
    __snakepit?: unknown;
  }
}

export function installDebugHook(session: Session, scene: Scene, connected: () => boolean): void {
  const frames = new FrameTimer(scene.ticker);
  // For benchmarks: start a fresh frame-time window (e.g. after the room has filled up).
  Object.defineProperty(window, '__snakepitResetFrames', { value: () => frames.reset() });
  Object.defineProperty(window, '__snakepit', {
    configurable: false,
    enumerable: false,
    get() {
      const me = session.me;
      const players = session.ranking().map((p) => ({
        id: p.id,
        name: p.name,
        length: session.mirror.snakes.get(p.id)?.body.length ?? 0,
        score: p.score,
        alive: p.alive,
      }));
      return deepFreeze({
        tick: session.mirror.tick,
        room: session.welcome?.room ?? null,
        connected: connected(),
        renderer: scene.rendererName,
        me: me && { id: me.id, alive: me.alive, length: me.length, score: me.score, head: me.head, dir: me.dir },
        players,
        drawn: scene.counts,
        frames: frames.stats(),
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
