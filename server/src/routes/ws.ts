// The WebSocket endpoint, /ws?room=<id>. The room id is checked before the upgrade (400 if it
// is not 1-32 characters of a-z, 0-9 and -). On upgrade the socket joins its room as a
// spectator and its message handler is attached at once, synchronously, so no message can
// arrive unheard. Every message goes through parseClientMessage; what fails gets an error
// message, and garbage or repeated invalid input closes the socket with 1008.
// Tutorial: docs/tutorial/03-server.md

import { DEFAULT_ROOM, WIRE_FORMATS, type WireFormat, isValidRoomId, isWireFormat } from '@snakepit/shared';
import { parseClientMessage } from '@snakepit/shared/validate';
import type { FastifyInstance } from 'fastify';
import type { RawData, WebSocket } from 'ws';
import type { RoomRegistry } from '../rooms/registry.js';
import { CLOSE, type Peer, encode } from '../rooms/room.js';

/** Invalid (but well-formed) messages a socket may send before it is closed. */
export const MAX_INVALID_MESSAGES = 5;

interface WsQuery {
  room?: string | string[];
  wire?: string | string[];
}

export interface WsOptions {
  readonly registry: RoomRegistry;
  /** Origins allowed to open a socket; empty means the page's own host only. */
  readonly allowedOrigins: readonly string[];
  /** Format for connections that do not ask for one with ?wire=. */
  readonly wireFormat: WireFormat;
}

/**
 * May a page from `origin` open a socket on `host`? Browsers always send Origin, so this is
 * what stops another site from playing (or flooding) on its visitors' behalf. Clients that are
 * not browsers (bots, the bench) send none and are let through: Origin protects browsers only.
 */
export function originAllowed(origin: string | undefined, host: string | undefined, allowed: readonly string[]): boolean {
  if (origin === undefined) return true;
  if (allowed.includes('*') || allowed.includes(origin)) return true;
  if (allowed.length > 0) return false;
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}

export async function wsRoutes(app: FastifyInstance, opts: WsOptions): Promise<void> {
  const { registry, allowedOrigins, wireFormat } = opts;

  app.get<{ Querystring: WsQuery }>(
    '/ws',
    {
      websocket: true,
      preValidation: async (req, reply) => {
        if (!originAllowed(req.headers.origin, req.host, allowedOrigins)) {
          return reply.code(403).send({ error: 'bad-origin', message: 'this origin may not open a game socket (see ALLOWED_ORIGINS)' });
        }
        const room = req.query.room ?? DEFAULT_ROOM;
        if (typeof room !== 'string' || !isValidRoomId(room)) {
          return reply.code(400).send({ error: 'bad-room', message: 'room must be 1-32 characters of a-z, 0-9 and -' });
        }
        const wire = req.query.wire ?? wireFormat;
        if (typeof wire !== 'string' || !isWireFormat(wire)) {
          return reply.code(400).send({ error: 'bad-wire', message: 'wire must be json or binary' });
        }
      },
    },
    (socket, req) => {
      const roomId = (req.query.room as string | undefined) ?? DEFAULT_ROOM;
      const codec = WIRE_FORMATS[(req.query.wire as WireFormat | undefined) ?? wireFormat];
      const peer = socketPeer(socket);
      const joined = registry.join(roomId, peer, codec);
      if (!joined.ok) {
        // Say why in a message the client can show, then close with "try again later".
        const refusal = encode(codec, { type: 'error', tick: 0, code: 'server-busy', message: joined.reason });
        socket.send(refusal.data, { binary: refusal.binary });
        socket.close(CLOSE.TRY_AGAIN_LATER, joined.reason);
        return;
      }
      const { room } = joined;
      let invalid = 0;

      socket.on('message', (data: RawData) => {
        const bytes = asBytes(data);
        registry.stats.messagesIn++;
        registry.stats.bytesIn += bytes.length;
        const r = parseClientMessage(bytes);
        if (r.ok) return room.receive(peer, r.msg);
        room.sendError(peer, 'bad-message', r.reason);
        if (r.garbage) socket.close(CLOSE.POLICY, 'unreadable message');
        else if (++invalid >= MAX_INVALID_MESSAGES) socket.close(CLOSE.POLICY, 'too many invalid messages');
      });
      socket.on('close', () => registry.leave(room, peer));
    },
  );
}

function socketPeer(socket: WebSocket): Peer {
  return {
    send: (data, binary) => socket.send(data, { binary }),
    get bufferedAmount() {
      return socket.bufferedAmount;
    },
    close: (code, reason) => socket.close(code, reason),
  };
}

function asBytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) return Buffer.concat(data);
  return data instanceof ArrayBuffer ? new Uint8Array(data) : data;
}
