// `npm run bench`: how much the server can carry. It starts the built server and N bots in
// another process (bench/load.ts) over R rooms, then measures a window: the server's CPU and
// memory from /proc, its tick timing from /bench/ticks, what the bots received; and the floor
// (bench/floor.ts): the same bytes written by a process with nothing else to do. Prints a table,
// appends it to bench/RESULTS.md. Must not: leave a process running, or hide a saturated load
// generator. Tutorial: docs/tutorial/08-measuring.md; bench/README.md explains every number.

import { existsSync, mkdirSync, readdirSync, appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { GRID_H, GRID_W, MAX_PLAYERS_PER_ROOM, WALL_MODES, type Walls, type WireFormat, isWalls } from '@snakepit/shared';
import { runClientBench } from './client-frame.ts';
import { runLatencyBench } from './latency.ts';
import { runTickCost } from './tick-cost.ts';
import { runLighthouseBench } from './lighthouse.ts';
import type { FromReader, FromWriter, ReaderConfig, ToFloor, WriterConfig } from './floor.ts';
import type { LoadReport } from './load.ts';
import { monotonicUs, profileTable, summariseProfile } from './profile.ts';
import {
  type ChildHandle,
  ROOT,
  SERVER_NODE_ARGS,
  benchServerEnv,
  deadline,
  installCleanup,
  sleep,
  startHelper,
  startLoad,
  startServer,
  tempDir,
} from './procs.ts';
import { CpuWindow, MachineWindow, describeMachine, fmt, machine, markdownTable, rssMb } from './stats.ts';

const RESULTS = join(ROOT, 'bench/RESULTS.md');
/** Cells of board per player when a room holds more than the default 10 (a snake needs room). */
const CELLS_PER_PLAYER = 300;
/** Above this, the bot process is the bottleneck and the numbers describe it, not the server. */
const BOT_SATURATED_PCT = 90;
/** Other processes using more than this (% of one core) make a run's numbers pessimistic. */
const BUSY_MACHINE_PCT = 25;
/** Bot sockets opening at once (over all rooms). */
const CONNECT_CONCURRENCY = 200;

// ---- what to run -----------------------------------------------------------------------------

export interface RunSpec {
  readonly label: string;
  readonly players: number;
  readonly rooms: number;
  readonly durationS: number;
  readonly tickRate: number;
  readonly wire: WireFormat;
  readonly warmupS: number;
  /** Board size; from the room size when not given (see boardFor). */
  readonly grid?: { readonly width: number; readonly height: number };
  /** What the board's edge does (the server's WALLS). */
  readonly walls: Walls;
  /** The server's own bots fill each room to this many snakes (BOTS_MIN_SNAKES); 0: none. */
  readonly bots?: number;
}

/** A target a scenario promises, checked against a run's result. */
interface Target {
  readonly what: string;
  readonly check: (r: RunResult) => { ok: boolean; got: string } | null;
}

interface Scenario {
  readonly name: string;
  readonly about: string;
  readonly runs: RunSpec[];
  readonly targets: Target[];
  /** Measure the floor (bench/floor.ts) after each run. */
  readonly floor: boolean;
}

/**
 * The board for a room of `perRoom` players: the game's default (60x40) up to its default cap
 * of 10, else about CELLS_PER_PLAYER cells per player at 3:2, at most 1000 a side.
 */
export function boardFor(perRoom: number): { width: number; height: number } {
  if (perRoom <= MAX_PLAYERS_PER_ROOM) return { width: GRID_W, height: GRID_H };
  const cells = perRoom * CELLS_PER_PLAYER;
  const width = Math.min(1000, Math.ceil(Math.sqrt(cells * 1.5)));
  return { width, height: Math.min(1000, Math.ceil(cells / width)) };
}

// ---- one run ---------------------------------------------------------------------------------

interface BenchTicks {
  samples: number;
  durationP50Ms: number;
  durationP99Ms: number;
  latenessP50Ms: number;
  latenessP99Ms: number;
  latenessMaxMs: number;
  ticks: number;
  ticksMissed: number;
  messagesIn: number;
  messagesOut: number;
  bytesOut: number;
  sendsSkipped: number;
  slowDropped: number;
  gcCount: number;
  gcTotalMs: number;
  gcMaxMs: number;
  loopDelayP99Ms: number;
  loopDelayMaxMs: number;
}

/** The floor for a run: the same frames to the same number of sockets, by a process doing nothing else. */
export interface FloorResult {
  sockets: number;
  rooms: number;
  payloadBytes: number;
  frameBytes: number;
  durationS: number;
  /** The writer's CPU (% of one core), measured like the server's. */
  cpuPct: number;
  readerCpuPct: number;
  framesPerS: number;
  expectedFramesPerS: number;
  /** Bytes the readers received per socket per second (frame headers included). */
  receivedPerSocketPerS: number;
  latenessP99Ms: number;
  missed: number;
  readersOpenAtEnd: number;
  otherCpuPct: number;
  stealPct: number;
}

export interface RunResult {
  label: string;
  players: number;
  /** The server's own bots' setting (BOTS_MIN_SNAKES); 0: none. */
  bots: number;
  rooms: number;
  tickRate: number;
  wire: WireFormat;
  /** The board the bots saw, e.g. "60x40 solid". */
  grid: string;
  cellsPerPlayer: number;
  durationS: number;
  joinS: number;
  serverCpuPct: number;
  serverRssMb: number;
  serverRssMbEnd: number;
  tickSamples: number;
  tickDurationP50Ms: number;
  tickDurationP99Ms: number;
  tickLatenessP50Ms: number;
  tickLatenessP99Ms: number;
  tickLatenessMaxMs: number;
  /** Garbage collection in the window: share of wall time, longest pause. */
  serverGcPct: number;
  serverGcMaxMs: number;
  serverLoopDelayP99Ms: number;
  serverLoopDelayMaxMs: number;
  serverTicks: number;
  expectedTicks: number;
  ticksMissed: number;
  clientTicksMissed: number;
  clientIntervalP50Ms: number;
  clientIntervalP99Ms: number;
  clientIntervalMaxMs: number;
  clientIntervalsLate: number;
  bytesPerClientPerS: number;
  bytesPerClientPerTick: number;
  tickBytesP50: number;
  tickBytesP99: number;
  /** Share of (decoded) ticks in which only snakes moved, and their p50 size. */
  steadyTickPct: number;
  steadyTickBytesP50: number;
  topTickPct: number;
  topTickBytesMean: number;
  serverBytesOutPerClientPerS: number;
  messagesInPerS: number;
  messagesOutPerS: number;
  sendsSkipped: number;
  slowDropped: number;
  botCpuPct: number;
  botLoopDelayP99Ms: number;
  botsSaturated: boolean;
  botsOpenAtEnd: number;
  deathsPerBotPerMin: number;
  closes: Record<string, number>;
  serverWarnings: number;
  /** CPU used by every other process on the machine during the window (% of one core), and steal. */
  otherCpuPct: number;
  stealPct: number;
  /** Ran under --cpu-prof (its CPU numbers include the profiler's overhead). */
  profiled: boolean;
  /** The measured window on the monotonic clock, µs (to cut profiles to it). */
  window: { fromUs: number; toUs: number };
  /** The floor measured right after this run, when asked for. */
  floor?: FloorResult;
}

function log(msg: string): void {
  console.error(`[bench] ${msg}`);
}

interface RunOptions {
  /** Where the server's --cpu-prof profile goes; null: no profiling. */
  readonly profileDir: string | null;
  /** The same for the bot process. */
  readonly botProfileDir: string | null;
  /** Wait up to this long for other processes to calm down before starting. */
  readonly quietWaitS: number;
}

/** CPU used by everything on the machine for `ms`, in % of one core. */
async function machineBusy(ms: number): Promise<number> {
  const w = new MachineWindow();
  w.start();
  await sleep(ms);
  return w.stop().busyPct;
}

/** Waits (up to `maxS`) until the rest of the machine is nearly idle; says what it found. */
async function waitQuiet(maxS: number): Promise<void> {
  const until = performance.now() + maxS * 1000;
  let busy = await machineBusy(2000);
  if (busy <= BUSY_MACHINE_PCT) return;
  log(`other processes use ${fmt(busy, 0)}% of a core: waiting up to ${maxS} s for a quieter machine (--quiet-wait)`);
  while (performance.now() < until) {
    busy = await machineBusy(5000);
    if (busy <= BUSY_MACHINE_PCT) return log(`machine quiet (${fmt(busy, 0)}%): starting`);
  }
  log(`machine still busy (${fmt(busy, 0)}% of a core): running anyway; see "other processes" in the table`);
}

async function runOnce(spec: RunSpec, opts: RunOptions): Promise<RunResult> {
  if (opts.quietWaitS > 0) await waitQuiet(opts.quietWaitS);
  const perRoom = Math.ceil(spec.players / spec.rooms);
  const grid = spec.grid ?? boardFor(perRoom);
  const env = {
    ...benchServerEnv(tempDir('snakepit-bench-data-')),
    TICK_RATE: String(spec.tickRate),
    MAX_PLAYERS_PER_ROOM: String(Math.max(MAX_PLAYERS_PER_ROOM, perRoom)),
    MAX_ROOMS: String(Math.max(1000, spec.rooms)),
    GRID_WIDTH: String(grid.width),
    GRID_HEIGHT: String(grid.height),
    WALLS: spec.walls,
    WIRE_FORMAT: spec.wire,
    BOTS_MIN_SNAKES: String(spec.bots ?? 0),
  };
  const nodeArgs = opts.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${opts.profileDir}`] : [];
  log(
    `${spec.label}: ${spec.players} bots in ${spec.rooms} room(s), ${spec.tickRate} ticks/s, ${spec.wire}, board ${grid.width}x${grid.height} ${spec.walls}` +
      (spec.bots ? `, server bots up to ${spec.bots} snakes a room` : ''),
  );
  const server = await startServer({ env, nodeArgs });
  log(`server ready on port ${server.port} (pid ${server.pid})${opts.profileDir ? `, profiling to ${opts.profileDir}` : ''}`);
  const load = startLoad(
    {
      port: server.port,
      players: spec.players,
      rooms: spec.rooms,
      wire: spec.wire,
      tickMs: 1000 / spec.tickRate,
      connectConcurrency: CONNECT_CONCURRENCY,
    },
    opts.botProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${opts.botProfileDir}`] : [],
  );
  try {
    const joinMs = 60_000 + spec.players * 40;
    const joined = await load.next('joined', joinMs, (m) => {
      if (m.type === 'progress') log(`  ${m.joined}/${spec.players} bots joined`);
    });
    log(`bot process pid ${load.pid}: ${joined.bots} bots joined in ${fmt(joined.ms / 1000)} s; warming up ${spec.warmupS} s`);
    await sleep(spec.warmupS * 1000);

    // ---- the measured window ----
    await server.json('/bench/reset', 'POST');
    const before = await server.json<BenchTicks>('/bench/ticks');
    const serverCpu = new CpuWindow(server.pid);
    const botCpu = new CpuWindow(load.pid);
    const machineCpu = new MachineWindow();
    serverCpu.start();
    botCpu.start();
    machineCpu.start();
    const runnerCpu0 = process.cpuUsage();
    const started = performance.now();
    const fromUs = monotonicUs();
    load.send({ type: 'measure' });
    await load.next('measuring', 10_000);
    log(`measuring for ${spec.durationS} s`);
    let rssMax = rssMb(server.pid);
    const endAt = started + spec.durationS * 1000;
    let shown = 0;
    while (performance.now() < endAt) {
      await sleep(Math.min(1000, endAt - performance.now()));
      rssMax = Math.max(rssMax, rssMb(server.pid));
      const elapsed = Math.floor((performance.now() - started) / 1000);
      if (elapsed >= shown + 15 && performance.now() < endAt - 2000) {
        shown = elapsed;
        log(`  ${elapsed} s`);
      }
      if (server.child.exitCode !== null || server.child.signalCode !== null)
        throw new Error(`the server died during the run:\n${server.tail()}`);
    }
    const after = await server.json<BenchTicks>('/bench/ticks');
    const serverCpuPct = serverCpu.stop();
    const botCpuPct = botCpu.stop();
    const whole = machineCpu.stop();
    const seconds = (performance.now() - started) / 1000;
    const runner = process.cpuUsage(runnerCpu0);
    const runnerPct = ((runner.user + runner.system) / 1e6 / seconds) * 100;
    const otherPct = whole.busyPct - serverCpuPct - botCpuPct - runnerPct;
    const toUs = monotonicUs();
    const rssEnd = rssMb(server.pid);
    load.send({ type: 'report' });
    const { report } = await load.next('report', 30_000);
    return {
      ...result(
        spec,
        grid,
        joined.ms,
        seconds,
        { serverCpuPct, botCpuPct, rssMax: Math.max(rssMax, rssEnd), rssEnd },
        before,
        after,
        report,
        server.warnings.length,
      ),
      otherCpuPct: round(Math.max(0, otherPct), 1),
      stealPct: round(whole.stealPct, 1),
      profiled: opts.profileDir !== null || opts.botProfileDir !== null,
      window: { fromUs, toUs },
    };
  } finally {
    await load.stop();
    // A --cpu-prof server writes its profile while exiting: give it time.
    await server.stop(opts.profileDir ? 60_000 : 10_000);
    log(`stopped the bot process (pid ${load.pid}) and the server (pid ${server.pid})`);
  }
}

