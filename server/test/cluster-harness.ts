// The real engines for the cluster tests: redis-server, nginx (with deploy/nginx.conf) and
// snakepit instances, each a child process on a free loopback port with its config and data in a
// temp folder, stopped by its PID. And Page: a node client that behaves like the browser page
// (client/src/net/connection.ts): it plays, keeps its resume token, and after a close reconnects
// with the page's backoff and resumes. Binaries that cannot be found fail the test with a
// message saying how to install them (CI's .ci/run installs Debian's redis-server and nginx).

import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DIR_NAMES, type ServerMessage, WorldMirror, decodeServerFrame, jsonCodec } from '@snakepit/shared';
import WebSocket from 'ws';
import { Scratch, chooseDir, facing } from '../src/bots/brain.ts';

const root = new URL('../..', import.meta.url).pathname;

/** The path of `name` on PATH or in the system folders, or an Error saying how to get it. */
export function binary(name: string, debianPackage: string): string {
  const dirs = [...(process.env.PATH ?? '').split(':'), '/usr/sbin', '/usr/bin', '/usr/local/sbin', '/usr/local/bin'];
  for (const d of dirs) {
    const p = join(d, name);
    if (d && existsSync(p)) return p;
  }
  throw new Error(
    `${name} not found: the cluster tests need the real engine; install it with \`apt-get install -y ${debianPackage}\` (.ci/run does)`,
  );
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
    });
  });
}

