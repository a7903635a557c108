// The socket to the game server, kept alive: it connects to /ws?room=<id>, decodes every
// message through the shared codec, and when the connection drops it reconnects with
// exponential backoff (0.5 s doubling to 8 s, with jitter so a restarted server is not hit by
// every client at once), but at most half a second apart for the first QUICK_RETRY_FOR_MS after a
// drop: a restarting server holds the snake that long, and the page should be back within
// moments of it listening again. Its state is reported for the HUD: connecting, connected,
// reconnecting (with the reason and the wait; a cluster's "room is on another instance" close,
// 4409, is retried like a drop until routing agrees), refused (a reason that retrying cannot change,
// such as a bad room setting), or closed (by us). A frame it cannot decode is reported, never
// dropped in silence. Its URL is asked for at each attempt, so a reconnection can carry the
// resume token of the last welcome. With ?lag (debug only) every message in and out waits on a
// LagLine (lag.ts).
// Tutorial: docs/tutorial/06-resume.md

import { type ClientMessage, type RoomChoice, type ServerMessage, choiceQuery, decodeServerFrame, jsonCodec } from '@snakepit/shared';
import { type Lag, LagLine } from './lag.ts';

export type ConnectionState =
  /** `retry`: why the previous connection ended, when this is a reconnection attempt. */
  | { readonly kind: 'connecting'; readonly retry: string | null }
  | { readonly kind: 'connected' }
  | { readonly kind: 'reconnecting'; readonly reason: string; readonly inMs: number }
  | { readonly kind: 'refused'; readonly reason: string }
  | { readonly kind: 'closed' };

export interface ConnectionHandlers {
  message(msg: ServerMessage): void;
  state(state: ConnectionState): void;
  /** Called on every successful (re)connection, before any message. */
  open?(): void;
  /**
   * A frame the shared codec could not read. `first`: it was the first frame of its connection,
   * which is always the welcome, so this client cannot read this server at all.
   */
  badFrame(error: unknown, first: boolean): void;
}

/** Why the server turned a connection away before the upgrade, as a plain GET of the URL tells. */
export interface Refusal {
  readonly reason: string;
  /** The same URL will be refused again (a bad room or setting): do not retry. */
  readonly final: boolean;
}

/** Delay before reconnection attempt `attempt` (0-based), in ms, before jitter. */
export function backoffMs(attempt: number): number {
  return Math.min(8000, 500 * 2 ** attempt);
}

/** For this long after a drop, in ms (the server's default RESUME_GRACE_S), retries come quickly. */
export const QUICK_RETRY_FOR_MS = 10_000;
/** The longest wait between two attempts meanwhile, in ms, before jitter. */
export const QUICK_RETRY_MAX_MS = 500;

/** Delay before attempt `attempt`, `sinceDropMs` after the connection dropped, in ms, before jitter. */
export function retryDelayMs(attempt: number, sinceDropMs: number): number {
  const backoff = backoffMs(attempt);
  return sinceDropMs < QUICK_RETRY_FOR_MS ? Math.min(QUICK_RETRY_MAX_MS, backoff) : backoff;
}

/** What a close code means to a player: our own words for the common ones, else the server's. */
export function closeReason(code: number, reason: string): string {
  switch (code) {
    case 1001:
    case 1012:
      return 'the server is restarting';
    case 1006:
      return 'the connection was lost';
    case 1011:
      return 'the server hit an error';
    case 4409: // a cluster's instance that does not run this room (server/src/cluster/ownership.ts)
      return 'the room is on another server; trying again';
    default:
      if (reason) return reason;
      if (code === 1008) return 'the server refused a message';
      if (code === 1009) return 'a message was too large';
      if (code === 1013) return 'the server is busy';
      return `connection closed (${code})`;
  }
}

export class Connection {
  #socket: WebSocket | null = null;
  #attempt = 0;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #closed = false;
  /** Why the last connection ended, until a new one opens. */
  #lastReason: string | null = null;
  /** performance.now() when the connection dropped, until a welcome takes us in again. */
  #droppedAt: number | null = null;
  readonly #url: () => string;
  /** Messages in and out, held back to simulate a slow link; null without ?lag. */
  readonly #in: LagLine | null;
  readonly #out: LagLine | null;
  /** Set by drop(…, false): the next attempt waits for reconnect(). */
  #holding = false;
  #held: (() => void) | null = null;

  /** `url` is asked for again before every attempt. */
  constructor(
    url: string | (() => string),
    private readonly handlers: ConnectionHandlers,
    lag: Lag | null = null,
  ) {
    this.#url = typeof url === 'string' ? () => url : url;
    this.#in = lag && new LagLine(lag);
    this.#out = lag && new LagLine(lag);
    this.#open();
  }

  get open(): boolean {
    return this.#socket?.readyState === WebSocket.OPEN;
  }

