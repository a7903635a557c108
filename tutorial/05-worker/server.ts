// Step 5, heavy work off the loop: a bot asks for a path across a big maze every time it has no
// question pending. A search takes longer than a tick, so where it runs decides whether the game
// keeps time. Inline (`npm run step -- 5 --inline`) it runs inside the tick and every tick is late
// by about a search; in a worker thread (the default) the tick only posts the question and carries
// on, and the answer comes back as a message some ticks later. Each tick reports how late it was.
// Chapter: docs/tutorial/01-game-loop.md

import websocket from '@fastify/websocket';
import Fastify from 'fastify';
import type { AddressInfo } from 'node:net';
import { setInterval as every } from 'node:timers/promises';
import { Worker } from 'node:worker_threads';
import type { WebSocket } from 'ws';
import { type StepOptions, readKey } from '../01-basic-loop/server.ts';
import type { Step2 } from '../02-first-player/server.ts';
import { servePage } from '../page/serve.ts';
import { type PathAnswer, findPath } from './pathfinder.ts';

export interface Step5Options extends StepOptions {
  /** Search on the game loop's own thread, inside the tick. */
  readonly inline?: boolean;
  /** The maze is size x size cells: bigger is slower. */
  readonly size?: number;
}

/**
 * pathfinder.ts on a thread of its own. Under tsx, as the tutorial runs, a worker on Node 20 does
 * not get this thread's TypeScript loader, so its first line registers tsx; built to JavaScript,
 * `new Worker(url)` alone would do.
 */
function startWorker(): Worker {
  const tsx = JSON.stringify(import.meta.resolve('tsx/esm/api'));
  const file = JSON.stringify(new URL('./pathfinder.ts', import.meta.url).href);
  return new Worker(`import(${tsx}).then((api) => api.register()).then(() => import(${file}))`, { eval: true });
}

export async function start(options: Step5Options): Promise<Step2> {
  const { port, host = '127.0.0.1', tickMs = 100, log = console.log, inline = false, size = 1200 } = options;
  const app = Fastify();
  await app.register(websocket, { options: { maxPayload: 1024 } });
  servePage(app);

  const sockets = new Set<WebSocket>();
  const broadcast = (message: object) => {
    const text = JSON.stringify(message);
    for (const socket of sockets) socket.send(text);
  };

  let tick = 0;
  let asked: number | null = null; // the tick at which the bot asked the question it waits on
  const worker = inline ? null : startWorker();
  worker?.on('message', answered);
  worker?.on('error', (error) => log(`the path-finding worker failed: ${String(error)}`));

  function answered(answer: PathAnswer): void {
    broadcast({ type: 'path', where: inline ? 'inline' : 'worker', asked, answered: tick, steps: answer.steps, ms: Math.round(answer.ms) });
    asked = null;
  }

  /** The bot's turn: ask for a path unless it is still waiting for one. */
  function think(): void {
    if (asked !== null) return;
    asked = tick;
    const from = (tick * 7919) % (size * size);
    const request = { size, from, to: size * size - 1 - from };
    if (worker === null) {
      answered(findPath(request)); // the whole search, here, inside the tick
    } else {
      worker.postMessage(request); // the search runs on the worker's thread; the tick goes on
    }
  }

  async function gameLoop(signal: AbortSignal): Promise<void> {
    let previous = performance.now();
    let worst = 0;
    try {
      for await (const _ of every(tickMs, undefined, { signal })) {
        const now = performance.now();
        const lateMs = Math.max(0, Math.round(now - previous - tickMs));
        previous = now;
        worst = Math.max(worst, lateMs);
        broadcast({ type: 'tick', tick: ++tick, lateMs });
        think();
        if (tick % 20 > 0) continue;
        log(`ticks ${tick - 19}-${tick}: the worst was ${worst} ms late (path-finding ${inline ? 'inline' : 'in the worker'})`);
        worst = 0;
      }
    } catch (error) {
      if (!signal.aborted) throw error;
    }
  }

  let stop: AbortController | null = null;
  function stopLoop(): void {
    stop?.abort();
    stop = null;
  }

  app.get('/ws', { websocket: true }, (socket) => {
    sockets.add(socket);
    socket.on('close', () => {
      sockets.delete(socket);
      if (sockets.size === 0) stopLoop();
    });
    socket.on('message', (data) => {
      const key = readKey(data);
      if (key !== null) broadcast({ type: 'key', key });
    });
    if (stop !== null) return;
    stop = new AbortController();
    gameLoop(stop.signal).catch((error: unknown) => {
      log(`game loop failed: ${String(error)}; the room stops`);
      stopLoop();
      for (const player of sockets) player.close(1011, 'the game loop failed');
    });
  });
  app.addHook('onClose', async () => {
    stopLoop();
    await worker?.terminate();
  });

  await app.listen({ port, host });
  return {
    port: (app.server.address() as AddressInfo).port,
    close: () => app.close(),
    get running() {
      return stop !== null;
    },
  };
}