/**
 * The floor for `run`: bench/floor.ts writes a frame of the run's mean payload per client per
 * tick to as many loopback sockets, in as many rooms, at the same tick rate, and a reader process
 * drains them. The writer's CPU is measured over a window as long as the run's, after the same
 * warm-up. Both processes are ended by PID whatever happens.
 */
async function runFloor(spec: RunSpec, run: RunResult, opts: RunOptions): Promise<FloorResult> {
  const payloadBytes = Math.max(1, Math.round(run.bytesPerClientPerTick));
  if (opts.quietWaitS > 0) await waitQuiet(opts.quietWaitS);
  const config: WriterConfig = { sockets: spec.players, rooms: spec.rooms, payloadBytes, tickRate: spec.tickRate };
  log(
    `floor: ${spec.players} loopback sockets in ${spec.rooms} room(s), a ${payloadBytes}-byte payload each per tick at ${spec.tickRate} ticks/s`,
  );
  const writer = startHelper<ToFloor, FromWriter>('floor.ts', ['writer', JSON.stringify(config)], SERVER_NODE_ARGS);
  let reader: ChildHandle<ToFloor, FromReader> | null = null;
  try {
    const { port } = await writer.next('listening', 30_000);
    const readerConfig: ReaderConfig = { port, sockets: spec.players, concurrency: CONNECT_CONCURRENCY };
    reader = startHelper<ToFloor, FromReader>('floor.ts', ['reader', JSON.stringify(readerConfig)]);
    const connectMs = 30_000 + spec.players * 10;
    await Promise.all([writer.next('accepted', connectMs), reader.next('connected', connectMs)]);
    writer.send({ type: 'start' });
    await writer.next('writing', 10_000);
    log(`floor writer pid ${writer.pid}, reader pid ${reader.pid}: writing; warming up ${spec.warmupS} s`);
    await sleep(spec.warmupS * 1000);

    const writerCpu = new CpuWindow(writer.pid);
    const readerCpu = new CpuWindow(reader.pid);
    const machineCpu = new MachineWindow();
    writerCpu.start();
    readerCpu.start();
    machineCpu.start();
    const runnerCpu0 = process.cpuUsage();
    const started = performance.now();
    writer.send({ type: 'measure' });
    reader.send({ type: 'measure' });
    await Promise.all([writer.next('measuring', 10_000), reader.next('measuring', 10_000)]);
    log(`floor: measuring for ${spec.durationS} s`);
    const endAt = started + spec.durationS * 1000;
    while (performance.now() < endAt) {
      await sleep(Math.min(1000, endAt - performance.now()));
      for (const [who, child] of [
        ['writer', writer.child],
        ['reader', reader.child],
      ] as const) {
        if (child.exitCode !== null || child.signalCode !== null) throw new Error(`the floor ${who} died during the run`);
      }
    }
    const cpuPct = writerCpu.stop();
    const readerCpuPct = readerCpu.stop();
    const whole = machineCpu.stop();
    const seconds = (performance.now() - started) / 1000;
    const runner = process.cpuUsage(runnerCpu0);
    const runnerPct = ((runner.user + runner.system) / 1e6 / seconds) * 100;
    writer.send({ type: 'report' });
    reader.send({ type: 'report' });
    const [w, r] = await Promise.all([writer.next('report', 10_000), reader.next('report', 10_000)]);
    return {
      sockets: spec.players,
      rooms: spec.rooms,
      payloadBytes,
      frameBytes: w.report.frameBytes,
      durationS: round(seconds, 2),
      cpuPct: round(cpuPct, 1),
      readerCpuPct: round(readerCpuPct, 1),
      framesPerS: round(w.report.frames / w.report.seconds, 0),
      expectedFramesPerS: round(spec.players * spec.tickRate, 0),
      receivedPerSocketPerS: round(r.report.bytes / spec.players / r.report.seconds, 1),
      latenessP99Ms: round(w.report.latenessP99Ms, 2),
      missed: w.report.missed,
      readersOpenAtEnd: r.report.open,
      otherCpuPct: round(Math.max(0, whole.busyPct - cpuPct - readerCpuPct - runnerPct), 1),
      stealPct: round(whole.stealPct, 1),
    };
  } finally {
    await reader?.stop();
    await writer.stop();
    log(`stopped the floor's reader (pid ${reader?.pid ?? '-'}) and writer (pid ${writer.pid})`);
  }
}

