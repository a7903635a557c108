// Small measuring helpers for the benchmark: exact percentiles, a process's CPU time and memory
// read from /proc (Linux), the machine's description, and a Markdown table printer.
// Must not: depend on the server or the game (the bench measures them from the outside).
// Tutorial: docs/tutorial/08-measuring.md; bench/README.md says what every number means.

import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';

/** The p-th quantile (0..1) of `values` by the nearest-rank method; 0 for no values. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

export interface Spread {
  readonly count: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
  /** How many values were above `over` (when asked for). */
  readonly over: number;
}

/** p50/p99/max of a list of numbers (copied and sorted), and how many exceed `over`. */
export function spread(values: ArrayLike<number>, over = Infinity): Spread {
  const sorted = Float64Array.from(values as ArrayLike<number>).sort();
  let n = 0;
  for (let i = sorted.length - 1; i >= 0 && sorted[i]! > over; i--) n++;
  return { count: sorted.length, p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99), max: sorted.at(-1) ?? 0, over: n };
}

/** Members of room i of R when N are spread evenly (the first N % R rooms get one more). */
export function roomShare(members: number, rooms: number, i: number): number {
  return Math.floor(members / rooms) + (i < members % rooms ? 1 : 0);
}

// ---- /proc -----------------------------------------------------------------------------------

let clockTicks = 0;
/** Kernel clock ticks per second (USER_HZ), the unit of utime/stime in /proc/<pid>/stat. */
function ticksPerSecond(): number {
  if (clockTicks) return clockTicks;
  try {
    clockTicks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    clockTicks = 100;
  }
  return clockTicks;
}

/** CPU seconds (user + system) a process has used so far, or NaN when it is gone. */
export function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces, so split after its closing paren):
    // state is field 3, utime field 14 and stime field 15 of the whole line.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(rest[11]) + Number(rest[12])) / ticksPerSecond();
  } catch {
    return Number.NaN;
  }
}

/** Resident memory of a process in MB (VmRSS), or NaN when it is gone. */
export function rssMb(pid: number): number {
  try {
    const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

/** CPU use of a process over a window: start() then stop() gives % of one core. */
export class CpuWindow {
  #cpu0 = 0;
  #wall0 = 0;
  constructor(readonly pid: number) {}
  start(): void {
    this.#cpu0 = cpuSeconds(this.pid);
    this.#wall0 = performance.now();
  }
  /** % of one core used since start() (100 = one core busy all the time). */
  stop(): number {
    const cpu = cpuSeconds(this.pid) - this.#cpu0;
    const wall = (performance.now() - this.#wall0) / 1000;
    return wall > 0 ? (cpu / wall) * 100 : Number.NaN;
  }
}

/** CPU time of the whole machine so far, from /proc/stat, in seconds summed over all cores. */
export function machineCpu(): { busy: number; steal: number; total: number } {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
    const [user, nice, system, idle, iowait, irq, softirq, steal] = line.trim().split(/\s+/).slice(1, 9).map(Number) as number[];
    const hz = ticksPerSecond();
    const busy = user! + nice! + system! + irq! + softirq! + steal!;
    return { busy: busy / hz, steal: steal! / hz, total: (busy + idle! + iowait!) / hz };
  } catch {
    return { busy: Number.NaN, steal: Number.NaN, total: Number.NaN };
  }
}

/**
 * The whole machine's CPU use over a window, in % of one core (a 2-core machine tops at 200),
 * so a run can say how much of it went to processes other than the ones measured.
 */
export class MachineWindow {
  #start = machineCpu();
  #wall0 = performance.now();
  start(): void {
    this.#start = machineCpu();
    this.#wall0 = performance.now();
  }
  stop(): { busyPct: number; stealPct: number } {
    const end = machineCpu();
    const wall = (performance.now() - this.#wall0) / 1000;
    return { busyPct: ((end.busy - this.#start.busy) / wall) * 100, stealPct: ((end.steal - this.#start.steal) / wall) * 100 };
  }
}

// ---- the machine ---------------------------------------------------------------------------

export interface Machine {
  readonly cores: number;
  readonly cpu: string;
  readonly node: string;
  readonly memoryGb: number;
  readonly os: string;
}

export function machine(): Machine {
  const cpus = os.cpus();
  return {
    cores: cpus.length,
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    node: process.version,
    memoryGb: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    os: `${os.type()} ${os.release()}`,
  };
}

export function describeMachine(m: Machine): string {
  return `${m.cores} cores (${m.cpu}), ${m.memoryGb} GB RAM, Node ${m.node}, ${m.os}`;
}

// ---- output ----------------------------------------------------------------------------------

/** A number shown with a sensible precision; '-' for missing. */
export function fmt(value: number | null | undefined, digits = 1): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '-';
  if (!Number.isFinite(value)) return String(value);
  if (Math.abs(value) >= 1000) return Math.round(value).toLocaleString('en-US');
  return value.toFixed(digits);
}

/** A GitHub-flavoured Markdown table (readable as plain text too). */
export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (i === 0 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`;
  return [line(header), rule, ...rows.map(line)].join('\n');
}
