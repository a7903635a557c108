// Step 7, the game on the loop of step 2: the server owns one State and, every tick, feeds it
// the inputs that arrived since the last one through the pure step() and sends the result. A
// page only sends turns ({"type":"turn","dir":"up","seq":1}) and draws what comes back. Here the
// whole state goes to everyone on every tick; step 8 sends a snapshot once, then only changes.
// The hooks (welcome, tick) are where steps 8 and 10 change what is sent.
// Chapter: docs/tutorial/02-rules.md

import websocket from '@fastify/websocket';
import Fastify from 'fastify';
import type { AddressInfo } from 'node:net';
import type { RawData, WebSocket } from 'ws';
import type { RunningStep, StepOptions } from '../01-basic-loop/server.ts';
import { serveGame } from '../page/game.ts';
import { DIRS, type Dir, type Inputs, type State, newGame, step } from './rules.ts';

export interface GameStep extends RunningStep {
  readonly running: boolean;
  readonly state: State;
}
export interface Player {
  readonly id: number;
  readonly socket: WebSocket;
}
/** What a step sends: to a player who just joined (or asks again), and to everyone after each tick. */
export interface Announce {
  welcome(player: Player, state: State, tickMs: number): void;
  tick(players: readonly Player[], before: State, after: State): void;
}

export const fullState: Announce = {
  welcome: ({ id, socket }, _state, tickMs) => socket.send(JSON.stringify({ type: 'welcome', id, tickMs })),
  tick: (players, _before, after) => {
    const text = JSON.stringify({ type: 'tick', state: after });
    for (const { socket } of players) socket.send(text);
  },
};

/** The turn in {"type":"turn","dir":"up","seq":1}, or null for anything else. */
export function readTurn(data: RawData): { dir: Dir; seq: number } | null {
  try {
    const m = JSON.parse(data.toString()) as { type?: unknown; dir?: unknown; seq?: unknown };
    if (m?.type !== 'turn' || !DIRS.includes(m.dir as Dir) || !Number.isSafeInteger(m.seq) || (m.seq as number) < 0) return null;
    return { dir: m.dir as Dir, seq: m.seq as number };
  } catch {
    return null;
  }
}

export async function startGame(
  { port, host = '127.0.0.1', tickMs = 150, log = console.log }: StepOptions,
  page: URL,
  announce: Announce,
  seed = Date.now(),
): Promise<GameStep> {
  const app = Fastify();
  await app.register(websocket, { options: { maxPayload: 1024 } });
  serveGame(app, page);

  const players = new Map<WebSocket, Player>();
  let state = newGame(seed);
  let inputs: { joins: number[]; leaves: number[]; turns: { id: number; dir: Dir; seq: number }[] } = { joins: [], leaves: [], turns: [] };
  let nextId = 1;
  let loop: NodeJS.Timeout | null = null;

  function tick(): void {
    const taken: Inputs = inputs;
    inputs = { joins: [], leaves: [], turns: [] };
    const before = state;
    state = step(state, taken);
    announce.tick([...players.values()], before, state);
  }
  function stopLoop(): void {
    if (loop === null) return;
    clearInterval(loop);
    loop = null;
    state = newGame(seed + state.tick); // an empty room starts afresh
    log('loop stopped');
  }

  app.get('/ws', { websocket: true }, (socket) => {
    const player: Player = { id: nextId++, socket };
    players.set(socket, player);
    inputs.joins.push(player.id);
    socket.on('close', () => {
      players.delete(socket);
      inputs.leaves.push(player.id);
      if (players.size === 0) stopLoop();
    });
    socket.on('message', (data) => {
      if (data.toString() === '{"type":"resync"}') return announce.welcome(player, state, tickMs); // a page that lost track
      const turn = readTurn(data);
      if (turn === null) socket.send(JSON.stringify({ type: 'error', message: 'send {"type":"turn","dir":"up","seq":1}' }));
      else inputs.turns.push({ id: player.id, ...turn });
    });
    announce.welcome(player, state, tickMs);
    if (loop === null) {
      loop = setInterval(tick, tickMs);
      log('loop started');
    }
  });
  app.addHook('onClose', async () => stopLoop());

  await app.listen({ port, host });
  return {
    port: (app.server.address() as AddressInfo).port,
    close: () => app.close(),
    get running() {
      return loop !== null;
    },
    get state() {
      return state;
    },
  };
}

export function start(options: StepOptions): Promise<GameStep> {
  return startGame(options, new URL('page.ts', import.meta.url), fullState);
}
