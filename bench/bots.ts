// Bots that play snakepit through the real protocol over real WebSockets.
// Bots in one room share one WorldMirror: the server sends every member of a room the same
// bytes, so one socket per room is decoded and steered by, while the others' frames are only
// counted (their size and arrival time). That keeps thousands of bots affordable in one
// process, which must never become the bottleneck of a benchmark of the server.

import { DIR_NAMES, type ServerMessage, type WireFormat, WorldMirror, decodeServerFrame, dirBetween, jsonCodec } from '@snakepit/shared';
import WebSocket from 'ws';
import { type Board, Scratch, chooseDir } from './brain.ts';

export interface BotStats {
  /** Frames received by all bots, and their bytes. */
  frames: number;
  bytes: number;
  /** Gaps between consecutive frames on the decoding socket of each room, ms. */
  intervals: number[];
  /** Ticks a decoding socket never saw (a jump in tick numbers). */
  ticksMissed: number;
  deaths: number;
  closes: Map<number, number>;
}

export function newStats(): BotStats {
  return { frames: 0, bytes: 0, intervals: [], ticksMissed: 0, deaths: 0, closes: new Map() };
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
}

function frame(data: Buffer, isBinary: boolean): ServerMessage {
  return decodeServerFrame(isBinary ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : data.toString());
}

/** N bots in one room. */
export class RoomBots {
  readonly sockets: WebSocket[] = [];
  readonly mirror = new WorldMirror();
  readonly #ids = new Map<number, WebSocket>();
  #width = 0;
  #height = 0;
  #blocked = new Uint8Array(0);
  #scratch = new Scratch(0);
  #lastFrameAt = 0;
  #stopped = false;

  constructor(private readonly options: RoomBotsOptions) {}

  /** Connects every bot; resolves when all have been welcomed and joined. */
  async start(): Promise<void> {
    const joined: Promise<void>[] = [];
    for (let i = 0; i < this.options.count; i++) joined.push(this.#connect(i));
    await Promise.all(joined);
  }

  stop(): void {
    this.#stopped = true;
    for (const ws of this.sockets) ws.terminate();
  }

  #connect(i: number): Promise<void> {
    const { stats } = this.options;
    const url = this.options.wire ? `${this.options.url}&wire=${this.options.wire}` : this.options.url;
    const ws = new WebSocket(url, { perMessageDeflate: false });
    this.sockets.push(ws);
    const decoder = i === 0;
    return new Promise((resolve, reject) => {
      ws.once('error', reject);
      ws.once('open', () => ws.send(jsonCodec.encodeClient({ type: 'join', name: this.options.names(i) })));
      ws.on('close', (code) => {
        if (!this.#stopped) stats.closes.set(code, (stats.closes.get(code) ?? 0) + 1);
      });
      ws.on('message', (data: Buffer, isBinary: boolean) => {
        stats.frames++;
        stats.bytes += data.length;
        // Only the 'joined' answer matters to every socket; spot it without decoding the rest
        // (binary: type byte 4; JSON: the text starts {"type":"joined").
        if (isBinary ? data[0] === 4 : data[9] === 0x6a && data.toString('latin1', 0, 17) === '{"type":"joined",') {
          const msg = frame(data, isBinary) as Extract<ServerMessage, { type: 'joined' }>;
          this.#ids.set(msg.id, ws);
          resolve();
        }
        if (decoder) this.#onMessage(frame(data, isBinary));
      });
    });
  }

  #onMessage(msg: ServerMessage): void {
    const now = performance.now();
    if (msg.type === 'welcome') {
      this.#width = msg.width;
      this.#height = msg.height;
      this.#blocked = new Uint8Array(msg.width * msg.height);
      this.#scratch = new Scratch(msg.width * msg.height);
    } else if (msg.type === 'snapshot') {
      this.mirror.applySnapshot(msg);
    } else if (msg.type === 'tick') {
      if (!this.mirror.ready) return; // waiting for the snapshot a resync asked for
      if (msg.tick !== this.mirror.tick + 1) {
        this.options.stats.ticksMissed += Math.max(0, msg.tick - this.mirror.tick - 1);
        this.#resync();
        return;
      }
      if (this.#lastFrameAt && now >= (this.options.measureFrom ?? 0)) this.options.stats.intervals.push(now - this.#lastFrameAt);
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
    const board: Board = { width: this.#width, height: this.#height, blocked, food: [...this.mirror.food.keys()] };
    for (const [id, ws] of this.#ids) {
      const snake = this.mirror.snakes.get(id);
      if (!snake) {
        // Dead (or not yet placed): ask to play again, but not every single tick.
        if (msg.tick % 5 === id % 5) ws.send(jsonCodec.encodeClient({ type: 'respawn' }));
        continue;
      }
      const dir = chooseDir(board, snake.body, this.#scratch);
      const facing = dirBetween(snake.body[1]!, snake.body[0]!, this.#width);
      if (dir !== null && dir !== facing) ws.send(jsonCodec.encodeClient({ type: 'turn', dir: DIR_NAMES[dir] }));
    }
  }
}