/** Resolves when `check` is true (polled every `everyMs`), rejects with `what` after `ms`. */
export async function until(
  what: string | (() => string),
  check: () => boolean | Promise<boolean>,
  ms = 10_000,
  everyMs = 25,
): Promise<void> {
  const deadline = performance.now() + ms;
  for (;;) {
    if (await check()) return;
    if (performance.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${typeof what === 'string' ? what : what()}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** A child process, its output kept line by line. */
export class Child {
  readonly lines: string[] = [];
  readonly exited: Promise<number | null>;
  constructor(
    readonly name: string,
    readonly proc: ChildProcess,
  ) {
    let rest = '';
    const take = (d: Buffer) => {
      const text = rest + d.toString();
      const parts = text.split('\n');
      rest = parts.pop() ?? '';
      this.lines.push(...parts);
    };
    proc.stdout?.on('data', take);
    proc.stderr?.on('data', take);
    this.exited = new Promise((resolve) => proc.once('exit', (code) => resolve(code)));
  }
  get pid(): number {
    return this.proc.pid ?? -1;
  }
  get alive(): boolean {
    return this.proc.exitCode === null && this.proc.signalCode === null;
  }
  kill(signal: NodeJS.Signals): void {
    if (this.alive) process.kill(this.pid, signal);
  }
  async stop(): Promise<void> {
    if (!this.alive) return;
    this.kill('SIGTERM');
    const t = setTimeout(() => this.kill('SIGKILL'), 5000);
    await this.exited;
    clearTimeout(t);
  }
}

export class TempDir {
  readonly path = mkdtempSync(join(tmpdir(), 'snakepit-cluster-'));
  remove(): void {
    rmSync(this.path, { recursive: true, force: true });
  }
}

/** redis-server on `port`; with `persist`, an append-only file in `dir` (as compose.yaml runs it). */
export async function startRedis(dir: string, port: number, persist = false): Promise<Child> {
  const bin = binary('redis-server', 'redis-server');
  const aof = persist ? ['--appendonly', 'yes', '--appendfsync', 'always'] : ['--appendonly', 'no'];
  const child = new Child(
    'redis',
    spawn(bin, ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', ...aof, '--daemonize', 'no'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  );
  await until(
    'redis-server to accept connections',
    () => child.lines.some((l) => l.includes('Ready to accept connections')) || !child.alive,
  );
  if (!child.alive) throw new Error(`redis-server exited: ${child.lines.join('\n')}`);
  return child;
}

/**
 * nginx as a child process with deploy/nginx.conf, its servers replaced by `upstreams` and its
 * listen address by 127.0.0.1:`port`; pid, logs and temp files in `dir`.
 */
export async function startNginx(dir: string, port: number, upstreams: readonly number[]): Promise<Child> {
  const bin = binary('nginx', 'nginx');
  const shipped = readFileSync(join(root, 'deploy/nginx.conf'), 'utf8');
  const servers = shipped.match(/^ {4}server snakepit-\d+:3000 .*$/gm) ?? [];
  if (servers.length === 0 || !/^ {4}listen 80;$/m.test(shipped))
    throw new Error('deploy/nginx.conf: no `server snakepit-N:3000` or `listen 80;` lines');
  const options = servers[0]!.replace(/^ {4}server \S+/, '');
  const site = shipped
    .replace(/^ {4}server snakepit-\d+:3000 .*\n/gm, '')
    .replace(/^( {4}hash .*\n)/m, `$1${upstreams.map((p) => `    server 127.0.0.1:${p}${options}\n`).join('')}`)
    .replace(/^ {4}listen 80;$/m, `    listen 127.0.0.1:${port};`);
  writeFileSync(join(dir, 'site.conf'), site);
  writeFileSync(
    join(dir, 'nginx.conf'),
    `daemon off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  include ${dir}/site.conf;
}
`,
  );
  const child = new Child('nginx', spawn(bin, ['-c', join(dir, 'nginx.conf'), '-p', dir], { stdio: ['ignore', 'pipe', 'pipe'] }));
  await until('nginx to listen', async () => !child.alive || (await reachable(`http://127.0.0.1:${port}/healthz`)));
  if (!child.alive) throw new Error(`nginx exited: ${child.lines.join('\n')} ${readFileSync(join(dir, 'error.log'), 'utf8')}`);
  return child;
}

async function reachable(url: string): Promise<boolean> {
  try {
    await fetch(url);
    return true;
  } catch {
    return false;
  }
}

/** A JSON log line of an instance. */
export interface LogLine {
  readonly time: number;
  readonly msg: string;
  readonly room?: string;
  readonly [key: string]: unknown;
}

export class Instance extends Child {
  constructor(
    readonly id: string,
    readonly port: number,
    proc: ChildProcess,
  ) {
    super(id, proc);
  }
  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }
  log(): LogLine[] {
    const out: LogLine[] = [];
    for (const l of this.lines) {
      if (!l.startsWith('{')) continue;
      try {
        out.push(JSON.parse(l) as LogLine);
      } catch {
        // a line cut by a kill -9
      }
    }
    return out;
  }
}

/**
 * The built server (`npm run build`, which `npm test` runs first): it starts in a fraction of a
 * second where compiling the sources on the fly takes several, three instances at once on a busy
 * machine longer still. Run alone, this test runs what was last built.
 */
export function builtServer(): string {
  const main = join(root, 'server/dist/main.js');
  if (!existsSync(main)) throw new Error('server/dist/main.js is missing: run `npm run build` first (npm test does)');
  return main;
}

/** A snakepit instance of the cluster, the built server, ready when it says so. */
export async function startInstance(id: string, port: number, redisPort: number, dataDir: string, env: Record<string, string> = {}) {
  const proc = spawn(process.execPath, [builtServer()], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      PATH: process.env.PATH,
      HOST: '127.0.0.1',
      PORT: String(port),
      REDIS_URL: `redis://127.0.0.1:${redisPort}`,
      INSTANCE_ID: id,
      DATA_DIR: dataDir,
      LOG_FORMAT: 'json',
      LOG_LEVEL: 'info',
      CHECKPOINT_EVERY_S: '1',
      HTTP_RATE_LIMIT: '0',
      MAX_CONNECTIONS_PER_IP: '1000',
      MAX_EVENT_LOOP_DELAY_MS: '0',
      // No server-side bots: the cases count and compare the players they connect.
      BOTS_MIN_SNAKES: '0',
      ...env,
    },
  });
  const instance = new Instance(id, port, proc);
  await until(`${id} to be ready`, () => !instance.alive || instance.lines.some((l) => l.includes('snakepit is ready')), 60_000);
  if (!instance.alive) throw new Error(`${id} exited: ${instance.lines.join('\n')}`);
  return instance;
}

/** What a page saw of its room at one tick: each player's score and snake. */
export type Seen = Map<number, { score: number; body: string }>;

/** What a close was, and when. */
export interface Closed {
  readonly at: number;
  readonly code: number;
  readonly reason: string;
  /** The last tick the page had seen. */
  readonly tick: number;
}

/**
 * A player as the page is one: joins once, steers towards food, and after any close that it did
 * not ask for reconnects after the page's backoff (0.5 s doubling, reset by a welcome), resuming
 * with the token of its last welcome.
 */
export class Page {
  readonly mirror = new WorldMirror();
  /** Every tick this page saw, per connection in order: the room as it was then. */
  readonly history = new Map<number, Seen>();
  readonly closes: Closed[] = [];
  /** Things that must not happen (a resume refused). */
  readonly errors: string[] = [];
  /** performance.now() of each `joined` after a resume, with the snapshot tick it resumed at. */
  readonly resumes: { at: number; tick: number; seen: Seen }[] = [];
  id: number | null = null;
  lastTickAt = 0;
  #token: string | null = null;
  #ws: WebSocket | null = null;
  #attempt = 0;
  #stopped = false;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #scratch = new Scratch(0);
  #seq = 0;
  #resuming = false;

  constructor(
    readonly base: string,
    readonly room: string,
    readonly name: string,
  ) {}

  /** Connects and joins; resolves once playing. */
  async start(): Promise<void> {
    this.#connect();
    await until(`${this.name} to join ${this.room}`, () => this.id !== null);
  }

  /** What happened to this page, for a failure's message. */
  describe(): string {
    const since = (t: number) => `${Math.round(performance.now() - t)} ms ago`;
    return `${this.name} in ${this.room}: tick ${this.mirror.tick}, last tick ${since(this.lastTickAt)}, closes ${JSON.stringify(this.closes.map((c) => [c.code, c.reason, since(c.at)]))}, resumes ${this.resumes.length}, errors ${JSON.stringify(this.errors)}`;
  }

  get playing(): boolean {
    return this.id !== null && this.#ws?.readyState === WebSocket.OPEN && !this.#resuming;
  }

  stop(): void {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#ws?.terminate();
  }

  #connect(): void {
    const resume = this.#token ? `&resume=${encodeURIComponent(this.#token)}` : '';
    const ws = new WebSocket(`${this.base}/ws?room=${this.room}&wire=json${resume}`, { perMessageDeflate: false });
    this.#ws = ws;
    this.#resuming = this.#token !== null;
    ws.on('error', () => {}); // a refused upgrade: the close that follows retries
    ws.on('message', (data: Buffer, binary: boolean) => this.#receive(decodeServerFrame(binary ? new Uint8Array(data) : data.toString())));
    ws.on('close', (code, reason) => {
      if (this.#ws !== ws) return;
      this.closes.push({ at: performance.now(), code, reason: reason.toString(), tick: this.mirror.tick });
      if (this.#stopped) return;
      const inMs = Math.min(8000, 500 * 2 ** this.#attempt++);
      this.#timer = setTimeout(() => this.#connect(), inMs);
    });
  }

  #receive(msg: ServerMessage): void {
    const ws = this.#ws!;
    if (msg.type === 'welcome') {
      this.#attempt = 0;
      this.#token = msg.token;
      if (this.id === null && !this.#resuming) ws.send(jsonCodec.encodeClient({ type: 'join', name: this.name }));
    } else if (msg.type === 'snapshot') {
      this.mirror.applySnapshot(msg);
      this.#scratch = new Scratch(this.mirror.board.cells);
      this.#record();
    } else if (msg.type === 'joined') {
      if (this.#resuming) this.resumes.push({ at: performance.now(), tick: this.mirror.tick, seen: seen(this.mirror) });
      this.#resuming = false;
      this.id = msg.id;
    } else if (msg.type === 'error' && msg.code === 'bad-token') {
      this.errors.push(`${this.name}: resume refused in ${this.room}: ${msg.message}`);
    } else if (msg.type === 'tick') {
      if (!this.mirror.ready) return;
      if (msg.tick !== this.mirror.tick + 1) {
        this.mirror.ready = false;
        ws.send(jsonCodec.encodeClient({ type: 'resync' }));
        return;
      }
      this.mirror.applyTick(msg);
      this.lastTickAt = performance.now();
      this.#record();
      this.#steer(ws);
    }
  }

  #record(): void {
    this.history.set(this.mirror.tick, seen(this.mirror));
    this.history.delete(this.mirror.tick - 600);
  }

  #steer(ws: WebSocket): void {
    if (this.id === null || this.#resuming) return;
    const snake = this.mirror.snakes.get(this.id);
    if (!snake) {
      if (this.mirror.tick % 5 === 0) ws.send(jsonCodec.encodeClient({ type: 'respawn' }));
      return;
    }
    const { board } = this.mirror;
    const blocked = new Uint8Array(board.cells);
    for (const s of this.mirror.stones) blocked[s] = 1;
    for (const other of this.mirror.snakes.values()) for (const c of other.body) blocked[c] = 1;
    const dir = chooseDir({ board, blocked, food: [...this.mirror.food.keys()] }, snake.body, this.#scratch);
    if (dir !== null && dir !== facing(board, snake.body)) {
      ws.send(jsonCodec.encodeClient({ type: 'turn', dir: DIR_NAMES[dir], seq: ++this.#seq }));
    }
  }
}

function seen(mirror: WorldMirror): Seen {
  const out: Seen = new Map();
  for (const [id, p] of mirror.players) out.set(id, { score: p.score, body: (mirror.snakes.get(id)?.body ?? []).join(',') });
  return out;
}

/** GET /api/rooms of one instance. */
export async function rooms(base: string): Promise<{ id: string; players: number; instance?: string; tick: number }[]> {
  const res = await fetch(`${base}/api/rooms`);
  if (!res.ok) throw new Error(`${base}/api/rooms: ${res.status}`);
  return (await res.json()) as { id: string; players: number; instance?: string; tick: number }[];
}
