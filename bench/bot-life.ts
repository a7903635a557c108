// How long the server's bots live: N bots on the default board, stepped directly (no server, no
// clock: the same seed gives the same figures), deciding with the room's BotBrains and sending
// their turns with rising seqs, at most one a tick, as the room queues them. A dead bot plays
// again after BOT_RESPAWN_S, as in a room. Prints the median life in seconds of game time.
// Then what bots cost a room's tick: a real Room (rooms/room.ts) with one person, its bots off
// and then filling it to N snakes, tick() timed in this process (steps, bots' thinking, encoding).
// Must not: read the wall clock for anything that changes the result (thinking is timed only
// to report its cost). Tutorial: docs/tutorial/08-measuring.md
//
//   node --conditions=source --import tsx bench/bot-life.ts [--bots 10] [--seconds 60] [--seeds 5]

import { parseArgs } from 'node:util';
import { type Dir, FOOD_BASE, FOOD_PER_SNAKE, GRID_H, GRID_W, MAX_PLAYERS_PER_ROOM, TICK_RATE, createGame, step } from '@snakepit/shared';
import { BOT_RESPAWN_S, BotBrains } from '../server/src/bots/crew.ts';
import { Room } from '../server/src/rooms/room.ts';
import { percentile } from './stats.ts';

export interface LifeReport {
  /** Lives that ended (died) within the run, and those still going at its end, in seconds. */
  readonly ended: number[];
  readonly running: number[];
  /** Median over every life, a running one counted at its length so far (so a lower bound). */
  readonly medianS: number;
  /** Per tick, the time all bots took to decide, ms. */
  readonly thinkMs: number[];
}

/** Plays `bots` bots for `seconds` of game time on the default board from `seed`. */
export function botLives(bots: number, seconds: number, seed: number): LifeReport {
  const rules = {
    width: GRID_W,
    height: GRID_H,
    walls: 'solid' as const,
    maxPlayers: Math.max(MAX_PLAYERS_PER_ROOM, bots),
    stones: 0,
    foodBase: FOOD_BASE,
    foodPerSnake: FOOD_PER_SNAKE,
  };
  const brains = new BotBrains(rules);
  const ids = Array.from({ length: bots }, (_, i) => i + 1);
  const seqs = new Map(ids.map((id) => [id, 0]));
  const bornAt = new Map<number, number>();
  const deadAt = new Map<number, number>();
  const ended: number[] = [];
  const thinkMs: number[] = [];
  const respawnTicks = Math.ceil(BOT_RESPAWN_S * TICK_RATE);
  let state = createGame(rules, seed);
  let turns: { id: number; dir: Dir; seq: number }[] = [];
  let joins = ids.map((id) => ({ id, name: `bot${id}`, bot: true as const }));
  for (let t = 0; t < seconds * TICK_RATE; t++) {
    const respawns = ids.filter((id) => deadAt.has(id) && state.tick - deadAt.get(id)! >= respawnTicks);
    for (const id of respawns) deadAt.delete(id);
    const r = step(state, { joins, turns, respawns });
    joins = [];
    state = r.state;
    for (const e of r.events) {
      if (e.type === 'spawned') bornAt.set(e.id, state.tick);
      else if (e.type === 'died') {
        ended.push((state.tick - bornAt.get(e.id)!) / TICK_RATE);
        bornAt.delete(e.id);
        deadAt.set(e.id, state.tick);
      } else if (e.type === 'spawn-failed') deadAt.set(e.id, state.tick);
    }
    const started = performance.now();
    const decided = brains.decide(state, ids, Infinity);
    thinkMs.push(performance.now() - started);
    turns = [];
    for (const [id, dir] of decided.turns) {
      const seq = seqs.get(id)! + 1;
      seqs.set(id, seq);
      turns.push({ id, dir, seq });
    }
  }
  const running = [...bornAt.values()].map((born) => (state.tick - born) / TICK_RATE);
  const all = [...ended, ...running].sort((a, b) => a - b);
  return { ended, running, medianS: percentile(all, 0.5), thinkMs };
}

/** tick() durations in ms of a room with one person (who never steers) and bots filling it to `bots` snakes. */
export function roomTickMs(bots: number, ticks: number, seed: number): number[] {
  const rules = { width: GRID_W, height: GRID_H, walls: 'solid' as const, maxPlayers: Math.max(MAX_PLAYERS_PER_ROOM, bots + 1) };
  const room = new Room({
    id: 'bench',
    rules: { ...rules, stones: 0, foodBase: FOOD_BASE, foodPerSnake: FOOD_PER_SNAKE },
    tickRate: TICK_RATE,
    seed,
    log: { info() {}, warn() {}, error() {} },
    botsMinSnakes: bots,
  });
  const peer = { send() {}, bufferedAmount: 0, close() {} };
  room.add(peer);
  room.receive(peer, { type: 'join', name: 'person' });
  const out: number[] = [];
  for (let t = 0; t < ticks; t++) {
    // The person plays again at once: the room keeps one person and its bots all along.
    if (!room.state.players.find((p) => !p.bot)?.snake) room.receive(peer, { type: 'respawn' });
    const started = performance.now();
    room.tick();
    out.push(performance.now() - started);
  }
  return out;
}

if (import.meta.main) {
  const { values } = parseArgs({
    options: {
      bots: { type: 'string', default: '10' },
      seconds: { type: 'string', default: '60' },
      seeds: { type: 'string', default: '5' },
    },
  });
  const bots = Number(values.bots);
  const seconds = Number(values.seconds);
  const all: number[] = [];
  const think: number[] = [];
  let ended = 0;
  let running = 0;
  for (let seed = 1; seed <= Number(values.seeds); seed++) {
    const r = botLives(bots, seconds, seed);
    console.log(`seed ${seed}: median life ${r.medianS.toFixed(1)} s (${r.ended.length} deaths, ${r.running.length} alive at the end)`);
    all.push(...r.ended, ...r.running);
    think.push(...r.thinkMs);
    ended += r.ended.length;
    running += r.running.length;
  }
  all.sort((a, b) => a - b);
  think.sort((a, b) => a - b);
  console.log(
    `${bots} bots, ${seconds} s of game time x ${values.seeds} seeds, ${GRID_W}x${GRID_H} board: median life ${percentile(all, 0.5).toFixed(1)} s ` +
      `over ${all.length} lives (${ended} ended by death, ${running} still alive at the end); ` +
      `thinking per tick for all bots p50 ${percentile(think, 0.5).toFixed(3)} ms, p99 ${percentile(think, 0.99).toFixed(3)} ms`,
  );
  const ticks = seconds * TICK_RATE;
  for (const fill of [0, bots]) {
    const ms: number[] = [];
    for (let seed = 1; seed <= Number(values.seeds); seed++) ms.push(...roomTickMs(fill, ticks, seed));
    ms.sort((a, b) => a - b);
    console.log(
      `room tick() with one person${fill ? ` and bots to ${fill} snakes` : ', bots off'}: p50 ${percentile(ms, 0.5).toFixed(3)} ms, ` +
        `p99 ${percentile(ms, 0.99).toFixed(3)} ms, max ${ms.at(-1)!.toFixed(3)} ms over ${ms.length} ticks`,
    );
  }
}
