// The floor: what delivering a capacity run's bytes costs Node when it has nothing else to do.
// The writer is a plain net server (no Fastify, no ws, no game) that writes one ready-made
// WebSocket frame of the run's mean size to each of N loopback sockets per tick, rooms of sockets
// ticking in the server's phase groups; the reader, a second process, only drains. run.ts reads
// the writer's CPU from /proc as it reads the server's: "server CPU / floor CPU" is the game's price.
// Must not: do anything per write but the write. Tutorial: docs/tutorial/08-measuring.md

import { type Socket, connect, createServer } from 'node:net';
import { performance } from 'node:perf_hooks';
import { roomShare, spread } from './stats.ts';

/**
 * Rooms tick in this many groups spread evenly over the tick interval, room i in group
 * i mod PHASE_SLOTS: the same as the server's PHASE_SLOTS (server/src/rooms/registry.ts).
 */
const PHASE_SLOTS = 20;
/** Ticks behind schedule before a group skips ahead, like the server's Ticker. */
const MAX_BEHIND = 3;

export interface WriterConfig {
  readonly sockets: number;
  readonly rooms: number;
  /** Payload bytes of the frame each socket gets per tick (the run's mean, rounded). */
  readonly payloadBytes: number;
  readonly tickRate: number;
}

export interface ReaderConfig {
  readonly port: number;
  readonly sockets: number;
  /** Sockets connecting at once. */
  readonly concurrency: number;
}

/** Runner -> writer or reader. */
export type ToFloor = { type: 'start' } | { type: 'measure' } | { type: 'report' } | { type: 'stop' };

export interface WriterReport {
  readonly seconds: number;
  readonly frames: number;
  readonly bytes: number;
  /** How long after its deadline each group's write started, ms. */
  readonly latenessP50Ms: number;
  readonly latenessP99Ms: number;
  readonly latenessMaxMs: number;
  /** Ticks a group skipped because it fell more than MAX_BEHIND ticks behind. */
  readonly missed: number;
  readonly frameBytes: number;
}

export type FromWriter =
  | { type: 'listening'; port: number }
  | { type: 'accepted'; sockets: number }
  | { type: 'writing' }
  | { type: 'measuring' }
  | { type: 'report'; report: WriterReport }
  | { type: 'failed'; error: string };

export interface ReaderReport {
  readonly seconds: number;
  readonly bytes: number;
  /** Sockets still open at the report. */
  readonly open: number;
}

export type FromReader =
  | { type: 'connected'; sockets: number }
  | { type: 'measuring' }
  | { type: 'report'; report: ReaderReport }
  | { type: 'failed'; error: string };

function send(msg: FromWriter | FromReader): void {
  process.send?.(msg);
}

function onMessage(handler: (msg: ToFloor) => void): void {
  process.on('message', (msg: ToFloor) => {
    if (msg.type === 'stop') process.exit(0);
    handler(msg);
  });
}

/** A complete, unmasked binary WebSocket frame with a `payloadBytes` payload (RFC 6455 5.2). */
export function binaryFrame(payloadBytes: number): Buffer {
  const head = payloadBytes < 126 ? 2 : payloadBytes < 65536 ? 4 : 10;
  const frame = Buffer.alloc(head + payloadBytes);
  frame[0] = 0x82; // FIN, opcode 2 (binary)
  if (payloadBytes < 126) frame[1] = payloadBytes;
  else if (payloadBytes < 65536) {
    frame[1] = 126;
    frame.writeUInt16BE(payloadBytes, 2);
  } else {
    frame[1] = 127;
    frame.writeBigUInt64BE(BigInt(payloadBytes), 2);
  }
  return frame;
}

/**
 * When a ticker at `phase` (0..1) of each interval first runs: the next such moment at least half
 * an interval away (the rule of server/src/rooms/loop.ts's firstDeadline).
 */
function firstDeadline(now: number, interval: number, phase: number): number {
  let deadline = now + ((((phase * interval - now) % interval) + interval) % interval);
  if (deadline - now < interval / 2) deadline += interval;
  return deadline;
}

