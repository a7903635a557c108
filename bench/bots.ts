// Bots that play snakepit through the real protocol over real WebSockets, for the bench and
// for server tests. The bots of one room share one WorldMirror: the server sends every member
// the same bytes, so one socket per room is decoded and steered by and the others only count
// frames and bytes, which keeps thousands of bots affordable in one process. Sockets open a few
// at a time (connectConcurrency) so a big room does not overflow the server's listen backlog.
// Must not: become the bottleneck of a benchmark of the server. Tutorial: docs/tutorial/08-measuring.md

import { DIR_NAMES, type ServerMessage, type WireFormat, WorldMirror, decodeServerFrame, jsonCodec } from '@snakepit/shared';
import WebSocket from 'ws';
import { type Sight, Scratch, chooseDir, facing, foodField, foodFieldPays } from '../server/src/bots/brain.ts';

export interface BotStats {
  /** Frames received by all bots, and their bytes. */
  frames: number;
  bytes: number;
  /** Gaps between consecutive frames on the decoding socket of each room, ms. */
  intervals: number[];
  /** Payload bytes of each tick message on the decoding socket of each room (same time window). */
  tickBytes: number[];
  /** The same, for ticks in which only snakes moved (no one ate, died, joined...): a steady tick. */
  steadyTickBytes: number[];
  /** Ticks that carried the room's top-score table (sent whole when it changes), and their bytes. */
  topTicks: number;
  topTickBytes: number;
  /** Ticks a decoding socket never saw (a jump in tick numbers). */
  ticksMissed: number;
  deaths: number;
  closes: Map<number, number>;
}

export function newStats(): BotStats {
  return {
    frames: 0,
    bytes: 0,
    intervals: [],
    tickBytes: [],
    steadyTickBytes: [],
    topTicks: 0,
    topTickBytes: 0,
    ticksMissed: 0,
    deaths: 0,
    closes: new Map(),
  };
}

export interface RoomBotsOptions {
  readonly url: string; // ws://host:port/ws?room=<id>
  /** Wire format to ask for; the server's default when left out. */
  readonly wire?: WireFormat;
  readonly count: number;
  readonly names: (i: number) => string;
  readonly stats: BotStats;
  /** Record intervals after this time (performance.now()), to skip warm-up. */
  readonly measureFrom?: number;
  /** Connections opened at once by start(); all of them when left out. */
  readonly connectConcurrency?: number;
}

function frame(data: Buffer, isBinary: boolean): ServerMessage {
  return decodeServerFrame(isBinary ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : data.toString());
}

/** N bots in one room. */
export class RoomBots {
  readonly sockets: WebSocket[] = [];
  readonly mirror = new WorldMirror();
  readonly #ids = new Map<number, WebSocket>();
  /** The last turn seq each bot (by player id) sent: the server wants them rising per player. */
  readonly #seqs = new Map<number, number>();
  #blocked = new Uint8Array(0);
  #scratch = new Scratch(0);
  #foodDistance = new Uint32Array(0);
  #foodQueue = new Int32Array(0);
  #lastFrameAt = 0;
  #stopped = false;

  constructor(private readonly options: RoomBotsOptions) {}

