// The WebSocket transport: how a server message becomes bytes on a socket, and the rules for a
// socket that cannot keep up. A room sends the same message to every member, so a message is
// framed once (RFC 6455 header + payload; server frames are never masked), once per wire format
// per tick (FrameCache), and each socket only copies those bytes out, straight to the TCP socket
// under ws. Going through ws.send() would frame the message again for every socket.
// Must not: know about rooms or games; it moves ServerMessages, it does not decide who gets them.
// Tutorial: docs/tutorial/03-state-sync.md

import type { Socket } from 'node:net';
import { Duplex } from 'node:stream';
import type { Codec, ServerMessage } from '@snakepit/shared';
import WebSocket, { type WebSocketServer } from 'ws';

// ---- framing -------------------------------------------------------------------------------

const OPCODE_TEXT = 0x1;
const OPCODE_BINARY = 0x2;
const FIN = 0x80;

/**
 * A complete WebSocket frame carrying `payload`, as a text or a binary message.
 * Only complete, unfragmented, uncompressed data frames: the start-up check keeps it so.
 */
export function wsFrame(payload: Uint8Array, binary: boolean): Buffer {
  const n = payload.length;
  const head = n < 126 ? 2 : n < 65536 ? 4 : 10;
  const frame = Buffer.allocUnsafe(head + n);
  frame[0] = FIN | (binary ? OPCODE_BINARY : OPCODE_TEXT);
  if (n < 126) {
    frame[1] = n;
  } else if (n < 65536) {
    frame[1] = 126;
    frame.writeUInt16BE(n, 2);
  } else {
    frame[1] = 127;
    frame.writeUInt32BE(0, 2);
    frame.writeUInt32BE(n, 6);
  }
  frame.set(payload, head);
  return frame;
}

/** The payload of a frame made by wsFrame, and whether it is binary (tests and tools). */
export function unframe(frame: Buffer): { payload: Buffer; binary: boolean } {
  const len = frame[1]! & 0x7f;
  const head = len < 126 ? 2 : len === 126 ? 4 : 10;
  return { payload: frame.subarray(head), binary: (frame[0]! & 0x0f) === OPCODE_BINARY };
}

/** A message as a ready WebSocket frame, and the size of its payload (for the counters). */
export interface Encoded {
  readonly frame: Buffer;
  readonly payloadBytes: number;
}

export function encodeFrame(codec: Codec, msg: ServerMessage): Encoded {
  const out = codec.encodeServer(msg);
  const payload = typeof out === 'string' ? Buffer.from(out) : out;
  return { frame: wsFrame(payload, typeof out !== 'string'), payloadBytes: payload.length };
}

/**
 * One message's frames, at most one per wire format, encoded on first use. Every member of a
 * format gets the very same Buffer. Giving it another message empties it, so a room keeps one
 * cache per kind of message (the tick's delta, the catch-up snapshot) for its whole life.
 */
export class FrameCache {
  #msg: ServerMessage | null = null;
  readonly #frames = new Map<Codec, Encoded>();

  get(codec: Codec, msg: ServerMessage): Encoded {
    if (msg !== this.#msg) {
      this.#msg = msg;
      this.#frames.clear();
    }
    let out = this.#frames.get(codec);
    if (out === undefined) {
      out = encodeFrame(codec, msg);
      this.#frames.set(codec, out);
    }
    return out;
  }

  /** Lets go of the last message's frames (they would otherwise live until the next tick). */
  clear(): void {
    this.#msg = null;
    this.#frames.clear();
  }
}

// ---- sockets ---------------------------------------------------------------------------------

/** One connection as the server sees it: a socket, or a fake one in tests. */
export interface Peer {
  /** Writes one complete WebSocket frame (wsFrame); the same Buffer may go to many peers. */
  send(frame: Buffer): void;
  /** Bytes accepted by send() but not yet written to the network. */
  readonly bufferedAmount: number;
  close(code: number, reason: string): void;
}

/** Close codes the server uses (RFC 6455 section 7.4.1). */
export const CLOSE = {
  GOING_AWAY: 1001,
  POLICY: 1008,
  INTERNAL_ERROR: 1011,
  TRY_AGAIN_LATER: 1013,
} as const;

/** A close frame's reason is at most 123 bytes (RFC 6455 section 5.5): longer text is cut. */
export function closeReason(text: string): string {
  if (Buffer.byteLength(text) <= 123) return text;
  let cut = text.slice(0, 120);
  while (Buffer.byteLength(cut) > 120) cut = cut.slice(0, -1);
  return `${cut}...`;
}