function writer(config: WriterConfig): void {
  const sockets: Socket[] = [];
  const frame = binaryFrame(config.payloadBytes);
  const interval = 1000 / config.tickRate;
  let frames = 0;
  let measuring = false;
  let lateness: number[] = [];
  let missed = 0;
  let base = { at: 0, frames: 0, missed: 0 };

  // Nagle off, as ws sets it on every socket it accepts.
  const server = createServer({ noDelay: true }, (socket) => {
    socket.on('error', () => {});
    sockets.push(socket);
    if (sockets.length === config.sockets) send({ type: 'accepted', sockets: sockets.length });
  });
  server.listen({ port: 0, host: '127.0.0.1', backlog: 4096 }, () => {
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('the floor writer has no TCP port');
    send({ type: 'listening', port: address.port });
  });

  /** One drift-corrected timer per phase group, writing the frame to every socket of its rooms. */
  const tickGroup = (group: readonly Socket[], phase: number) => {
    let deadline = firstDeadline(performance.now(), interval, phase);
    const run = () => {
      const now = performance.now();
      if (now - deadline > MAX_BEHIND * interval) {
        const skipped = Math.floor((now - deadline) / interval);
        missed += skipped;
        deadline += skipped * interval;
      }
      if (measuring) lateness.push(Math.max(0, now - deadline));
      for (const socket of group) if (!socket.destroyed) socket.write(frame);
      frames += group.length;
      deadline += interval;
      setTimeout(run, Math.max(0, deadline - performance.now()));
    };
    setTimeout(run, deadline - performance.now());
  };

  onMessage((msg) => {
    if (msg.type === 'start') {
      if (sockets.length !== config.sockets) throw new Error(`only ${sockets.length} of ${config.sockets} sockets connected`);
      const groups: Socket[][] = Array.from({ length: PHASE_SLOTS }, () => []);
      let at = 0;
      for (let room = 0; room < config.rooms; room++) {
        const n = roomShare(config.sockets, config.rooms, room);
        groups[room % PHASE_SLOTS]!.push(...sockets.slice(at, at + n));
        at += n;
      }
      groups.forEach((group, slot) => {
        if (group.length > 0) tickGroup(group, slot / PHASE_SLOTS);
      });
      send({ type: 'writing' });
    } else if (msg.type === 'measure') {
      base = { at: performance.now(), frames, missed };
      lateness = [];
      measuring = true;
      send({ type: 'measuring' });
    } else if (msg.type === 'report') {
      measuring = false;
      const late = spread(lateness);
      const written = frames - base.frames;
      send({
        type: 'report',
        report: {
          seconds: (performance.now() - base.at) / 1000,
          frames: written,
          bytes: written * frame.length,
          latenessP50Ms: late.p50,
          latenessP99Ms: late.p99,
          latenessMaxMs: late.max,
          missed: missed - base.missed,
          frameBytes: frame.length,
        },
      });
    }
  });
}

async function reader(config: ReaderConfig): Promise<void> {
  const sockets: Socket[] = [];
  let bytes = 0;
  let base = { at: 0, bytes: 0 };
  const open = () =>
    new Promise<void>((resolve, reject) => {
      const socket = connect({ port: config.port, host: '127.0.0.1' });
      socket.once('connect', () => {
        socket.off('error', reject);
        socket.on('error', () => {});
        resolve();
      });
      socket.once('error', reject);
      socket.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
      });
      sockets.push(socket);
    });
  let next = 0;
  const lane = async () => {
    while (next < config.sockets) {
      next++;
      await open();
    }
  };
  await Promise.all(Array.from({ length: Math.min(config.concurrency, config.sockets) }, lane));
  onMessage((msg) => {
    if (msg.type === 'measure') {
      base = { at: performance.now(), bytes };
      send({ type: 'measuring' });
    } else if (msg.type === 'report') {
      const report = {
        seconds: (performance.now() - base.at) / 1000,
        bytes: bytes - base.bytes,
        open: sockets.filter((s) => !s.destroyed).length,
      };
      send({ type: 'report', report });
    }
  });
  send({ type: 'connected', sockets: sockets.length });
}

// Started by bench/run.ts: `floor.ts writer <WriterConfig JSON>` or `floor.ts reader <ReaderConfig JSON>`.
process.on('disconnect', () => process.exit(0));
process.on('uncaughtException', (err) => {
  send({ type: 'failed', error: err.stack ?? String(err) });
  setTimeout(() => process.exit(1), 100);
});
const [role, raw] = process.argv.slice(2);
if (!raw || !process.send || (role !== 'writer' && role !== 'reader')) {
  console.error('bench/floor.ts is started by bench/run.ts (npm run bench), not by hand');
  process.exit(2);
}
if (role === 'writer') writer(JSON.parse(raw) as WriterConfig);
else
  reader(JSON.parse(raw) as ReaderConfig).catch((err: unknown) => {
    send({ type: 'failed', error: err instanceof Error ? err.message : String(err) });
    setTimeout(() => process.exit(1), 100);
  });