  /** Connects every bot; resolves when all have been welcomed and joined, rejects if one is refused. */
  async start(): Promise<void> {
    const { count } = this.options;
    const lanes = Math.max(1, Math.min(count, this.options.connectConcurrency ?? count));
    let next = 0;
    const lane = async () => {
      while (next < count && !this.#stopped) await this.#connect(next++);
    };
    await Promise.all(Array.from({ length: lanes }, lane));
  }

  stop(): void {
    this.#stopped = true;
    for (const ws of this.sockets) ws?.terminate();
  }

  #connect(i: number): Promise<void> {
    const { stats } = this.options;
    const url = this.options.wire ? `${this.options.url}&wire=${this.options.wire}` : this.options.url;
    // The server's text frames are JSON that a decoding socket parses anyway: skip ws's UTF-8
    // check, which would otherwise run over every text frame of every bot.
    const ws = new WebSocket(url, { perMessageDeflate: false, skipUTF8Validation: true });
    this.sockets[i] = ws;
    const decoder = i === 0;
    return new Promise((resolve, reject) => {
      let joined = false;
      ws.once('error', (err) => {
        if (!joined) reject(err);
      });
      ws.once('open', () => ws.send(jsonCodec.encodeClient({ type: 'join', name: this.options.names(i) })));
      ws.on('close', (code, reason) => {
        if (!this.#stopped) stats.closes.set(code, (stats.closes.get(code) ?? 0) + 1);
        if (!joined) reject(new Error(`bot ${i} closed before joining: ${code} ${reason.toString()}`));
      });
      ws.on('message', (data: Buffer, isBinary: boolean) => {
        stats.frames++;
        stats.bytes += data.length;
        if (decoder) this.#onMessage(frame(data, isBinary), data.length);
        if (joined) return;
        // Before joining, only 'joined' (or a refusal) matters to a socket; spot it without
        // decoding the rest (binary: type byte 4, error 5; JSON: the text starts {"type":"joined").
        if (isBinary ? data[0] === 4 : data[9] === 0x6a && data.toString('latin1', 0, 17) === '{"type":"joined",') {
          const msg = frame(data, isBinary) as Extract<ServerMessage, { type: 'joined' }>;
          this.#ids.set(msg.id, ws);
          joined = true;
          resolve();
        } else if (isBinary ? data[0] === 5 : data.toString('latin1', 0, 16) === '{"type":"error",') {
          const msg = frame(data, isBinary) as Extract<ServerMessage, { type: 'error' }>;
          reject(new Error(`bot ${i} refused: ${msg.code}: ${msg.message}`));
        }
      });
    });
  }

  #onMessage(msg: ServerMessage, size: number): void {
    const now = performance.now();
    if (msg.type === 'snapshot') {
      this.mirror.applySnapshot(msg);
      const cells = this.mirror.board.cells;
      if (this.#blocked.length !== cells) {
        this.#blocked = new Uint8Array(cells);
        this.#scratch = new Scratch(cells);
        this.#foodDistance = new Uint32Array(cells);
        this.#foodQueue = new Int32Array(cells);
      }
    } else if (msg.type === 'tick') {
      if (!this.mirror.ready) return; // waiting for the snapshot a resync asked for
      if (msg.tick !== this.mirror.tick + 1) {
        this.options.stats.ticksMissed += Math.max(0, msg.tick - this.mirror.tick - 1);
        this.#resync();
        return;
      }
      if (this.#lastFrameAt && now >= (this.options.measureFrom ?? 0)) {
        this.options.stats.intervals.push(now - this.#lastFrameAt);
        const { stats } = this.options;
        stats.tickBytes.push(size);
        if (msg.top) {
          stats.topTicks++;
          stats.topTickBytes += size;
        }
        const events = msg.joins ?? msg.leaves ?? msg.deaths ?? msg.spawns ?? msg.scores ?? msg.food ?? msg.eaten ?? msg.top;
        if (!events) stats.steadyTickBytes.push(size);
      }
      this.#lastFrameAt = now;
      this.mirror.applyTick(msg);
      this.options.stats.deaths += msg.deaths?.length ?? 0;
      this.#steer(msg);
    }
  }

  #resync(): void {
    this.mirror.ready = false;
    this.sockets[0]?.send(jsonCodec.encodeClient({ type: 'resync' }));
  }

  /** One decision per bot per tick, on a board built once per room per tick. */
  #steer(msg: Extract<ServerMessage, { type: 'tick' }>): void {
    const blocked = this.#blocked;
    blocked.fill(0);
    for (const s of this.mirror.stones) blocked[s] = 1;
    for (const snake of this.mirror.snakes.values()) for (const c of snake.body) blocked[c] = 1;
    const { board } = this.mirror;
    const plain = { board, blocked, food: [...this.mirror.food.keys()] };
    // A crowded room has thousands of food cells: one distance field beats every bot scanning them.
    const field = foodFieldPays(blocked.length, this.mirror.snakes.size, plain.food.length);
    const sight: Sight = field ? { ...plain, foodDistance: foodField(plain, this.#foodDistance, this.#foodQueue) } : plain;
    for (const [id, ws] of this.#ids) {
      const snake = this.mirror.snakes.get(id);
      if (!snake) {
        // Dead (or not yet placed): ask to play again, but not every single tick.
        if (msg.tick % 5 === id % 5) ws.send(jsonCodec.encodeClient({ type: 'respawn' }));
        continue;
      }
      const dir = chooseDir(sight, snake.body, this.#scratch);
      if (dir !== null && dir !== facing(board, snake.body)) {
        const seq = (this.#seqs.get(id) ?? 0) + 1;
        this.#seqs.set(id, seq);
        ws.send(jsonCodec.encodeClient({ type: 'turn', dir: DIR_NAMES[dir], seq }));
      }
    }
  }
}
