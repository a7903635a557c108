// Step 6, several processes: the game server runs as two processes (backend.ts) and a small load
// balancer in front sends each room to one of them. It hashes the `room` query parameter, so all
// the players of a room reach the same process (a room's state lives in one place) while rooms
// spread over both. A WebSocket starts as an HTTP request with `Upgrade: websocket`: the balancer
// replays that request to the chosen backend, then pipes bytes both ways and reads none of them.
// Chapter: docs/tutorial/01-game-loop.md

import { type ChildProcess, fork } from 'node:child_process';
import { type IncomingMessage, createServer, request as forward } from 'node:http';
import { type AddressInfo, type Socket, connect } from 'node:net';
import type { RunningStep, StepOptions } from '../01-basic-loop/server.ts';

const ROOM = /^[a-z0-9-]{1,32}$/;

interface Backend {
  readonly name: string;
  readonly port: number;
  readonly child: ChildProcess;
}

/** FNV-1a, a small 32-bit hash that spreads similar strings apart. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/** Rendezvous hashing: each backend scores the room, the highest wins; a new backend takes only the rooms it wins. */
export function pick<T extends { readonly name: string }>(room: string, backends: readonly T[]): T {
  return backends.reduce((best, b) => (hash(`${b.name}/${room}`) > hash(`${best.name}/${room}`) ? b : best));
}

function startBackend(name: string, tickMs: number): Promise<Backend> {
  const child = fork(new URL('./backend.ts', import.meta.url), {
    execArgv: ['--import', import.meta.resolve('tsx')],
    env: { ...process.env, BACKEND: name, TICK_MS: String(tickMs) },
  });
  return new Promise((resolve, reject) => {
    child.once('message', (message: { port: number }) => resolve({ name, port: message.port, child }));
    child.once('exit', (code) => reject(new Error(`backend ${name} exited (code ${code}) before listening`)));
  });
}

export async function start({ port, host = '127.0.0.1', tickMs = 1000, log = console.log }: StepOptions): Promise<RunningStep> {
  const backends = await Promise.all(['b1', 'b2'].map((name) => startBackend(name, tickMs)));
  const room = (request: IncomingMessage) => new URL(request.url ?? '/', 'http://balancer').searchParams.get('room') ?? 'lobby';
  const refusal = JSON.stringify({ error: 'bad-room', message: 'room must be 1-32 characters of a-z, 0-9 and -' });

  // Plain HTTP (the page and its script): forward the request and stream the answer back.
  const server = createServer((request, response) => {
    const id = room(request);
    if (!ROOM.test(id)) return void response.writeHead(400, { 'content-type': 'application/json' }).end(refusal);
    const backend = pick(id, backends);
    const upstream = forward({ port: backend.port, path: request.url, method: request.method, headers: request.headers }, (answer) => {
      response.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(response);
    });
    upstream.on('error', () => (response.headersSent ? response.destroy() : response.writeHead(502).end()));
    request.pipe(upstream);
  });

  // WebSockets: replay the upgrade request to the room's backend, then join the two sockets.
  const open = new Set<Socket>(); // every joined socket, so that close() can end them
  const tie = (socket: Socket, other: Socket) => {
    open.add(socket);
    socket.on('error', () => other.destroy());
    socket.on('close', () => {
      open.delete(socket);
      other.destroy(); // whichever side goes, the other goes too
    });
  };
  server.on('upgrade', (request: IncomingMessage, client: Socket, head: Buffer) => {
    const id = room(request);
    if (!ROOM.test(id)) return void client.end(`HTTP/1.1 400 Bad Request\r\ncontent-type: application/json\r\n\r\n${refusal}`);
    const backend = pick(id, backends);
    log(`room ${id} -> ${backend.name}`);
    const upstream = connect(backend.port, '127.0.0.1', () => {
      const headers = request.rawHeaders.map((part, i) => (i % 2 === 0 ? `${part}: ` : `${part}\r\n`)).join('');
      upstream.write(`${request.method} ${request.url} HTTP/1.1\r\n${headers}\r\n`);
      upstream.write(head);
      upstream.pipe(client).pipe(upstream);
    });
    tie(client, upstream);
    tie(upstream, client);
  });

  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  log(`backends: ${backends.map((b) => `${b.name} on port ${b.port}`).join(', ')}`);
  return {
    port: (server.address() as AddressInfo).port,
    async close() {
      for (const socket of open) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
      await Promise.all(backends.map(({ child }) => new Promise((exited) => child.once('exit', exited).kill())));
    },
  };
}
