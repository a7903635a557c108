// Summarises a V8 .cpuprofile (`node --cpu-prof`): self time per function, top N, as a Markdown
// table, for `npm run bench -- --profile` and by hand:
//   node --import tsx bench/profile.ts bench/profiles/<dir>/<file>.cpuprofile [N]
// The bench passes its measured window (profile timestamps are CLOCK_MONOTONIC µs, as
// process.hrtime), so joining does not count. Must not: guess; it only adds up V8's samples.
// Tutorial: docs/tutorial/08-measuring.md.

import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { fmt, markdownTable } from './stats.ts';

interface CpuProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  hitCount?: number;
  children?: number[];
}

interface CpuProfile {
  nodes: CpuProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

export interface ProfileEntry {
  readonly name: string;
  readonly where: string;
  readonly selfMs: number;
  readonly pct: number;
}

export interface ProfileSummary {
  readonly totalMs: number;
  /** Time not spent idle: everything but V8's "(idle)" node. */
  readonly busyMs: number;
  readonly top: ProfileEntry[];
}

const ROOT = new URL('..', import.meta.url).pathname;

function shortUrl(url: string): string {
  if (!url) return '';
  const path = url.startsWith('file://') ? new URL(url).pathname : url;
  const rel = path.startsWith('/') ? relative(ROOT, path) : path;
  return rel.replace(/^node_modules\//, 'nm/');
}

/** Microseconds on the clock of the profile's timestamps (CLOCK_MONOTONIC). */
export function monotonicUs(): number {
  return Number(process.hrtime.bigint() / 1000n);
}

/** Self time per function, biggest first, of samples within `window` (µs) if given. Percentages are of busy (non-idle) time. */
export function summariseProfile(file: string, topN = 25, window?: { fromUs: number; toUs: number }): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  // timeDeltas[i] is the time between sample i-1 and sample i: the time up to sample i+1 is
  // what sample i stands for (the last one gets the mean).
  const mean = samples.length ? (profile.endTime - profile.startTime) / samples.length : 0;
  let at = profile.startTime;
  for (let i = 0; i < samples.length; i++) {
    at += deltas[i] ?? 0;
    const us = i + 1 < deltas.length ? deltas[i + 1]! : mean;
    if (window && (at < window.fromUs || at > window.toUs)) continue;
    selfUs.set(samples[i]!, (selfUs.get(samples[i]!) ?? 0) + us);
  }
  const byFunction = new Map<string, { name: string; where: string; us: number }>();
  let total = 0;
  let idle = 0;
  for (const [id, us] of selfUs) {
    const node = byId.get(id);
    if (!node) continue;
    total += us;
    const { functionName, url, lineNumber } = node.callFrame;
    const name = functionName || '(anonymous)';
    if (name === '(idle)') idle += us;
    const where = url ? `${shortUrl(url)}:${lineNumber + 1}` : '';
    const key = `${name}\u0000${where}`;
    const entry = byFunction.get(key) ?? { name, where, us: 0 };
    entry.us += us;
    byFunction.set(key, entry);
  }
  const busy = total - idle;
  const top = [...byFunction.values()]
    .filter((e) => e.name !== '(idle)')
    .sort((a, b) => b.us - a.us)
    .slice(0, topN)
    .map((e) => ({ name: e.name, where: e.where, selfMs: e.us / 1000, pct: busy > 0 ? (e.us / busy) * 100 : 0 }));
  return { totalMs: total / 1000, busyMs: busy / 1000, top };
}

export function profileTable(summary: ProfileSummary): string {
  return markdownTable(
    ['#', 'self ms', '% of busy', 'function', 'where'],
    summary.top.map((e, i) => [String(i + 1), fmt(e.selfMs, 0), fmt(e.pct, 1), `\`${e.name}\``, e.where]),
  );
}

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  const file = process.argv[2];
  if (!file) {
    console.error('usage: node --import tsx bench/profile.ts <file.cpuprofile> [top N]');
    process.exit(2);
  }
  const summary = summariseProfile(file, Number(process.argv[3] ?? 25));
  console.log(`profile: ${fmt(summary.totalMs / 1000, 1)} s sampled, ${fmt(summary.busyMs / 1000, 1)} s busy (not idle)\n`);
  console.log(profileTable(summary));
}
