// Step 4, waiting for several events at once: each player gets its own async loop that waits
// for whichever comes first, its next message or the room's next tick, and handles it. The room's
// loop (the task of step 3) no longer sends anything: it announces the tick on an EventEmitter.
// A round waits with Promise.race on two fresh promises and ends by removing the loser's listener,
// so a quiet player piles nothing up; messages are queued as they arrive, so two in one packet are
// both handled. When the socket closes, its loop ends and leaves no listener behind.
// Chapter: docs/tutorial/01-game-loop.md

import websocket from '@fastify/websocket';
import Fastify from 'fastify';
import { EventEmitter, once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { setInterval as every } from 'node:timers/promises';
import type { RawData, WebSocket } from 'ws';
import { type RunningStep, type StepOptions, readKey } from '../01-basic-loop/server.ts';
import { servePage } from '../page/serve.ts';

export interface Step4 extends RunningStep {
  readonly running: boolean;
  /** Listeners on the room's tick emitter: one per player waiting for a tick, else 0. */
  readonly tickListeners: number;
}

export async function start({ port, host = '127.0.0.1', tickMs = 1000, log = console.log }: StepOptions): Promise<Step4> {
  const app = Fastify();
  await app.register(websocket, { options: { maxPayload: 1024 } });
  servePage(app);

  const players = new Set<WebSocket>();
  const ticks = new EventEmitter(); // emits 'tick' (n) once per tick
  ticks.setMaxListeners(0); // one listener per waiting player is expected, not a leak
  let stop: AbortController | null = null;

  async function gameLoop(signal: AbortSignal): Promise<void> {
    let tick = 0;
    try {
      for await (const _ of every(tickMs, undefined, { signal })) ticks.emit('tick', ++tick);
    } catch (error) {
      if (!signal.aborted) throw error;
    }
  }

  function stopLoop(): void {
    if (stop === null) return;
    stop.abort();
    stop = null;
    log('loop stopped');
  }

  /** One player's loop: the next message or the next tick, whichever comes first, until it leaves. */
  async function play(socket: WebSocket, left: AbortSignal): Promise<void> {
    const inbox: RawData[] = [];
    socket.on('message', (data) => inbox.push(data)); // every message, even two in one packet
    while (!left.aborted) {
      const round = new AbortController();
      const onLeft = () => round.abort();
      left.addEventListener('abort', onLeft);
      try {
        const first = await Promise.race([
          inbox.length > 0 ? 'message' : once(socket, 'message', { signal: round.signal }).then(() => 'message'),
          once(ticks, 'tick', { signal: round.signal }).then(([tick]) => tick as number),
        ]);
        if (first === 'message') {
          for (const data of inbox.splice(0)) {
            const key = readKey(data);
            const reply = key === null ? { type: 'error', message: 'send {"type":"key","key":"..."}' } : { type: 'key', key };
            for (const player of key === null ? [socket] : players) player.send(JSON.stringify(reply));
          }
        } else {
          socket.send(JSON.stringify({ type: 'tick', tick: first }));
        }
      } catch (error) {
        if (!left.aborted) throw error;
      } finally {
        round.abort(); // the loser's listener goes now, not when its event finally comes
        left.removeEventListener('abort', onLeft);
      }
    }
  }

  app.get('/ws', { websocket: true }, (socket) => {
    const left = new AbortController();
    players.add(socket);
    socket.on('close', () => {
      left.abort();
      players.delete(socket);
      if (players.size === 0) stopLoop();
    });
    if (stop === null) {
      stop = new AbortController();
      log('loop started');
      gameLoop(stop.signal).catch((error: unknown) => {
        log(`game loop failed: ${String(error)}; the room stops`);
        stopLoop();
        for (const player of players) player.close(1011, 'the game loop failed');
      });
    }
    play(socket, left.signal).catch((error: unknown) => {
      log(`a player's loop failed: ${String(error)}`);
      socket.close(1011, 'server error');
    });
  });
  app.addHook('onClose', async () => stopLoop());

  await app.listen({ port, host });
  return {
    port: (app.server.address() as AddressInfo).port,
    close: () => app.close(),
    get running() {
      return stop !== null;
    },
    get tickListeners() {
      return ticks.listenerCount('tick');
    },
  };
}
