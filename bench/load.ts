// The load generator: a process of its own (started by bench/run.ts), so the bots' CPU is not
// the server's. It opens N bots spread evenly over R rooms on real WebSockets, lets them play
// (bench/bots.ts), and answers the runner over the IPC channel: 'joined' once every bot is in,
// then counters for the window between 'measure' and 'report'. It exits on 'stop', and by
// itself if the runner goes away. Must not: measure the server (run.ts does that from outside).
// Tutorial: docs/tutorial/08-measuring.md; every detail in bench/README.md.

import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { Board, WireFormat } from '@snakepit/shared';
import { type BotStats, RoomBots, newStats } from './bots.ts';
import { roomShare, spread } from './stats.ts';

export interface LoadConfig {
  readonly port: number;
  readonly players: number;
  readonly rooms: number;
  readonly wire: WireFormat;
  /** Nominal tick interval in ms, to count client intervals that came late (> 1.5x). */
  readonly tickMs: number;
  /** Sockets connecting at once, over all rooms. */
  readonly connectConcurrency: number;
}

/** Runner -> load. */
export type ToLoad = { type: 'measure' } | { type: 'report' } | { type: 'stop' };

/** What the bots saw between 'measure' and 'report'. */
export interface LoadReport {
  readonly seconds: number;
  readonly bots: number;
  /** The board of the first room as its snapshot described it, e.g. "60x40 wrap". */
  readonly board: string;
  /** Bots whose socket was still open at the report. */
  readonly open: number;
  readonly frames: number;
  readonly bytes: number;
  readonly intervalCount: number;
  readonly intervalP50Ms: number;
  readonly intervalP99Ms: number;
  readonly intervalMaxMs: number;
  /** Intervals longer than 1.5 ticks: a tick that arrived late at the client. */
  readonly intervalsLate: number;
  readonly ticksMissed: number;
  readonly deaths: number;
  /** Sockets the server closed during the window, by close code. */
  readonly closes: Record<string, number>;
  /** Payload bytes of one tick message (decoding sockets): the typical tick, without the mean's spikes. */
  readonly tickBytesP50: number;
  readonly tickBytesP99: number;
  /** Ticks in which only snakes moved: how many, and their p50 size. */
  readonly steadyTicks: number;
  readonly steadyTickBytesP50: number;
  /** Ticks that carried the top-score table, and their mean size. */
  readonly topTicks: number;
  readonly topTickBytesMean: number;
  /** The load process's own event-loop delay: high means the bots, not the server, lagged. */
  readonly loopDelayP99Ms: number;
  readonly loopDelayMaxMs: number;
}

/** Load -> runner. */
export type FromLoad =
  | { type: 'progress'; joined: number }
  | { type: 'joined'; bots: number; ms: number }
  | { type: 'measuring' }
  | { type: 'report'; report: LoadReport }
  | { type: 'failed'; error: string };

function describeBoard(board: Board | undefined): string {
  return board ? `${board.width}x${board.height} ${board.walls}` : '-';
}

function send(msg: FromLoad): void {
  process.send?.(msg);
}

