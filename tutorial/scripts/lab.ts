// What the scripts of chapters 06, 07 and 09 share: the built server started as a child process
// on a free port (stopped by its PID, with the signal the chapter is about), and a player that
// plays over a real WebSocket the way the page does: joins, mirrors the room, keeps its resume
// token, and can come back with it. Must not: print (the scripts print, and the docs test compares
// their output), or leave a process or a directory behind.
// Chapters: docs/tutorial/06-resume.md, docs/tutorial/07-hardening.md, docs/tutorial/09-scaling-out.md

import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { type ServerMessage, WorldMirror, decodeServerFrame, jsonCodec } from '@snakepit/shared';
import WebSocket from 'ws';

const ROOT = new URL('../..', import.meta.url).pathname;

/** Resolves with `what` once `ready()` is true, checking on every event; rejects after `ms`. */
function waitFor<T>(what: string, ms: number, subscribe: (check: () => void) => void, ready: () => T | undefined): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`waited ${ms} ms for ${what}`)), ms);
    const check = () => {
      const value = ready();
      if (value !== undefined) {
        clearTimeout(timer);
        resolve(value);
      }
    };
    subscribe(check);
    check();
  });
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A child process we started, with its output kept. */
export class Child {
  output = '';
  readonly exited: Promise<number | null>;
  readonly #listeners = new Set<() => void>();

  constructor(readonly process: ChildProcess) {
    const keep = (chunk: Buffer) => {
      this.output += chunk.toString();
      for (const l of this.#listeners) l();
    };
    process.stdout?.on('data', keep);
    process.stderr?.on('data', keep);
    this.exited = new Promise((resolve) => process.once('exit', (code) => resolve(code)));
  }

  /** Waits until the output matches `pattern`; returns the match. */
  waitOutput(pattern: RegExp, ms = 20_000): Promise<RegExpExecArray> {
    return waitFor(
      `${pattern} in the output of pid ${this.process.pid}:\n${this.output}`,
      ms,
      (check) => this.#listeners.add(check),
      () => pattern.exec(this.output) ?? undefined,
    );
  }

  /** Sends `signal` to this process (by its PID) and waits for it to exit. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
    if (this.process.exitCode === null && this.process.signalCode === null) this.process.kill(signal);
    return this.exited;
  }
}

/** The built server (`npm run build`), on a free port, with `env` added; resolves once it listens. */
export async function startServer(env: Record<string, string>): Promise<Child & { port: number }> {
  const main = join(ROOT, 'server/dist/main.js');
  if (!existsSync(main)) throw new Error('server/dist/main.js is missing: run `npm run build` first');
  const child = new Child(
    spawn(process.execPath, [main], {
      cwd: ROOT,
      // No bots: the player is alone in its room, so what it sees is only its own snake. No
      // refusals for a stalled event loop (MAX_EVENT_LOOP_DELAY_MS, chapter 07): on a busy
      // machine, such as one running `npm test`, they would turn a player away mid-script.
      env: { ...process.env, HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'info', BOTS_MIN_SNAKES: '0', MAX_EVENT_LOOP_DELAY_MS: '0', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  );
  const [, port] = await child.waitOutput(/listening at http:\/\/127\.0\.0\.1:(\d+)/);
  return Object.assign(child, { port: Number(port) });
}

/** The room as a player saw it at one tick: each player's score and snake. */
export function seen(mirror: WorldMirror): string {
  return JSON.stringify([...mirror.players.values()].map((p) => [p.id, p.score, mirror.snakes.get(p.id)?.body ?? []]));
}

/**
 * A player as the page is one, on the JSON wire: joins once, mirrors the room, keeps the token of
 * its last welcome, and comes back with it when told to (`connect` again after a close). It does
 * not steer: on a board with wrapping walls and no stones, a snake alone never dies.
 */
export class Player {
  readonly mirror = new WorldMirror();
  /** Every tick seen, by number: the room as it was then. */
  readonly history = new Map<number, string>();
  id: number | null = null;
  token: string | null = null;
  /** How the last connection ended. */
  closed: { code: number; reason: string } | null = null;
  /** The `error` messages the server sent, as "code: message". */
  readonly errors: string[] = [];
  /** The tick at which the last resume was answered. */
  resumedAt: number | null = null;
  #ws: WebSocket | null = null;
  readonly #listeners = new Set<() => void>();

  /** `name` null: a spectator, which never joins (it is let in once its snapshot arrives). */
  constructor(
    readonly name: string | null,
    readonly room: string,
  ) {}

  /** Opens a socket to `port` (with the token, if there is one); resolves once playing. */
  async connect(port: number): Promise<void> {
    const resume = this.token ? `&resume=${this.token}` : '';
    const ws = new WebSocket(`ws://127.0.0.1:${port}/ws?room=${this.room}&walls=wrap&stones=off&wire=json${resume}`);
    this.#ws = ws;
    this.closed = null;
    const resuming = this.token !== null;
    let joined = false;
    ws.on('error', () => {}); // the close that follows says what happened
    ws.on('close', (code, reason) => {
      this.closed = { code, reason: reason.toString() };
      this.#changed();
    });
    ws.on('message', (data: Buffer) => {
      const msg: ServerMessage = decodeServerFrame(data.toString());
      if (msg.type === 'welcome') {
        this.token = msg.token;
        if (!resuming && this.name !== null) ws.send(jsonCodec.encodeClient({ type: 'join', name: this.name }));
      } else if (msg.type === 'snapshot') {
        this.mirror.applySnapshot(msg);
        this.history.set(this.mirror.tick, seen(this.mirror));
        if (this.name === null) joined = true;
      } else if (msg.type === 'tick' && this.mirror.ready) {
        this.mirror.applyTick(msg);
        this.history.set(this.mirror.tick, seen(this.mirror));
      } else if (msg.type === 'joined') {
        if (resuming) this.resumedAt = this.mirror.tick;
        this.id = msg.id;
        joined = true;
      } else if (msg.type === 'error') {
        this.errors.push(`${msg.code}: ${msg.message}`);
      }
      this.#changed();
    });
    await this.until(`${this.name ?? 'a spectator'} to play`, () => joined || this.closed !== null);
    if (!joined) throw new Error(`${this.name ?? 'a spectator'} was not let in: ${JSON.stringify(this.closed)}`);
  }

  /** Resolves once `ready()` holds (checked on every message and close). */
  until(what: string, ready: () => boolean, ms = 10_000): Promise<true> {
    return waitFor(
      what,
      ms,
      (check) => this.#listeners.add(check),
      () => (ready() ? true : undefined),
    );
  }

  /** Waits for `n` more ticks. */
  ticks(n: number): Promise<true> {
    const until = this.mirror.tick + n;
    return this.until(`tick ${until}`, () => this.mirror.tick >= until);
  }

  /** Waits for the server to close the socket; returns how. */
  async closing(): Promise<{ code: number; reason: string }> {
    await this.until(`${this.name ?? 'a spectator'}'s socket to close`, () => this.closed !== null);
    return this.closed!;
  }

  /** Sends raw text, as a broken or hostile client would. */
  send(text: string): void {
    if (this.#ws?.readyState === WebSocket.OPEN) this.#ws.send(text);
  }

  close(): void {
    this.#ws?.terminate();
  }

  #changed(): void {
    for (const l of this.#listeners) l();
  }
}
