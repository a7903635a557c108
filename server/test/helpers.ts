// Test helpers: a real server on port 0 and real WebSocket clients that record what they get.

import type { TestContext } from 'node:test';
import { type ServerMessage, WorldMirror, decodeServerFrame } from '@snakepit/shared';
import WebSocket from 'ws';
import { type AppOptions, buildApp } from '../src/app.ts';
import { type Config, testConfig } from '../src/config.ts';

export async function startServer(t: TestContext, overrides: Partial<Config> = {}, options: AppOptions = { seed: 1, memoryOnly: true }) {
  const app = await buildApp(testConfig({ clientDir: null, ...overrides }), options);
  await app.listen({ port: 0, host: '127.0.0.1' });
  // Idempotent: a test may close early (to restart, say); the after-hook then does nothing.
  let closing: Promise<void> | null = null;
  const close = () => (closing ??= app.close());
  t.after(close);
  const address = app.server.address();
  if (typeof address !== 'object' || address === null) throw new Error('no address');
  const base = `http://127.0.0.1:${address.port}`;
  /** The game socket's URL for `room` (the lobby if left out), with more query parameters if given. */
  const ws = (room?: string, params: Record<string, string> = {}) => {
    const query = new URLSearchParams(room === undefined ? params : { room, ...params }).toString();
    return `ws://127.0.0.1:${address.port}/ws${query === '' ? '' : `?${query}`}`;
  };
  return { app, close, base, ws };
}

/** How long a test waits for a message before it calls the wait a hang, in ms. */
export const WAIT_MS = 10_000;

/** A WebSocket client that keeps every message and mirrors the room it watches. */
export class TestClient {
  readonly ws: WebSocket;
  readonly messages: ServerMessage[] = [];
  readonly mirror = new WorldMirror();
  readonly closed: Promise<{ code: number; reason: string }>;
  readonly opened: Promise<void>;
  #waiters: (() => void)[] = [];

  constructor(url: string, options?: WebSocket.ClientOptions) {
    this.ws = new WebSocket(url, options);
    this.opened = new Promise((resolve, reject) => {
      this.ws.once('open', () => resolve());
      this.ws.once('error', reject);
    });
    this.closed = new Promise((resolve) => {
      this.ws.once('close', (code, reason) => {
        resolve({ code, reason: reason.toString() });
        this.#wake();
      });
    });
    this.ws.on('message', (data, isBinary) => {
      const msg = decodeServerFrame(isBinary ? new Uint8Array(data as Buffer) : (data as Buffer).toString());
      this.messages.push(msg);
      if (msg.type === 'snapshot') this.mirror.applySnapshot(msg);
      else if (msg.type === 'tick') this.mirror.applyTick(msg);
      this.#wake();
    });
  }

  #wake(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const w of waiters) w();
  }

  send(msg: object | string | Buffer): void {
    this.ws.send(typeof msg === 'object' && !Buffer.isBuffer(msg) ? JSON.stringify(msg) : msg);
  }

  /**
   * Resolves with the first message (from index `from`) matching `pred`; rejects after `ms`
   * (a hang detector, generous so that a busy machine does not trip it).
   */
  async next<T extends ServerMessage['type']>(
    type: T,
    pred: (m: Extract<ServerMessage, { type: T }>) => boolean = () => true,
    ms = WAIT_MS,
    from = 0,
  ): Promise<Extract<ServerMessage, { type: T }>> {
    return this.until(
      () => {
        for (let i = from; i < this.messages.length; i++) {
          const m = this.messages[i]!;
          if (m.type === type && pred(m as Extract<ServerMessage, { type: T }>)) return m as Extract<ServerMessage, { type: T }>;
        }
        return undefined;
      },
      ms,
      `no ${type} message`,
    );
  }

  /** Resolves once `probe` returns a value, re-checking after every message; rejects after `ms`. */
  until<R>(probe: () => R | undefined, ms = WAIT_MS, what = 'condition not met'): Promise<R> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${what} within ${ms} ms`)), ms);
      const check = () => {
        const value = probe();
        if (value !== undefined) {
          clearTimeout(timer);
          resolve(value);
        } else if (this.ws.readyState === WebSocket.CLOSED) {
          clearTimeout(timer);
          reject(new Error(`${what}: socket closed`));
        } else {
          this.#waiters.push(check);
        }
      };
      check();
    });
  }

  close(): Promise<{ code: number; reason: string }> {
    this.ws.close();
    return this.closed;
  }
}

export async function connect(url: string): Promise<TestClient> {
  const c = new TestClient(url);
  await c.opened;
  return c;
}

/**
 * Resolves once `probe()` is true, checking every few ms; rejects after `ms` (a hang detector,
 * generous so a busy machine cannot trip it: assert on what happened, not on how fast).
 */
export async function waitFor(probe: () => boolean, what: string, ms = 20_000): Promise<void> {
  const started = performance.now();
  while (!probe()) {
    if (performance.now() - started > ms) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
