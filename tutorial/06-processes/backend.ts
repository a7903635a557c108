// One of step 6's game servers, run as a child process by server.ts: step 2's loop, once per
// room (a room's loop starts with its first player and stops with its last). Every tick names the
// backend that sent it, so you can see where the balancer put a room. It listens on a free port,
// tells its parent which, and exits when its parent goes: it must never outlive the balancer.
// Chapter: docs/tutorial/01-game-loop.md

import websocket from '@fastify/websocket';
import Fastify from 'fastify';
import type { AddressInfo } from 'node:net';
import type { WebSocket } from 'ws';
import { readKey } from '../01-basic-loop/server.ts';
import { servePage } from '../page/serve.ts';

const name = process.env.BACKEND ?? 'backend';
const tickMs = Number(process.env.TICK_MS ?? 1000);

interface Room {
  readonly players: Set<WebSocket>;
  readonly loop: NodeJS.Timeout;
}
const rooms = new Map<string, Room>();

const app = Fastify();
await app.register(websocket, { options: { maxPayload: 1024 } });
servePage(app);

app.get('/ws', { websocket: true }, (socket, request) => {
  const id = (request.query as { room?: string }).room ?? 'lobby'; // checked by the balancer
  let room = rooms.get(id);
  if (room === undefined) {
    const players = new Set<WebSocket>();
    let tick = 0;
    const loop = setInterval(() => {
      const text = JSON.stringify({ type: 'tick', tick: ++tick, room: id, backend: name });
      for (const player of players) player.send(text);
    }, tickMs);
    room = { players, loop };
    rooms.set(id, room);
  }
  const { players, loop } = room;
  players.add(socket);
  socket.on('close', () => {
    players.delete(socket);
    if (players.size > 0) return;
    clearInterval(loop);
    rooms.delete(id);
  });
  socket.on('message', (data) => {
    const key = readKey(data);
    if (key !== null) for (const player of players) player.send(JSON.stringify({ type: 'key', key, backend: name }));
  });
});

await app.listen({ port: 0, host: '127.0.0.1' });
process.send?.({ port: (app.server.address() as AddressInfo).port });
process.on('disconnect', () => {
  void app.close().finally(() => process.exit(0));
});