/** The transport cannot work with this ws setup; the server must not start. */
export class TransportError extends Error {
  constructor(message: string) {
    super(`transport: ${message}`);
    this.name = 'TransportError';
  }
}

/** ws keeps the TCP socket in a field it does not document (ws is pinned to 8.x). */
type WithSocket = { _socket?: unknown };

/**
 * Checked once, when the server starts, so a ws upgrade or a config change fails at once with
 * a reason instead of corrupting streams later. socketPeer writes ready frames straight to the
 * TCP socket under ws; that is sound only while:
 *  - no compression is configured (permessage-deflate would give ws a queue of messages
 *    waiting on zlib, and our frames would overtake them; the RSV1 bit would also be wrong);
 *  - ws is the only other writer, and it writes each of its own frames (pings, pongs, close)
 *    whole and at once: true without compression, so frames never interleave;
 *  - ws still keeps the socket in `_socket` once a connection is set up (probed here on a
 *    socket of the server's own WebSocket class);
 *  - we write only while the socket is OPEN (socketPeer checks), never once ws began closing.
 */
export function checkTransport(server: WebSocketServer): void {
  const options = server.options as { perMessageDeflate?: unknown; WebSocket?: typeof WebSocket };
  if (options.perMessageDeflate) {
    throw new TransportError(
      'permessage-deflate is enabled on the WebSocket server; frames are written uncompressed and pre-built, so it must be off (perMessageDeflate: false)',
    );
  }
  const Ws = options.WebSocket ?? WebSocket;
  const probe = new Ws(null as unknown as string, undefined, {}) as WebSocket & {
    setSocket(socket: Duplex, head: Buffer, opts: object): void;
  };
  const fake = new Duplex({
    read() {},
    write(_chunk, _enc, done) {
      done();
    },
  });
  try {
    probe.setSocket(fake, Buffer.alloc(0), { maxPayload: 0 });
    if ((probe as WithSocket)._socket !== fake) {
      throw new TransportError(
        'this ws no longer keeps its socket in _socket (the transport is written for ws 8.x): update socketPeer or pin ws',
      );
    }
  } finally {
    fake.destroy();
  }
}

/**
 * The Peer for an accepted socket. Frames go straight to the TCP socket under ws (see
 * checkTransport for why that is safe), and only while the socket is OPEN. Throws for a socket
 * that breaks those assumptions (the WebSocket plugin logs it and drops that socket).
 */
export function socketPeer(socket: WebSocket): Peer {
  const tcp = (socket as WithSocket)._socket as Socket | undefined;
  if (!tcp || typeof tcp.write !== 'function') throw new TransportError('an accepted socket has no _socket (see checkTransport)');
  if (socket.extensions !== '') throw new TransportError(`a socket negotiated "${socket.extensions}"; frames are written uncompressed`);
  return {
    send: (frame) => {
      if (socket.readyState === WebSocket.OPEN) tcp.write(frame);
    },
    get bufferedAmount() {
      return tcp.writableLength;
    },
    close: (code, reason) => socket.close(code, reason),
  };
}

// ---- slow readers ----------------------------------------------------------------------------

/** 64 KiB: about two seconds of ticks for a big room; a healthy socket holds far less. */
export const MAX_BUFFERED_BYTES = 64 * 1024;

/** What a member of a room is, as far as delivery goes. */
export interface Recipient {
  readonly peer: Peer;
  /** The wire format it asked for; each format is encoded at most once per tick. */
  readonly codec: Codec;
  /** Its next message must be a full snapshot (it was skipped, or asked to resync). */
  needsSnapshot: boolean;
  /** Ticks skipped in a row because its buffer was over the cap. */
  skippedTicks: number;
}

export type SlowReaderVerdict = 'send' | 'skip' | 'drop';

/**
 * A socket whose send buffer is over the cap is skipped for the tick (it will need a snapshot
 * to catch up) rather than allowed to slow the room; one skipped more than `maxSkippedTicks`
 * ticks in a row is dropped. The room's tick is never held up either way.
 */
export class SlowReaderPolicy {
  constructor(
    readonly maxBufferedBytes: number,
    readonly maxSkippedTicks: number,
  ) {}

  /** Judges `r` for this tick and updates its skip count and snapshot flag. */
  judge(r: Recipient): SlowReaderVerdict {
    if (r.peer.bufferedAmount <= this.maxBufferedBytes) {
      r.skippedTicks = 0;
      return 'send';
    }
    r.needsSnapshot = true;
    return ++r.skippedTicks === this.maxSkippedTicks + 1 ? 'drop' : 'skip';
  }
}
