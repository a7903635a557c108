// The socket to the game server, kept alive: it connects to /ws?room=<id>, decodes every
// message through the shared codec, and when the connection drops it reconnects with
// exponential backoff (0.5 s doubling to 8 s, with jitter so a restarted server is not hit by
// every client at once). Its state is reported for the HUD: connecting, connected,
// reconnecting (with the reason and the wait), refused (a reason that retrying cannot change,
// such as a bad room setting), or closed (by us). A frame it cannot decode is reported, never
// dropped in silence.
// Tutorial: docs/tutorial/04-client.md

import { type ClientMessage, type RoomChoice, type ServerMessage, choiceQuery, decodeServerFrame, jsonCodec } from '@snakepit/shared';

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

/** What a close code means to a player: our own words for the common ones, else the server's. */
export function closeReason(code: number, reason: string): string {
  switch (code) {
    case 1001:
      return 'the server is restarting';
    case 1006:
      return 'the connection was lost';
    case 1011:
      return 'the server hit an error';
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

  constructor(
    private readonly url: string,
    private readonly handlers: ConnectionHandlers,
  ) {
    this.#open();
  }

  get open(): boolean {
    return this.#socket?.readyState === WebSocket.OPEN;
  }

  send(msg: ClientMessage): void {
    if (this.#socket?.readyState !== WebSocket.OPEN) return;
    // Client messages are always JSON text (they are few and tiny); see shared/src/protocol/wire.ts.
    this.#socket.send(jsonCodec.encodeClient(msg) as string);
  }

  /** Closes for good (leaving the room): no reconnection. */
  close(): void {
    this.#closed = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#socket?.close(1000, 'bye');
    this.handlers.state({ kind: 'closed' });
  }

  #open(): void {
    this.handlers.state({ kind: 'connecting', retry: this.#lastReason });
    const socket = new WebSocket(this.url);
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
    socket.onmessage = (e: MessageEvent<string | ArrayBuffer>) => {
      const data = typeof e.data === 'string' ? e.data : new Uint8Array(e.data);
      const first = frames++ === 0;
      let msg: ServerMessage;
      try {
        msg = decodeServerFrame(data); // text frames are JSON, binary frames the binary codec
      } catch (err) {
        // Skipped: a lost tick shows up as a gap in the next one, which asks for a snapshot.
        this.handlers.badFrame(err, first);
        return;
      }
      // A welcome means the server took us in: the next drop starts the backoff afresh.
      if (msg.type === 'welcome') this.#attempt = 0;
      this.handlers.message(msg);
    };
    socket.onclose = (e: CloseEvent) => {
      if (this.#socket !== socket) return;
      this.#socket = null;
      if (this.#closed) return;
      const inMs = Math.round(backoffMs(this.#attempt++) * (0.75 + Math.random() * 0.5));
      const report = (reason: string) => {
        this.#lastReason = reason;
        if (!this.#closed && this.#socket === null) this.handlers.state({ kind: 'reconnecting', reason, inMs });
      };
      const retry = () => {
        this.#timer = setTimeout(() => {
          this.#timer = null;
          if (!this.#closed) this.#open();
        }, inMs);
      };
      if (opened) {
        report(closeReason(e.code, e.reason));
        return retry();
      }
      // Turned away before the upgrade, a browser sees only 1006. Ask the same URL over plain
      // HTTP: the server answers with the reason (too many connections, a bad setting, ...).
      void refusalReason(this.url).then((refused) => {
        if (this.#closed || this.#socket !== null) return;
        if (refused?.final) {
          this.#closed = true;
          this.handlers.state({ kind: 'refused', reason: refused.reason });
          return;
        }
        report(refused?.reason ?? closeReason(e.code, e.reason));
        retry();
      });
    };
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
 * this connection gets; the server ignores it when the room exists.
 */
export function socketUrl(
  location: Pick<Location, 'protocol' | 'host'>,
  room: string,
  wire?: string | null,
  choice: RoomChoice = {},
): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const format = wire === 'json' || wire === 'binary' ? `&wire=${wire}` : '';
  const settings = choiceQuery(choice);
  return `${scheme}//${location.host}/ws?room=${encodeURIComponent(room)}${format}${settings ? `&${settings}` : ''}`;
}
