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
  return { app, close, base, ws: (room?: string) => `ws://127.0.0.1:${address.port}/ws${room === undefined ? '' : `?room=${room}`}` };
}

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

  /** Resolves with the first message (from index `from`) matching `pred`; rejects after `ms`. */
  async next<T extends ServerMessage['type']>(
    type: T,
    pred: (m: Extract<ServerMessage, { type: T }>) => boolean = () => true,
    ms = 3000,
    from = 0,
  ): Promise<Extract<ServerMessage, { type: T }>> {
    return this.until(() => {
      for (let i = from; i < this.messages.length; i++) {
        const m = this.messages[i]!;
        if (m.type === type && pred(m as Extract<ServerMessage, { type: T }>)) return m as Extract<ServerMessage, { type: T }>;
      }
      return undefined;
    }, ms, `no ${type} message`);
  }

  /** Resolves once `probe` returns a value, re-checking after every message; rejects after `ms`. */
  until<R>(probe: () => R | undefined, ms = 3000, what = 'condition not met'): Promise<R> {
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