function result(
  spec: RunSpec,
  grid: { width: number; height: number },
  joinMs: number,
  seconds: number,
  proc: { serverCpuPct: number; botCpuPct: number; rssMax: number; rssEnd: number },
  before: BenchTicks,
  after: BenchTicks,
  bots: LoadReport,
  serverWarnings: number,
): Omit<RunResult, 'profiled' | 'window' | 'otherCpuPct' | 'stealPct'> {
  const ticks = after.ticks - before.ticks;
  const ticksPerRoom = ticks / spec.rooms;
  const perRoom = Math.ceil(spec.players / spec.rooms);
  return {
    label: spec.label,
    players: spec.players,
    bots: spec.bots ?? 0,
    rooms: spec.rooms,
    tickRate: spec.tickRate,
    wire: spec.wire,
    grid: bots.board,
    cellsPerPlayer: Math.round((grid.width * grid.height) / perRoom),
    durationS: round(seconds, 2),
    joinS: round(joinMs / 1000, 1),
    serverCpuPct: round(proc.serverCpuPct, 1),
    serverRssMb: round(proc.rssMax, 1),
    serverRssMbEnd: round(proc.rssEnd, 1),
    tickSamples: after.samples,
    tickDurationP50Ms: round(after.durationP50Ms, 3),
    tickDurationP99Ms: round(after.durationP99Ms, 3),
    tickLatenessP50Ms: round(after.latenessP50Ms, 3),
    tickLatenessP99Ms: round(after.latenessP99Ms, 3),
    tickLatenessMaxMs: round(after.latenessMaxMs, 3),
    serverGcPct: round((after.gcTotalMs / (seconds * 1000)) * 100, 1),
    serverGcMaxMs: round(after.gcMaxMs, 1),
    serverLoopDelayP99Ms: round(after.loopDelayP99Ms, 1),
    serverLoopDelayMaxMs: round(after.loopDelayMaxMs, 1),
    serverTicks: ticks,
    expectedTicks: Math.round(spec.rooms * spec.tickRate * seconds),
    ticksMissed: after.ticksMissed - before.ticksMissed,
    clientTicksMissed: bots.ticksMissed,
    clientIntervalP50Ms: round(bots.intervalP50Ms, 2),
    clientIntervalP99Ms: round(bots.intervalP99Ms, 2),
    clientIntervalMaxMs: round(bots.intervalMaxMs, 2),
    clientIntervalsLate: bots.intervalsLate,
    bytesPerClientPerS: round(bots.bytes / spec.players / bots.seconds, 1),
    bytesPerClientPerTick: round(ticksPerRoom > 0 ? bots.bytes / spec.players / ticksPerRoom : 0, 2),
    tickBytesP50: bots.tickBytesP50,
    tickBytesP99: bots.tickBytesP99,
    steadyTickPct: round(bots.intervalCount ? (bots.steadyTicks / bots.intervalCount) * 100 : 0, 1),
    steadyTickBytesP50: bots.steadyTickBytesP50,
    topTickPct: round(bots.intervalCount ? (bots.topTicks / bots.intervalCount) * 100 : 0, 1),
    topTickBytesMean: round(bots.topTickBytesMean, 1),
    serverBytesOutPerClientPerS: round((after.bytesOut - before.bytesOut) / spec.players / seconds, 1),
    messagesInPerS: round((after.messagesIn - before.messagesIn) / seconds, 0),
    messagesOutPerS: round((after.messagesOut - before.messagesOut) / seconds, 0),
    sendsSkipped: after.sendsSkipped - before.sendsSkipped,
    slowDropped: after.slowDropped - before.slowDropped,
    botCpuPct: round(proc.botCpuPct, 1),
    botLoopDelayP99Ms: round(bots.loopDelayP99Ms, 1),
    botsSaturated: proc.botCpuPct > BOT_SATURATED_PCT,
    botsOpenAtEnd: bots.open,
    deathsPerBotPerMin: round(bots.deaths / spec.players / (bots.seconds / 60), 2),
    closes: bots.closes,
    serverWarnings,
  };
}

