// Step 2, the loop starts with the first player and stops with the last: a server nobody is
// connected to runs no timer at all. The one new idea is the pair startLoop()/stopLoop(), each
// safe to call twice: a second startLoop() must not make a second timer, and stopLoop() is the
// only place the timer is cleared.
// Chapter: docs/tutorial/01-game-loop.md

import websocket from '@fastify/websocket';
import Fastify from 'fastify';
import type { AddressInfo } from 'node:net';
import type { WebSocket } from 'ws';
import { type RunningStep, type StepOptions, readKey } from '../01-basic-loop/server.ts';
import { servePage } from '../page/serve.ts';

export interface Step2 extends RunningStep {
  /** Whether the game loop's timer exists right now. */
  readonly running: boolean;
}

export async function start({ port, host = '127.0.0.1', tickMs = 1000, log = console.log }: StepOptions): Promise<Step2> {
  const app = Fastify();
  await app.register(websocket, { options: { maxPayload: 1024 } });
  servePage(app);

  const sockets = new Set<WebSocket>();
  const broadcast = (message: object) => {
    const text = JSON.stringify(message);
    for (const socket of sockets) socket.send(text);
  };

  let loop: NodeJS.Timeout | null = null;
  let tick = 0;
  function startLoop(): void {
    if (loop !== null) return; // already running: one timer, however many players join
    tick = 0;
    loop = setInterval(() => broadcast({ type: 'tick', tick: ++tick }), tickMs);
    log('loop started');
  }
  function stopLoop(): void {
    if (loop === null) return;
    clearInterval(loop);
    loop = null;
    log(`loop stopped after ${tick} ticks`);
  }

  app.get('/ws', { websocket: true }, (socket) => {
    sockets.add(socket);
    socket.on('close', () => {
      sockets.delete(socket);
      if (sockets.size === 0) stopLoop(); // the last player left
    });
    socket.on('message', (data) => {
      const key = readKey(data);
      if (key === null) socket.send(JSON.stringify({ type: 'error', message: 'send {"type":"key","key":"..."}' }));
      else broadcast({ type: 'key', key });
    });
    startLoop(); // the first player starts it; later ones find it running
  });
  app.addHook('onClose', async () => stopLoop());

  await app.listen({ port, host });
  return {
    port: (app.server.address() as AddressInfo).port,
    close: () => app.close(),
    get running() {
      return loop !== null;
    },
  };
}
