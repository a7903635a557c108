// `npm run bench -- --tick-cost [--against DIR]`: the CPU the game's own code spends per room
// tick (rules, delta, encoding, delivery), without the kernel's socket writes that dominate the
// capacity run. Each sample is a fresh process (bench/tick-cost-worker.mjs) playing the same
// seeded game in 200 rooms of 10. With --against, another checkout's build (an older commit in a
// git worktree) is sampled in alternating order (A B B A ...), so a busy machine slows both
// alike and the ratio of their medians is what to read, not either figure alone.
// Must not: be read as capacity (no sockets, no bots); bench/README.md says when to use which.

import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ROOT, SERVER_NODE_ARGS } from './procs.ts';
import { fmt, markdownTable } from './stats.ts';

export interface TickCostOptions {
  /** Another checkout (built) to compare with, or null. */
  readonly against: string | null;
  /** Samples per checkout. */
  readonly samples: number;
  readonly rooms?: number;
  readonly ticks?: number;
}

interface Sample {
  readonly cpuUsPerRoomTick: number;
  readonly bytesPerClientPerTick: number;
}

export interface TickCostResult {
  readonly markdown: string;
  readonly json: { checkouts: { root: string; medianUs: number; minUs: number; bytes: number }[]; ratio: number | null };
}

const WORKER = join(ROOT, 'bench/tick-cost-worker.mjs');

function sample(root: string, rooms: number, ticks: number): Sample {
  const out = execFileSync(process.execPath, [...SERVER_NODE_ARGS, '--expose-gc', WORKER, root, String(rooms), String(ticks)], {
    encoding: 'utf8',
    timeout: 300_000,
  });
  return JSON.parse(out.trim().split('\n').pop()!) as Sample;
}

const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

export function runTickCost(opts: TickCostOptions): TickCostResult {
  const rooms = opts.rooms ?? 200;
  const ticks = opts.ticks ?? 300;
  const roots = [resolve(ROOT)];
  if (opts.against !== null) roots.push(resolve(opts.against));
  for (const r of roots) {
    if (!existsSync(join(r, 'server/dist/rooms/room.js')))
      throw new Error(`${r}: server/dist is missing: run \`npm run build\` there first`);
  }
  const samples: Sample[][] = roots.map(() => []);
  for (let i = 0; i < opts.samples; i++) {
    // A B, then B A: drift in the machine's load falls on both alike.
    const order = i % 2 === 0 ? roots.keys() : [...roots.keys()].reverse();
    for (const k of order) {
      samples[k]!.push(sample(roots[k]!, rooms, ticks));
      console.error(`[bench] tick cost ${i + 1}/${opts.samples}: ${roots[k]} ${fmt(samples[k]!.at(-1)!.cpuUsPerRoomTick, 1)} µs`);
    }
  }
  const checkouts = roots.map((root, k) => {
    const us = samples[k]!.map((s) => s.cpuUsPerRoomTick);
    return { root, medianUs: median(us), minUs: Math.min(...us), bytes: samples[k]![0]!.bytesPerClientPerTick };
  });
  const ratio = checkouts.length === 2 ? checkouts[0]!.medianUs / checkouts[1]!.medianUs : null;
  const table = markdownTable(
    ['checkout', 'CPU µs per room tick: median', 'min', 'bytes per client per tick'],
    checkouts.map((c) => [c.root === resolve(ROOT) ? 'this checkout' : c.root, fmt(c.medianUs, 1), fmt(c.minUs, 1), fmt(c.bytes, 1)]),
  );
  const about =
    `tick cost: ${rooms} rooms x 10 players, ${ticks} ticks per sample, ${opts.samples} samples per checkout, each a fresh process; ` +
    'the real Room with sockets that only count bytes, the same seeded game in every checkout.';
  const verdict = ratio === null ? '' : `\n\nthis checkout / the other: ${fmt(ratio, 3)}x (ratio of medians)`;
  return { markdown: `${about}\n\n${table}${verdict}`, json: { checkouts, ratio } };
}