function round(n: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

// ---- output ----------------------------------------------------------------------------------

type Row = [string, (r: RunResult) => string];

/** The floor's rows, right under the server's CPU; shown when some run measured a floor. */
const FLOOR_ROWS: Row[] = [
  [
    'floor CPU (% of one core): same sockets, frame, rate',
    (r) => (r.floor ? `${fmt(r.floor.cpuPct, 1)} (${r.floor.frameBytes}-byte frames)` : '-'),
  ],
  ['server CPU / floor CPU', (r) => (r.floor && r.floor.cpuPct > 0 ? `${fmt(r.serverCpuPct / r.floor.cpuPct, 2)}x` : '-')],
  [
    'floor: frames written per s / expected, lateness p99 (ms)',
    (r) => (r.floor ? `${fmt(r.floor.framesPerS, 0)} / ${fmt(r.floor.expectedFramesPerS, 0)}, ${fmt(r.floor.latenessP99Ms, 2)}` : '-'),
  ],
  [
    'floor: reader CPU %, other processes CPU %',
    (r) => (r.floor ? `${fmt(r.floor.readerCpuPct, 1)}, ${fmt(r.floor.otherCpuPct, 1)}` : '-'),
  ],
];

const ROWS: Row[] = [
  ['players / rooms', (r) => `${r.players} / ${r.rooms}`],
  ['tick rate (ticks/s), wire', (r) => `${r.tickRate}, ${r.wire}`],
  ['board, walls (cells per player)', (r) => `${r.grid} (${r.cellsPerPlayer})`],
  ['measured window (s)', (r) => fmt(r.durationS, 1)],
  ['server CPU (% of one core)', (r) => fmt(r.serverCpuPct, 1)],
  ['server RSS max / end (MB)', (r) => `${fmt(r.serverRssMb, 0)} / ${fmt(r.serverRssMbEnd, 0)}`],
  ['tick duration p50 / p99 (ms)', (r) => `${fmt(r.tickDurationP50Ms, 3)} / ${fmt(r.tickDurationP99Ms, 3)}`],
  [
    'tick lateness p50 / p99 / max (ms)',
    (r) => `${fmt(r.tickLatenessP50Ms, 2)} / ${fmt(r.tickLatenessP99Ms, 2)} / ${fmt(r.tickLatenessMaxMs, 1)}`,
  ],
  ['server GC: % of wall time, longest pause (ms)', (r) => `${fmt(r.serverGcPct, 1)}%, ${fmt(r.serverGcMaxMs, 1)}`],
  ['server event-loop delay p99 / max (ms)', (r) => `${fmt(r.serverLoopDelayP99Ms, 1)} / ${fmt(r.serverLoopDelayMaxMs, 1)}`],
  ['ticks run / expected (all rooms)', (r) => `${r.serverTicks} / ${r.expectedTicks}`],
  ['ticks missed: server / client gaps', (r) => `${r.ticksMissed} / ${r.clientTicksMissed}`],
  [
    'client tick interval p50 / p99 / max (ms)',
    (r) => `${fmt(r.clientIntervalP50Ms, 1)} / ${fmt(r.clientIntervalP99Ms, 1)} / ${fmt(r.clientIntervalMaxMs, 0)}`,
  ],
  ['client interval p99 / nominal', (r) => `${fmt((r.clientIntervalP99Ms * r.tickRate) / 1000, 2)}x`],
  ['client intervals > 1.5 ticks', (r) => String(r.clientIntervalsLate)],
  ['payload bytes per client per s', (r) => fmt(r.bytesPerClientPerS, 0)],
  ['payload bytes per client per tick (mean)', (r) => fmt(r.bytesPerClientPerTick, 1)],
  ['tick message bytes p50 / p99', (r) => `${r.tickBytesP50} / ${r.tickBytesP99}`],
  ['steady ticks (moves only): % of ticks, bytes p50', (r) => `${fmt(r.steadyTickPct, 1)}%, ${r.steadyTickBytesP50}`],
  ['ticks with top-score table: %, mean bytes', (r) => `${fmt(r.topTickPct, 1)}%, ${fmt(r.topTickBytesMean, 0)}`],
  ['messages per s in / out (server)', (r) => `${fmt(r.messagesInPerS, 0)} / ${fmt(r.messagesOutPerS, 0)}`],
  ['sends skipped / slow sockets dropped', (r) => `${r.sendsSkipped} / ${r.slowDropped}`],
  ['bot process CPU (% of one core)', (r) => `${fmt(r.botCpuPct, 1)}${r.botsSaturated ? ' SATURATED' : ''}`],
  ['bot event-loop delay p99 (ms)', (r) => fmt(r.botLoopDelayP99Ms, 1)],
  ['bots open at end, deaths per bot-min', (r) => `${r.botsOpenAtEnd}, ${fmt(r.deathsPerBotPerMin, 2)}`],
  ['server warnings logged', (r) => String(r.serverWarnings)],
  ['other processes on the machine: CPU %, steal %', (r) => `${fmt(r.otherCpuPct, 1)}, ${fmt(r.stealPct, 1)}`],
];

function resultsTable(results: readonly RunResult[]): string {
  const cpuRow = ROWS.findIndex(([name]) => name.startsWith('server CPU')) + 1;
  const rows = results.some((r) => r.floor) ? [...ROWS.slice(0, cpuRow), ...FLOOR_ROWS, ...ROWS.slice(cpuRow)] : ROWS;
  return markdownTable(
    ['metric', ...results.map((r) => r.label)],
    rows.map(([name, get]) => [name, ...results.map(get)]),
  );
}

function warningsFor(results: readonly RunResult[]): string[] {
  const out: string[] = [];
  for (const r of results) {
    if (r.botsSaturated) {
      out.push(
        `!!! ${r.label}: THE BOT PROCESS WAS SATURATED (${fmt(r.botCpuPct, 0)}% of a core, event-loop delay p99 ${fmt(r.botLoopDelayP99Ms, 0)} ms): ` +
          'the client-side numbers (intervals, bytes) describe the bots, not the server.',
      );
    }
    if (r.botsOpenAtEnd < r.players)
      out.push(
        `${r.label}: only ${r.botsOpenAtEnd} of ${r.players} bot sockets were open at the end (closes: ${JSON.stringify(r.closes)}).`,
      );
    if (r.serverCpuPct + r.botCpuPct > 180)
      out.push(
        `${r.label}: server + bots used ${fmt(r.serverCpuPct + r.botCpuPct, 0)}% of this machine's ${machine().cores * 100}%: they compete for cores.`,
      );
    if (r.otherCpuPct > BUSY_MACHINE_PCT) {
      out.push(
        `!!! ${r.label}: OTHER PROCESSES used ${fmt(r.otherCpuPct, 0)}% of a core during the window (this machine is shared): ` +
          'the server had less CPU than the machine has; treat timings as pessimistic and rerun on a quiet machine.',
      );
    }
    if (r.profiled) out.push(`${r.label}: ran under --cpu-prof; CPU and tick times include the profiler's overhead.`);
    const f = r.floor;
    if (f && f.otherCpuPct > BUSY_MACHINE_PCT) {
      out.push(
        `!!! ${r.label}: OTHER PROCESSES used ${fmt(f.otherCpuPct, 0)}% of a core during the floor's window: the floor (and the ratio) may be off.`,
      );
    }
    if (f && (f.framesPerS < f.expectedFramesPerS * 0.95 || f.readersOpenAtEnd < f.sockets)) {
      out.push(
        `${r.label}: the floor wrote ${fmt(f.framesPerS, 0)} of ${fmt(f.expectedFramesPerS, 0)} frames/s with ${f.readersOpenAtEnd} of ${f.sockets} sockets open: it did not keep the rate.`,
      );
    }
  }
  return out;
}

function targetLines(scenario: Scenario, results: readonly RunResult[]): string[] {
  const lines: string[] = [];
  for (const t of scenario.targets) {
    for (const r of results) {
      const v = t.check(r);
      if (v) lines.push(`- ${r.label}: ${t.what}: ${v.got} -> ${v.ok ? 'PASS' : 'MISS'}`);
    }
  }
  return lines;
}

/** Appends one section to bench/RESULTS.md (creating it with a header the first time). */
export function appendResults(title: string, body: string): void {
  if (!existsSync(RESULTS)) {
    writeFileSync(
      RESULTS,
      '# Benchmark results\n\nAppended by `npm run bench` (bench/run.ts), newest last. bench/README.md says how each number is measured.\n',
    );
  }
  const m = machine();
  const cmd = `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`;
  const when = new Date().toISOString().replace('T', ' ').slice(0, 16);
  appendFileSync(RESULTS, `\n## ${when} UTC: ${title}\n\n- Machine: ${describeMachine(m)}\n- Command: \`${cmd}\`\n\n${body.trim()}\n`);
}

// ---- scenarios -------------------------------------------------------------------------------

interface Args {
  players?: number;
  rooms?: number;
  duration?: number;
  tickRate?: number;
  wire?: WireFormat;
  warmup?: number;
  grid?: { width: number; height: number };
  walls?: Walls;
  /** Measure the floor after each run (capacity and floor always do). */
  floor?: boolean;
  /** BOTS_MIN_SNAKES for the server (--bots). */
  bots?: number;
}

function lateness10(r: RunResult) {
  return { ok: r.tickLatenessP99Ms <= 10, got: `${fmt(r.tickLatenessP99Ms, 2)} ms` };
}

function scenarioFor(name: string | undefined, a: Args): Scenario {
  const spec = (label: string, s: Partial<RunSpec> & { players: number; rooms: number }): RunSpec => ({
    label,
    durationS: a.duration ?? 30,
    tickRate: a.tickRate ?? 10,
    wire: a.wire ?? 'binary',
    warmupS: a.warmup ?? 3,
    walls: a.walls ?? 'solid',
    ...(a.grid ? { grid: a.grid } : {}),
    ...(a.bots ? { bots: a.bots } : {}),
    ...s,
  });
  switch (name) {
    case 'capacity':
    case 'floor': {
      const players = a.players ?? 5000;
      const rooms = a.rooms ?? Math.ceil(players / 10);
      return {
        name,
        floor: true,
        about:
          `${name}: ${players} bots in ${rooms} rooms of ${Math.ceil(players / rooms)} at ${a.tickRate ?? 10} ticks/s; ` +
          'then the floor: a plain Node process writing frames of the mean size to as many loopback sockets at the same rate',
        runs: [spec(`${players} bots / ${rooms} rooms`, { players, rooms, durationS: a.duration ?? 60 })],
        targets: [
          { what: 'tick lateness p99 <= 10 ms', check: lateness10 },
          {
            what: 'no tick missed (server / client gaps)',
            check: (r) => ({ ok: r.ticksMissed === 0 && r.clientTicksMissed === 0, got: `${r.ticksMissed} / ${r.clientTicksMissed}` }),
          },
          { what: 'server CPU <= 100% of one core', check: (r) => ({ ok: r.serverCpuPct <= 100, got: `${fmt(r.serverCpuPct, 1)}%` }) },
        ],
      };
    }
    case 'original': {
      const sizes = a.players ? [a.players] : [100, 1000, 2000];
      const tickRate = a.tickRate ?? 2.3;
      return {
        name,
        about: `original: one room at ${tickRate} ticks/s (the Python snakepit's rate) with ${sizes.join(', ')} players`,
        floor: a.floor ?? false,
        runs: sizes.map((players) => spec(`${players} in 1 room`, { players, rooms: 1, tickRate, durationS: a.duration ?? 60 })),
        targets: [
          {
            what: 'CPU vs the Python original (~25% of a core at 100 players)',
            check: (r) => (r.players === 100 ? { ok: r.serverCpuPct <= 25, got: `${fmt(r.serverCpuPct, 1)}%` } : null),
          },
          {
            what: 'client tick interval p99 under 1.2x nominal (where the original slipped, at 100-150 players)',
            check: (r) => {
              const x = (r.clientIntervalP99Ms * r.tickRate) / 1000;
              return { ok: x < 1.2, got: `${fmt(x, 2)}x (lateness p99 ${fmt(r.tickLatenessP99Ms, 2)} ms)` };
            },
          },
        ],
      };
    }
    case 'bytes': {
      const wires: WireFormat[] = a.wire ? [a.wire] : ['binary', 'json'];
      const players = a.players ?? 10;
      return {
        name,
        about: `bytes: one steady room of ${players} snakes, payload per tick per client, ${wires.join(' and ')}`,
        floor: a.floor ?? false,
        runs: wires.map((wire) => spec(`${players} snakes, ${wire}`, { players, rooms: 1, wire })),
        targets: [
          {
            what: 'payload per tick per client <= 40 bytes, mean over every tick (binary)',
            check: (r) => (r.wire === 'binary' ? { ok: r.bytesPerClientPerTick <= 40, got: `${fmt(r.bytesPerClientPerTick, 1)} B` } : null),
          },
          {
            what: 'steady tick (only moves) <= 40 bytes (binary)',
            check: (r) =>
              r.wire === 'binary'
                ? { ok: r.steadyTickBytesP50 <= 40, got: `${r.steadyTickBytesP50} B p50 (${fmt(r.steadyTickPct, 0)}% of ticks)` }
                : null,
          },
        ],
      };
    }
    case 'bots': {
      // One person (a load bot) per room, the server's bots on and off: what the bots add to a tick.
      const rooms = a.rooms ?? 100;
      const fill = a.bots ?? 10;
      return {
        name,
        about: `bots: ${rooms} rooms with one person each, the server's bots off, then filling each room to ${fill} snakes`,
        floor: a.floor ?? false,
        runs: [
          spec(`${rooms} rooms x 1 person, no bots`, { players: rooms, rooms, bots: 0 }),
          spec(`${rooms} rooms x 1 person + ${fill - 1} bots`, { players: rooms, rooms, bots: fill }),
        ],
        targets: [{ what: 'tick lateness p99 <= 10 ms (with bots)', check: (r) => (r.bots ? lateness10(r) : null) }],
      };
    }
    case undefined: {
      const players = a.players ?? 100;
      const rooms = a.rooms ?? Math.max(1, Math.ceil(players / 10));
      return {
        name: 'custom',
        about: `${players} bots in ${rooms} room(s)${a.floor ? '; then the floor' : ''}`,
        runs: [spec(`${players} bots / ${rooms} rooms`, { players, rooms })],
        targets: [],
        floor: a.floor ?? false,
      };
    }
    default:
      throw new UsageError(`unknown scenario "${name}": use capacity, floor, original, bytes, bots, client, latency or lighthouse`);
  }
}

class UsageError extends Error {}

const USAGE = `usage: npm run bench -- [options]
  --players N        bots (default 100; capacity 5000; original 100,1000,2000; bytes 10)
  --rooms R          rooms, N spread evenly (default N/10)
  --duration S       measured seconds after warm-up (default 30; capacity and original 60)
  --tick-rate HZ     ticks per second (default 10; original 2.3)
  --wire F           binary (default) or json
  --warmup S         seconds after every bot joined, before measuring (default 3)
  --grid WxH         board size (default: 60x40 up to 10 per room, else ~${CELLS_PER_PLAYER} cells per player)
  --walls W          solid (default) or wrap: what the board's edge does
  --scenario NAME    capacity | floor | original | bytes | bots | client | latency | lighthouse (the issue's targets, one
                     command each; capacity and floor also measure the floor: the same bytes written by plain Node;
                     bots: rooms of one person with the server's bots off, then on)
  --bots N           the server's own bots fill each room to N snakes (BOTS_MIN_SNAKES; default 0)
  --floor            measure the floor after every run of any scenario
  --client           same as --scenario client: browser frame time and bundle size
  --latency          same as --scenario latency: key press to the drawn head (lag 0 and 150 ms,
                     prediction on and off) and stall frames under jitter (buffer vs arrival pacing);
                     --samples presses per page (default 40), --duration s per stall window (default
                     45), --players bots in the stall room (default 4)
  --lighthouse       same as --scenario lighthouse: Lighthouse's default mobile audit of the built
                     page (scores, first contentful paint, total blocking time...); --report FILE
                     also writes Lighthouse's whole JSON report there
  --samples N        latency: kept key presses per page configuration (default 40); tick cost:
                     samples per checkout (default 7); lighthouse: audits, the median reported (default 5)
  --tick-cost        CPU of the game's own code per room tick (no sockets), 200 rooms x 10;
                     --against DIR compares with another built checkout (e.g. a git worktree);
                     with --lighthouse, audits the page DIR's built server serves instead
  --profile          run the server under --cpu-prof and summarise the top functions (with --client:
                     the page's JavaScript, recorded through DevTools)
  --profile-bots     the same for the bot process (to see what limits the load generator)
  --quiet-wait S     wait up to S s for other processes to go quiet before each run (default 60; 0: don't)
  --json             end with one JSON line per run (the last line is the last run)
  --no-append        do not append to bench/RESULTS.md`;

const BENCH_OPTIONS = {
  players: { type: 'string' as const },
  rooms: { type: 'string' as const },
  duration: { type: 'string' as const },
  'tick-rate': { type: 'string' as const },
  wire: { type: 'string' as const },
  warmup: { type: 'string' as const },
  grid: { type: 'string' as const },
  walls: { type: 'string' as const },
  bots: { type: 'string' as const },
  floor: { type: 'boolean' as const },
  scenario: { type: 'string' as const },
  client: { type: 'boolean' as const },
  latency: { type: 'boolean' as const },
  'tick-cost': { type: 'boolean' as const },
  against: { type: 'string' as const },
  lighthouse: { type: 'boolean' as const },
  samples: { type: 'string' as const },
  profile: { type: 'boolean' as const },
  'profile-bots': { type: 'boolean' as const },
  'quiet-wait': { type: 'string' as const },
  report: { type: 'string' as const },
  json: { type: 'boolean' as const },
  'no-append': { type: 'boolean' as const },
  help: { type: 'boolean' as const, short: 'h' },
};

async function main(): Promise<number> {
  installCleanup();
  let parsed: ReturnType<typeof parseArgs<{ options: typeof BENCH_OPTIONS }>>;
  try {
    parsed = parseArgs({ options: BENCH_OPTIONS });
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
  const { values } = parsed;
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const num = (name: string, v: string | undefined, min: number): number | undefined => {
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isFinite(n) || n < min) throw new UsageError(`--${name} must be a number >= ${min}, got "${v}"`);
    return n;
  };
  const wire = values.wire;
  if (wire !== undefined && wire !== 'binary' && wire !== 'json') throw new UsageError(`--wire must be binary or json, got "${wire}"`);
  const walls = values.walls;
  if (walls !== undefined && !isWalls(walls)) throw new UsageError(`--walls must be ${WALL_MODES.join(' or ')}, got "${walls}"`);
  let grid: Args['grid'];
  if (values.grid !== undefined) {
    const m = /^(\d+)x(\d+)$/.exec(values.grid);
    if (!m) throw new UsageError(`--grid must look like 400x300, got "${values.grid}"`);
    grid = { width: Number(m[1]), height: Number(m[2]) };
  }
  const args: Args = {
    players: num('players', values.players, 1),
    rooms: num('rooms', values.rooms, 1),
    duration: num('duration', values.duration, 1),
    tickRate: num('tick-rate', values['tick-rate'], 0.1),
    wire,
    warmup: num('warmup', values.warmup, 0),
    grid,
    walls,
    floor: values.floor,
    bots: num('bots', values.bots, 0),
  };
  if (args.players !== undefined && args.rooms !== undefined && args.rooms > args.players)
    throw new UsageError('--rooms cannot exceed --players');
  const append = !values['no-append'];

  if (values.client || values.scenario === 'client') {
    let profileFile: string | null = null;
    if (values.profile) {
      const dir = join(ROOT, 'bench/profiles', `${new Date().toISOString().replace(/[:.]/g, '-')}-client`);
      mkdirSync(dir, { recursive: true });
      profileFile = join(dir, 'page.cpuprofile');
    }
    const r = await runClientBench({
      durationS: args.duration ?? 20,
      tickRate: args.tickRate ?? 10,
      wire: args.wire ?? 'binary',
      profileFile,
    });
    console.log(`\n${r.markdown}\n`);
    if (append) appendResults('client frame time and bundle size', r.markdown);
    if (values.json) console.log(JSON.stringify(r.json));
    return 0;
  }

  if (values['tick-cost']) {
    const r = runTickCost({ against: values.against ?? null, samples: num('samples', values.samples, 1) ?? 7 });
    console.log(`\n${r.markdown}\n`);
    if (append) appendResults('tick cost', r.markdown);
    if (values.json) console.log(JSON.stringify(r.json));
    return 0;
  }

  if (values.lighthouse || values.scenario === 'lighthouse') {
    // Lighthouse scales the CPU time it sees: start on a quiet machine.
    const quietWaitS = num('quiet-wait', values['quiet-wait'], 0) ?? 60;
    if (quietWaitS > 0) await waitQuiet(quietWaitS);
    const r = await runLighthouseBench(num('samples', values.samples, 1) ?? 5, values.report, values.against);
    console.log(`\n${r.markdown}\n`);
    if (append) appendResults('lighthouse: the page on a simulated phone', r.markdown);
    if (values.json) console.log(JSON.stringify(r.json));
    return 0;
  }

  if (values.latency || values.scenario === 'latency') {
    // The page's frame rate is part of what is measured: start on a quiet machine.
    const quietWaitS = num('quiet-wait', values['quiet-wait'], 0) ?? 60;
    if (quietWaitS > 0) await waitQuiet(quietWaitS);
    const r = await runLatencyBench({
      samples: num('samples', values.samples, 1) ?? 40,
      stallS: args.duration ?? 45,
      tickRate: args.tickRate ?? 10,
      wire: args.wire ?? 'binary',
      bots: args.players ?? 4,
    });
    console.log(`\n${r.markdown}\n`);
    if (append) appendResults('latency: key to drawn head, stall frames', r.markdown);
    if (values.json) console.log(JSON.stringify(r.json));
    return 0;
  }

  const scenario = scenarioFor(values.scenario, args);
  if (!existsSync(join(ROOT, 'server/dist/main.js'))) throw new UsageError('server/dist/main.js is missing: run `npm run build` first');
  log(`${scenario.about}; machine: ${describeMachine(machine())}`);
  const results: RunResult[] = [];
  const profiles: string[] = [];
  for (const spec of scenario.runs) {
    const stamp = `${new Date().toISOString().replace(/[:.]/g, '-')}-${spec.players}p`;
    const dirFor = (on: boolean | undefined, who: string) => {
      if (!on) return null;
      const dir = join(ROOT, 'bench/profiles', `${stamp}-${who}`);
      mkdirSync(dir, { recursive: true });
      return dir;
    };
    const profileDir = dirFor(values.profile, 'server');
    const botProfileDir = dirFor(values['profile-bots'], 'bots');
    // Bounded: joining, warm-up, the window, and generous margins for start and stop.
    const limitMs = (120 + spec.players * 0.04 + spec.warmupS + spec.durationS + (profileDir ? 90 : 30)) * 1000;
    const quietWaitS = num('quiet-wait', values['quiet-wait'], 0) ?? 60;
    const opts: RunOptions = { profileDir, botProfileDir, quietWaitS };
    const r = await deadline(runOnce(spec, opts), limitMs + quietWaitS * 1000, `the run "${spec.label}"`);
    if (scenario.floor) {
      const floorMs = (90 + spec.players * 0.02 + spec.warmupS + spec.durationS + quietWaitS) * 1000;
      r.floor = await deadline(
        runFloor(spec, r, { ...opts, profileDir: null, botProfileDir: null }),
        floorMs,
        `the floor after "${spec.label}"`,
      );
    }
    results.push(r);
    console.log(`\n${resultsTable([r])}\n`);
    for (const w of warningsFor([r])) console.log(w);
    for (const [who, dir] of [
      ['Server', profileDir],
      ['Bot process', botProfileDir],
    ] as const) {
      if (!dir) continue;
      // CPU.<date>.<time>.<pid>.<thread>.<seq>.cpuprofile: thread 0 is the main thread (tsx's
      // module-loader thread writes one too).
      const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
      const file = files.find((f) => /\.\d+\.0\.\d+\.cpuprofile$/.test(f)) ?? files.sort().at(-1);
      if (!file) {
        console.log(`no .cpuprofile was written in ${dir}`);
        continue;
      }
      const summary = summariseProfile(join(dir, file), 25, r.window);
      const text =
        `${who} CPU profile (${spec.label}), measured window only: ${fmt(summary.busyMs / 1000, 1)} s busy of ${fmt(summary.totalMs / 1000, 1)} s sampled; ` +
        `top 25 by self time, % of busy (non-idle) time. File: ${join(dir, file).slice(ROOT.length)}\n\n${profileTable(summary)}`;
      profiles.push(text);
      console.log(`\n${text}\n`);
    }
  }

  const targets = targetLines(scenario, results);
  const warnings = warningsFor(results);
  const body = [
    `${scenario.about}. Server: \`node ${SERVER_NODE_ARGS.join(' ')} server/dist/main.js\`${values.profile ? ' under --cpu-prof' : ''}; bots: bench/load.ts in a second process${values['profile-bots'] ? ' under --cpu-prof' : ''}.`,
    resultsTable(results),
    targets.length ? `Targets:\n${targets.join('\n')}` : '',
    warnings.length ? `Warnings:\n${warnings.map((w) => `- ${w}`).join('\n')}` : '',
    ...profiles,
  ]
    .filter(Boolean)
    .join('\n\n');
  if (results.length > 1) console.log(`\n${resultsTable(results)}\n`);
  if (targets.length) console.log(`Targets:\n${targets.join('\n')}\n`);
  if (append) {
    appendResults(`${scenario.name}`, body);
    log(`appended to bench/RESULTS.md`);
  }
  if (values.json) for (const r of results) console.log(JSON.stringify({ scenario: scenario.name, ...r }));
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    if (err instanceof UsageError) {
      console.error(`${err.message}\n\n${USAGE}`);
      process.exit(2);
    }
    console.error(`[bench] failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
