// Step 3, the loop as a task: the game loop is an async function that runs until an AbortSignal
// says stop, and starting the room returns its promise, the task. The new question is what
// happens when a tick throws: open /?fail=3 and the third tick from now does. By default the
// failure is surfaced: logged, the players told, the room stopped, so the next player starts a
// fresh one. With `swallow` (`npm run step -- 3 --swallow`) nobody awaits the task: the trap.
// Chapter: docs/tutorial/01-game-loop.md

import websocket from '@fastify/websocket';
import Fastify from 'fastify';
import type { AddressInfo } from 'node:net';
import { setInterval as every } from 'node:timers/promises';
import type { WebSocket } from 'ws';
import type { Step2 } from '../02-first-player/server.ts';
import { type StepOptions, readKey } from '../01-basic-loop/server.ts';
import { servePage } from '../page/serve.ts';

export interface Step3Options extends StepOptions {
  /** Start the task and never look at it again (the trap). */
  readonly swallow?: boolean;
}

export async function start({ port, host = '127.0.0.1', tickMs = 1000, log = console.log, swallow = false }: Step3Options): Promise<Step2> {
  const app = Fastify();
  await app.register(websocket, { options: { maxPayload: 1024 } });
  servePage(app);

  const sockets = new Set<WebSocket>();
  const broadcast = (message: object) => {
    const text = JSON.stringify(message);
    for (const socket of sockets) socket.send(text);
  };

  let tick = 0;
  let failAt = 0; // the tick that throws (set by ?fail=N); 0: none
  let stop: AbortController | null = null;

  /** The game loop as a task: a tick every tickMs until `signal` aborts. Rejects if a tick throws. */
  async function gameLoop(signal: AbortSignal): Promise<void> {
    try {
      for await (const _ of every(tickMs, undefined, { signal })) {
        tick++;
        if (tick === failAt) throw new Error(`tick ${tick} failed on purpose`);
        broadcast({ type: 'tick', tick });
      }
    } catch (error) {
      if (!signal.aborted) throw error; // cancelled is how a loop ends; anything else is a failure
    }
  }

  function startLoop(): void {
    if (stop !== null) return;
    stop = new AbortController();
    tick = 0;
    const task = gameLoop(stop.signal);
    log('loop started');
    if (swallow) return; // nobody will ever look at `task`: see the chapter
    task.catch((error: unknown) => {
      log(`game loop failed: ${String(error)}; the room stops`);
      stopLoop();
      for (const socket of sockets) socket.close(1011, 'the game loop failed');
    });
  }
  function stopLoop(): void {
    if (stop === null) return;
    stop.abort(); // ends the for-await above, which clears the interval
    stop = null;
    log(`loop stopped after ${tick} ticks`);
  }

  // What many servers add so that a rejection nobody handles does not kill the process. Without
  // it, Node would exit at the failing tick, ending every game; with it, the room is a zombie.
  const onUnhandled = (reason: unknown) => log(`unhandled rejection: ${String(reason)}`);
  if (swallow) process.on('unhandledRejection', onUnhandled);

  app.get('/ws', { websocket: true }, (socket, request) => {
    sockets.add(socket);
    socket.on('close', () => {
      sockets.delete(socket);
      if (sockets.size === 0) stopLoop();
    });
    socket.on('message', (data) => {
      const key = readKey(data);
      if (key === null) socket.send(JSON.stringify({ type: 'error', message: 'send {"type":"key","key":"..."}' }));
      else broadcast({ type: 'key', key });
    });
    startLoop();
    const fail = Number((request.query as { fail?: string }).fail);
    if (Number.isInteger(fail) && fail > 0) failAt = tick + fail;
  });
  app.addHook('onClose', async () => {
    stopLoop();
    process.off('unhandledRejection', onUnhandled);
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