async function main(config: LoadConfig): Promise<void> {
  const stats: BotStats = newStats();
  const rooms: RoomBots[] = [];
  const started = performance.now();
  let joined = 0;

  // Rooms connect a few at a time: at most connectConcurrency sockets are opening at once.
  const perRoom = Math.ceil(config.players / config.rooms);
  const lanes = Math.max(1, Math.floor(config.connectConcurrency / perRoom));
  let nextRoom = 0;
  const progress = setInterval(() => send({ type: 'progress', joined: joined }), 2000);
  const lane = async () => {
    while (nextRoom < config.rooms) {
      const i = nextRoom++;
      const count = roomShare(config.players, config.rooms, i);
      if (count === 0) continue;
      const bots = new RoomBots({
        url: `ws://127.0.0.1:${config.port}/ws?room=bench-${i}`,
        wire: config.wire,
        count,
        names: (b) => `bot${i}-${b}`.slice(0, 16),
        stats,
        connectConcurrency: config.connectConcurrency,
      });
      rooms.push(bots);
      await bots.start();
      joined += count;
    }
  };
  await Promise.all(Array.from({ length: Math.min(lanes, config.rooms) }, lane));
  clearInterval(progress);
  send({ type: 'joined', bots: joined, ms: performance.now() - started });

  // ---- the measured window ----
  // The histogram's values include its own timer period: subtracted below.
  const LOOP_RESOLUTION_MS = 10;
  const loop = monitorEventLoopDelay({ resolution: LOOP_RESOLUTION_MS });
  let base = { at: 0, frames: 0, bytes: 0, ticksMissed: 0, deaths: 0, closes: new Map<number, number>() };

  process.on('message', (msg: ToLoad) => {
    if (msg.type === 'measure') {
      stats.intervals = [];
      stats.tickBytes = [];
      stats.steadyTickBytes = [];
      stats.topTicks = 0;
      stats.topTickBytes = 0;
      base = {
        at: performance.now(),
        frames: stats.frames,
        bytes: stats.bytes,
        ticksMissed: stats.ticksMissed,
        deaths: stats.deaths,
        closes: new Map(stats.closes),
      };
      loop.reset();
      loop.enable();
      send({ type: 'measuring' });
    } else if (msg.type === 'report') {
      loop.disable();
      const iv = spread(stats.intervals, config.tickMs * 1.5);
      const sizes = spread(stats.tickBytes);
      const steady = spread(stats.steadyTickBytes);
      const closes: Record<string, number> = {};
      for (const [code, n] of stats.closes) {
        const d = n - (base.closes.get(code) ?? 0);
        if (d > 0) closes[code] = d;
      }
      let open = 0;
      for (const r of rooms) for (const ws of r.sockets) if (ws?.readyState === ws?.OPEN) open++;
      send({
        type: 'report',
        report: {
          seconds: (performance.now() - base.at) / 1000,
          bots: joined,
          board: describeBoard(rooms[0]?.mirror.board),
          open,
          frames: stats.frames - base.frames,
          bytes: stats.bytes - base.bytes,
          intervalCount: iv.count,
          intervalP50Ms: iv.p50,
          intervalP99Ms: iv.p99,
          intervalMaxMs: iv.max,
          intervalsLate: iv.over,
          tickBytesP50: sizes.p50,
          tickBytesP99: sizes.p99,
          steadyTicks: steady.count,
          steadyTickBytesP50: steady.p50,
          topTicks: stats.topTicks,
          topTickBytesMean: stats.topTicks ? stats.topTickBytes / stats.topTicks : 0,
          ticksMissed: stats.ticksMissed - base.ticksMissed,
          deaths: stats.deaths - base.deaths,
          closes,
          loopDelayP99Ms: Math.max(0, loop.percentile(99) / 1e6 - LOOP_RESOLUTION_MS),
          loopDelayMaxMs: Math.max(0, loop.max / 1e6 - LOOP_RESOLUTION_MS),
        },
      });
    } else if (msg.type === 'stop') {
      for (const r of rooms) r.stop();
      process.exit(0);
    }
  });
}

// The runner passes the config as JSON in argv[2]; if it goes away, so do the bots.
process.on('disconnect', () => process.exit(0));
process.on('uncaughtException', (err) => {
  send({ type: 'failed', error: err.stack ?? String(err) });
  process.exit(1);
});
const raw = process.argv[2];
if (!raw || !process.send) {
  console.error('bench/load.ts is started by bench/run.ts (npm run bench), not by hand');
  process.exit(2);
}
main(JSON.parse(raw) as LoadConfig).catch((err: unknown) => {
  send({ type: 'failed', error: err instanceof Error ? err.message : String(err) });
  // Let the message leave before exiting.
  setTimeout(() => process.exit(1), 100);
});
