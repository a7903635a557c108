// What the tutorial's tests share: a WebSocket client that keeps every message and waits for the
// one a test needs, a log that can be waited on, and a bound on every wait, so a broken step
// fails with a reason instead of hanging. Waits are for events, never fixed sleeps, except to
// show that something does not happen.

import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import type { TestContext } from 'node:test';
import WebSocket from 'ws';

export const ROOT = new URL('../..', import.meta.url).pathname;
/** The longest any single wait may take: generous, for a busy two-core machine. */
export const WAIT_MS = 15_000;

export interface Message {
  readonly type: string;
  readonly [field: string]: unknown;
}

/** Rejects with `what` if `promise` has not settled within `ms`; clears its timer either way. */
export async function bounded<T>(promise: Promise<T>, what: string, ms = WAIT_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** A client that records every message and lets a test wait for one. */
export class Client {
  readonly messages: Message[] = [];
  readonly socket: WebSocket;
  /** Resolves with the close code, however the socket closes. */
  readonly closed: Promise<number>;
  readonly #arrived = new Set<() => void>();

  private constructor(socket: WebSocket) {
    this.socket = socket;
    this.closed = new Promise((resolve) => socket.once('close', (code) => resolve(code)));
    socket.on('message', (data) => {
      this.messages.push(JSON.parse(String(data)) as Message);
      for (const wake of this.#arrived) wake();
    });
  }

  static async open(url: string): Promise<Client> {
    const socket = new WebSocket(url);
    const client = new Client(socket);
    await bounded(once(socket, 'open'), `${url} to open`);
    return client;
  }

  /** The first message from index `from` on that matches. */
  async next(match: (m: Message) => boolean, what: string, from = 0): Promise<Message> {
    const found = () => this.messages.slice(from).find(match);
    let wake = () => {};
    try {
      return await bounded(
        new Promise<Message>((resolve) => {
          wake = () => {
            const m = found();
            if (m !== undefined) resolve(m);
          };
          this.#arrived.add(wake);
          wake();
        }),
        what,
      );
    } finally {
      this.#arrived.delete(wake);
    }
  }

  tick(from = 0): Promise<Message> {
    return this.next((m) => m.type === 'tick', 'a tick', from);
  }

  send(message: object): void {
    this.socket.send(JSON.stringify(message));
  }

  /** Closes (if still open) and resolves with the close code. */
  close(): Promise<number> {
    this.socket.close();
    return bounded(this.closed, 'the socket to close');
  }
}

/** Lines a step logs, and a way to wait for one. */
export class Log {
  readonly lines: string[] = [];
  readonly #added = new Set<() => void>();
  readonly write = (line: string) => {
    this.lines.push(line);
    for (const wake of this.#added) wake();
  };

  async waitFor(pattern: RegExp): Promise<string> {
    let wake = () => {};
    try {
      return await bounded(
        new Promise<string>((resolve) => {
          wake = () => {
            const line = this.lines.find((l) => pattern.test(l));
            if (line !== undefined) resolve(line);
          };
          this.#added.add(wake);
          wake();
        }),
        `a log line like ${pattern}`,
      );
    } finally {
      this.#added.delete(wake);
    }
  }
}

/** `npm run step -- <args>` as a child process (how a reader runs it), with its output in a Log. */
export function runStep(args: string[], env: Record<string, string> = {}): { child: ChildProcess; out: Log; exited: Promise<number> } {
  const child = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', '--import', 'tsx', 'tutorial/run.ts', ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const out = new Log();
  for (const stream of [child.stdout, child.stderr]) {
    let partial = '';
    stream.setEncoding('utf8').on('data', (chunk: string) => {
      const lines = (partial + chunk).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) out.write(line);
    });
  }
  const exited = new Promise<number>((resolve) => child.once('exit', (code) => resolve(code ?? -1)));
  return { child, out, exited };
}

/** Stops a child this test started (by its own pid) and waits for it to go. */
export async function stop(run: { child: ChildProcess; exited: Promise<number> }): Promise<void> {
  if (run.child.exitCode === null && run.child.signalCode === null) run.child.kill('SIGTERM');
  await bounded(run.exited, 'the step to exit');
}

/**
 * What every step with a page promises: `/` answers the page, whose script is a file of its own
 * (its Content-Security-Policy forbids inline script), and /ws sends a first tick within 3 s.
 */
export async function checkPage(t: TestContext, port: number, room = 'a'): Promise<void> {
  const base = `http://127.0.0.1:${port}`;
  const page = await fetch(`${base}/?room=${room}`);
  assert.equal(page.status, 200);
  assert.match(page.headers.get('content-security-policy') ?? '', /script-src 'self'/);
  const html = await page.text();
  assert.match(html, /<script type="module" src="page.js"><\/script>/);
  assert.doesNotMatch(html, /<script>|<script[^>]*>[^<]/, 'no inline script');
  const script = await fetch(`${base}/page.js`);
  assert.equal(script.status, 200);
  assert.match(await script.text(), /new WebSocket/);

  const client = await Client.open(`ws://127.0.0.1:${port}/ws?room=${room}`);
  t.after(() => client.close());
  await bounded(client.tick(), 'the first tick', 3000);
}
