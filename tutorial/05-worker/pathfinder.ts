// A bot's path-finding: breadth-first search across a big maze, from one cell to another. It is
// heavy on purpose: on a large grid one search takes longer than a tick. server.ts calls
// findPath() directly (inline) or sends requests to this file running as a worker thread, which
// answers each with a postMessage. It must stay pure: no state but the mazes it has built.
// Chapter: docs/tutorial/01-game-loop.md

import { isMainThread, parentPort } from 'node:worker_threads';

export interface PathRequest {
  /** The maze is size x size cells; a cell is y * size + x. */
  readonly size: number;
  readonly from: number;
  readonly to: number;
}
export interface PathAnswer {
  /** Moves on the shortest path, or -1 if walls cut `to` off. */
  readonly steps: number;
  /** How long the search took, in ms. */
  readonly ms: number;
}

const mazes = new Map<number, Uint8Array>();

/** A size x size grid with a wall on about one cell in four, the same every time. */
function maze(size: number): Uint8Array {
  let walls = mazes.get(size);
  if (walls === undefined) {
    walls = new Uint8Array(size * size);
    let seed = 1;
    for (let i = 0; i < walls.length; i++) {
      seed = (seed * 1103515245 + 12345) >>> 0; // a tiny fixed generator: same maze each run
      walls[i] = seed >>> 30 === 0 ? 1 : 0;
    }
    mazes.set(size, walls);
  }
  return walls;
}

export function findPath({ size, from, to }: PathRequest): PathAnswer {
  const started = performance.now();
  const walls = maze(size);
  const distance = new Int32Array(size * size).fill(-1);
  const queue = new Int32Array(size * size);
  let head = 0;
  let tail = 0;
  distance[from] = 0;
  queue[tail++] = from;
  while (head < tail && distance[to] === -1) {
    const cell = queue[head++]!;
    const x = cell % size;
    for (const next of [x > 0 ? cell - 1 : -1, x < size - 1 ? cell + 1 : -1, cell - size, cell + size]) {
      if (next < 0 || next >= walls.length || walls[next] === 1 || distance[next] !== -1) continue;
      distance[next] = distance[cell]! + 1;
      queue[tail++] = next;
    }
  }
  return { steps: distance[to]!, ms: performance.now() - started };
}

// Loaded as a worker thread: answer each request in turn, on this thread, not the server's.
if (!isMainThread && parentPort !== null) {
  const port = parentPort;
  port.on('message', (request: PathRequest) => port.postMessage(findPath(request)));
}
