// Step 1, a basic game loop: one loop, started with the server, sends every connected socket
// {"type":"tick","tick":n} once a second; a key a page sends is echoed to everyone. The loop
// never stops while the server runs, even with nobody connected: step 2 fixes that. It must not
// outlive the server: close() clears its timer.
// Chapter: docs/tutorial/01-game-loop.md

import websocket from '@fastify/websocket';
import Fastify from 'fastify';
import type { AddressInfo } from 'node:net';
import type { RawData, WebSocket } from 'ws';
import { servePage } from '../page/serve.ts';

export interface StepOptions {
  readonly port: number;
  readonly host?: string;
  /** Time between ticks, in ms. */
  readonly tickMs?: number;
  /** Where the step says what it does (players coming and going, the loop starting). */
  readonly log?: (line: string) => void;
}

export interface RunningStep {
  readonly port: number;
  close(): Promise<void>;
}

/** The key in a message `{"type":"key","key":"ArrowUp"}`, or null for anything else. */
export function readKey(data: RawData): string | null {
  try {
    const message: unknown = JSON.parse(data.toString());
    if (typeof message !== 'object' || message === null) return null;
    const { type, key } = message as { type?: unknown; key?: unknown };
    return type === 'key' && typeof key === 'string' && key.length <= 20 ? key : null;
  } catch {
    return null;
  }
}

export async function start({ port, host = '127.0.0.1', tickMs = 1000, log = console.log }: StepOptions): Promise<RunningStep> {
  const app = Fastify();
  // A key is a few bytes: refuse a big message before anyone parses it (parsing blocks the loop).
  await app.register(websocket, { options: { maxPayload: 1024 } });
  servePage(app);

  const sockets = new Set<WebSocket>();
  const broadcast = (message: object) => {
    const text = JSON.stringify(message);
    for (const socket of sockets) socket.send(text);
  };

  // The game loop: one timer for the whole server, from now until close().
  let tick = 0;
  const loop = setInterval(() => broadcast({ type: 'tick', tick: ++tick }), tickMs);
  app.addHook('onClose', async () => clearInterval(loop));

  app.get('/ws', { websocket: true }, (socket) => {
    // Listeners first, synchronously: a message that arrives now must find someone listening.
    sockets.add(socket);
    log(`a player joined (${sockets.size} connected)`);
    socket.on('close', () => {
      sockets.delete(socket);
      log(`a player left (${sockets.size} connected)`);
    });
    socket.on('message', (data) => {
      const key = readKey(data);
      if (key === null) socket.send(JSON.stringify({ type: 'error', message: 'send {"type":"key","key":"..."}' }));
      else broadcast({ type: 'key', key });
    });
  });

  await app.listen({ port, host });
  return { port: (app.server.address() as AddressInfo).port, close: () => app.close() };
}