  send(msg: ClientMessage): void {
    const socket = this.#socket;
    if (socket?.readyState !== WebSocket.OPEN) return;
    // Client messages are always JSON text (they are few and tiny); see shared/src/protocol/wire.ts.
    const text = jsonCodec.encodeClient(msg) as string;
    if (!this.#out) {
      socket.send(text);
      return;
    }
    this.#out.run(() => {
      if (socket.readyState === WebSocket.OPEN) socket.send(text);
    });
  }

  /** Closes for good (leaving the room): no reconnection. What was sent goes out first. */
  close(): void {
    this.#closed = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#in?.stop();
    const socket = this.#socket;
    if (this.#out) this.#out.run(() => socket?.close(1000, 'bye'));
    else socket?.close(1000, 'bye');
    this.handlers.state({ kind: 'closed' });
  }

  /**
   * Closes the socket the way a lost connection ends, without a word to the server (for tests,
   * through the debug hook). With `reconnect` false the page waits for reconnect() before trying again.
   */
  drop(reconnect = true): void {
    this.#holding = !reconnect;
    this.#socket?.close(4000, 'dropped by the debug hook');
  }

  /** Lets a connection held by drop(false) try again now. */
  reconnect(): void {
    this.#holding = false;
    const held = this.#held;
    this.#held = null;
    held?.();
  }

  #open(): void {
    this.handlers.state({ kind: 'connecting', retry: this.#lastReason });
    const url = this.#url();
    const socket = new WebSocket(url);
    socket.binaryType = 'arraybuffer';
    this.#socket = socket;
    let opened = false;
    let frames = 0;
    socket.onopen = () => {
      opened = true;
      this.#lastReason = null;
      this.handlers.state({ kind: 'connected' });
      this.handlers.open?.();
    };
    // Through the lag line when there is one: messages and the close keep their order.
    const arrive = (fn: () => void) => (this.#in ? this.#in.run(fn) : fn());
    socket.onmessage = (e: MessageEvent<string | ArrayBuffer>) => arrive(() => this.#read(e.data, frames++ === 0));
    socket.onclose = (e: CloseEvent) => arrive(() => this.#ended(socket, url, opened, e));
  }

  #read(raw: string | ArrayBuffer, first: boolean): void {
    if (this.#closed) return;
    const data = typeof raw === 'string' ? raw : new Uint8Array(raw);
    let msg: ServerMessage;
    try {
      msg = decodeServerFrame(data); // text frames are JSON, binary frames the binary codec
    } catch (err) {
      // Skipped: a lost tick shows up as a gap in the next one, which asks for a snapshot.
      this.handlers.badFrame(err, first);
      return;
    }
    // A welcome means the server took us in: the next drop starts the backoff afresh.
    if (msg.type === 'welcome') {
      this.#attempt = 0;
      this.#droppedAt = null;
    }
    this.handlers.message(msg);
  }

  #ended(socket: WebSocket, url: string, opened: boolean, e: Pick<CloseEvent, 'code' | 'reason'>): void {
    if (this.#socket !== socket) return;
    this.#socket = null;
    if (this.#closed) return;
    this.#droppedAt ??= performance.now();
    const inMs = Math.round(retryDelayMs(this.#attempt++, performance.now() - this.#droppedAt) * (0.75 + Math.random() * 0.5));
    const report = (reason: string) => {
      this.#lastReason = reason;
      if (!this.#closed && this.#socket === null) this.handlers.state({ kind: 'reconnecting', reason, inMs });
    };
    const retry = () => {
      const again = () => {
        this.#timer = setTimeout(() => {
          this.#timer = null;
          if (!this.#closed) this.#open();
        }, inMs);
      };
      if (this.#holding) this.#held = again;
      else again();
    };
    if (opened) {
      report(closeReason(e.code, e.reason));
      retry();
      return;
    }
    // Turned away before the upgrade, a browser sees only 1006. Ask the same URL over plain
    // HTTP: the server answers with the reason (too many connections, a bad setting, ...).
    void refusalReason(url).then((refused) => {
      if (this.#closed || this.#socket !== null) return;
      if (refused?.final) {
        this.#closed = true;
        this.handlers.state({ kind: 'refused', reason: refused.reason });
        return;
      }
      report(refused?.reason ?? closeReason(e.code, e.reason));
      retry();
    });
  }
}

/**
 * What a refusal's HTTP status means for retrying: 400 (bad room, wire or settings) and 403
 * (a page from a foreign origin) will be answered the same way however often we ask; a full
 * server (429, 503) may have room in a moment.
 */
export function refusalIsFinal(status: number): boolean {
  return status === 400 || status === 403;
}

/** Why the server refuses `wsUrl`, when it says so over plain HTTP; null if it does not. */
export async function refusalReason(wsUrl: string): Promise<Refusal | null> {
  try {
    const res = await fetch(wsUrl.replace(/^ws/, 'http'), { cache: 'no-store' });
    if (res.ok || res.status === 404) return null;
    const body = (await res.json()) as { message?: unknown };
    return typeof body.message === 'string' ? { reason: body.message, final: refusalIsFinal(res.status) } : null;
  } catch {
    return null; // the server is not there at all
  }
}

/**
 * The WebSocket URL for `room` on the server that served this page. `wire` ('json' or 'binary')
 * picks the format; leave it out for the server's default (binary). ?wire=json on the page URL
 * makes the stream readable in the browser's network panel. `choice` is what a room created by
 * this connection gets; the server ignores it when the room exists. `resume`, a welcome's token,
 * asks to take back the player that welcome was for.
 */
export function socketUrl(
  location: Pick<Location, 'protocol' | 'host'>,
  room: string,
  wire?: string | null,
  choice: RoomChoice = {},
  resume: string | null = null,
): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const format = wire === 'json' || wire === 'binary' ? `&wire=${wire}` : '';
  const settings = choiceQuery(choice);
  const token = resume ? `&resume=${encodeURIComponent(resume)}` : '';
  return `${scheme}//${location.host}/ws?room=${encodeURIComponent(room)}${format}${settings ? `&${settings}` : ''}${token}`;
}
