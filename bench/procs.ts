// The processes a benchmark starts: the built server (its own process, as in production), the
// bot process (bench/load.ts) and the floor's writer and readers (bench/floor.ts). Every child
// is tracked by PID and ended by PID: on success, on failure, on Ctrl-C/SIGTERM and, as a last
// resort, with SIGKILL when the runner exits.
// Must not: signal anything it did not start (no process names, no process groups).
// Tutorial: docs/tutorial/08-measuring.md; every detail in bench/README.md.

import { type ChildProcess, fork, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FromLoad, LoadConfig, ToLoad } from './load.ts';

export const ROOT = new URL('..', import.meta.url).pathname;

const children = new Set<ChildProcess>();
const cleanups = new Set<() => void>();

function track(child: ChildProcess): void {
  children.add(child);
  child.once('exit', () => children.delete(child));
}

/** Tracks a process started by a library (Chromium through Playwright): cleanup ends it by PID too. */
export function adopt(child: ChildProcess): void {
  track(child);
}

function alive(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}

/** Ends one child by PID: `signal`, then SIGKILL after `graceMs`. Resolves when it has exited. */
export async function stopChild(child: ChildProcess, graceMs: number, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (!alive(child) || child.pid === undefined) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  process.kill(child.pid, signal);
  const timer = setTimeout(() => {
    if (alive(child) && child.pid !== undefined) process.kill(child.pid, 'SIGKILL');
  }, graceMs);
  await exited;
  clearTimeout(timer);
}

let installed = false;
/** Ctrl-C / SIGTERM end every child we started, then the runner; exit kills any stragglers. */
export function installCleanup(): void {
  if (installed) return;
  installed = true;
  const onSignal = (signal: NodeJS.Signals) => {
    console.error(`\n[bench] ${signal}: stopping the processes this run started (${[...children].map((c) => c.pid).join(', ') || 'none'})`);
    void Promise.all([...children].map((c) => stopChild(c, 3000))).finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  process.on('exit', () => {
    for (const c of children) if (alive(c) && c.pid !== undefined) process.kill(c.pid, 'SIGKILL');
    for (const fn of cleanups) fn();
  });
}

/** A temporary directory removed when the runner exits (unless `keep`). */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const fn = () => rmSync(dir, { recursive: true, force: true });
  cleanups.add(fn);
  return dir;
}

/** Rejects after `ms` with a message saying what took too long. */
export function deadline<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${Math.round(ms / 1000)} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

// ---- the server ------------------------------------------------------------------------------

export interface ServerHandle {
  readonly child: ChildProcess;
  readonly pid: number;
  readonly port: number;
  readonly base: string;
  /** Log lines at warn level or above since start (pino levels >= 40). */
  readonly warnings: string[];
  /** The last lines it wrote, for error messages. */
  tail(): string;
  /** GET/POST a JSON endpoint, bounded by a timeout. */
  json<T>(path: string, method?: 'GET' | 'POST'): Promise<T>;
  /** SIGTERM (graceful: a --cpu-prof server writes its profile), SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

export interface ServerOptions {
  readonly env: Readonly<Record<string, string>>;
  /** Node flags, e.g. --cpu-prof. */
  readonly nodeArgs?: readonly string[];
  readonly readyTimeoutMs?: number;
  /** Another built checkout to run the server of (default: this one). */
  readonly checkout?: string;
}

/**
 * The settings every benchmark server gets: a free loopback port, /bench/* on, info logs (the
 * ready line), a throwaway data dir, and the per-IP protections off, because every bot comes
 * from 127.0.0.1 (the server under test is measured, not its abuse limits).
 */
export function benchServerEnv(dataDir: string): Record<string, string> {
  return {
    PORT: '0',
    HOST: '127.0.0.1',
    BENCH_ENDPOINTS: '1',
    LOG_LEVEL: 'info',
    LOG_FORMAT: 'json',
    DATA_DIR: dataDir,
    MAX_CONNECTIONS_PER_IP: '1000000',
    HTTP_RATE_LIMIT: '0',
    MAX_EVENT_LOOP_DELAY_MS: '0',
    // The load bots are the players; the server's own bots only where a run asks (--bots).
    BOTS_MIN_SNAKES: '0',
  };
}

/** V8 flags the server runs with in production: `npm start` and the Dockerfile's CMD. */
export const SERVER_NODE_ARGS = ['--max-semi-space-size=64'] as const;

export async function startServer(options: ServerOptions): Promise<ServerHandle> {
  const child = spawn(process.execPath, [...SERVER_NODE_ARGS, ...(options.nodeArgs ?? []), 'server/dist/main.js'], {
    cwd: options.checkout ?? ROOT,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  track(child);
  const lines: string[] = [];
  const warnings: string[] = [];
  let ready: (port: number) => void;
  const portKnown = new Promise<number>((resolve) => (ready = resolve));
  const keep = (line: string) => {
    lines.push(line);
    if (lines.length > 40) lines.shift();
  };
  let partial = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    const parts = (partial + chunk).split('\n');
    partial = parts.pop() ?? '';
    for (const line of parts) {
      keep(line);
      const level = /"level":(\d+)/.exec(line);
      if (level && Number(level[1]) >= 40 && warnings.length < 1000) warnings.push(line);
      if (line.includes('snakepit is ready')) {
        const m = /"port":(\d+)/.exec(line);
        if (m) ready(Number(m[1]));
      }
    }
  });
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    for (const line of chunk.split('\n')) if (line) keep(`[stderr] ${line}`);
  });
  const tail = () => lines.slice(-15).join('\n');
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code, signal) => reject(new Error(`the server exited before it was ready (${signal ?? code}):\n${tail()}`))),
  );
  exited.catch(() => {});
  let port: number;
  try {
    port = await deadline(Promise.race([portKnown, exited]), options.readyTimeoutMs ?? 30_000, 'waiting for "snakepit is ready"');
  } catch (err) {
    await stopChild(child, 2000);
    throw err;
  }
  const base = `http://127.0.0.1:${port}`;
  return {
    child,
    pid: child.pid!,
    port,
    base,
    warnings,
    tail,
    async json<T>(path: string, method: 'GET' | 'POST' = 'GET'): Promise<T> {
      const res = await fetch(base + path, { method, signal: AbortSignal.timeout(15_000) });
      if (!res.ok) throw new Error(`${method} ${path}: HTTP ${res.status} ${await res.text()}`);
      return (await res.json()) as T;
    },
    stop: (graceMs = 10_000) => stopChild(child, graceMs),
  };
}

// ---- helper processes (the bots, the floor) ------------------------------------------------

/** What every helper process may send: a failure, besides its own messages. */
type Failed = { type: 'failed'; error: string };

/** A forked bench/*.ts process that talks to the runner over IPC. */
export interface ChildHandle<To extends { type: string }, From extends { type: string }> {
  readonly child: ChildProcess;
  readonly pid: number;
  send(msg: To): void;
  /** The next message of this type; rejects if the child fails, exits, or `ms` pass first. */
  next<T extends From['type']>(type: T, ms: number, onProgress?: (msg: From) => void): Promise<Extract<From, { type: T }>>;
  /** Asks it to stop ({type: 'stop'}), then SIGTERM and SIGKILL by PID if it does not. */
  stop(): Promise<void>;
}

/**
 * Forks bench/<file> (TypeScript, through tsx) with `args`, tracked for cleanup. It must exit on
 * `{type: 'stop'}` and when the runner goes away, and report errors as `{type: 'failed'}`.
 */
export function startHelper<To extends { type: string }, From extends { type: string }>(
  file: string,
  args: readonly string[],
  nodeArgs: readonly string[] = [],
): ChildHandle<To, From> {
  const child = fork(join(ROOT, 'bench', file), [...args], {
    cwd: ROOT,
    execArgv: [...nodeArgs, '--conditions=source', '--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  track(child);
  return {
    child,
    pid: child.pid!,
    send: (msg) => {
      if (child.connected) child.send(msg);
    },
    next(type, ms, onProgress) {
      return deadline(
        new Promise((resolve, reject) => {
          const onMessage = (msg: From | Failed) => {
            if (msg.type === type) {
              done();
              resolve(msg as never);
            } else if (msg.type === 'failed') {
              done();
              reject(new Error(`${file} failed: ${(msg as Failed).error}`));
            } else onProgress?.(msg as From);
          };
          const onExit = (code: number | null, signal: string | null) => {
            done();
            reject(new Error(`${file} exited (${signal ?? code}) while waiting for '${type}'`));
          };
          const done = () => {
            child.off('message', onMessage);
            child.off('exit', onExit);
          };
          child.on('message', onMessage);
          child.once('exit', onExit);
        }),
        ms,
        `waiting for ${file}'s '${type}'`,
      );
    },
    async stop() {
      if (!alive(child)) return;
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      if (child.connected) child.send({ type: 'stop' });
      await Promise.race([exited, sleep(5000)]);
      await stopChild(child, 3000);
    },
  };
}

export type LoadHandle = ChildHandle<ToLoad, FromLoad>;

/** Starts the bot process (bench/load.ts); `nodeArgs` e.g. --cpu-prof to profile the bots themselves. */
export function startLoad(config: LoadConfig, nodeArgs: readonly string[] = []): LoadHandle {
  return startHelper<ToLoad, FromLoad>('load.ts', [JSON.stringify(config)], nodeArgs);
}
