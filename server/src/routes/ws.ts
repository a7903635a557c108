// The WebSocket endpoint, /ws?room=<id>[&wire=json|binary]. Everything that can be refused is
// refused before the upgrade, with an HTTP status and a JSON reason: a bad room id or wire
// format (400), a foreign origin (403), too many connections from one address (429), no room
// for another room (503). A plain GET of the same URL gets the same answer, which is how a
// browser (which cannot read a failed upgrade's status) finds out why it was turned away.
// On upgrade the socket joins its room as a spectator and its message handler is attached at
// once, synchronously, so no message can arrive unheard; every message then goes through one
// ClientConnection (connection.ts).
// Tutorial: docs/tutorial/03-server.md

import { DEFAULT_ROOM, WIRE_FORMATS, type WireFormat, isValidRoomId, isWireFormat } from '@snakepit/shared';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Socket } from 'node:net';
import type { RawData, WebSocket } from 'ws';
import { ClientConnection } from '../connection.js';
import { Heartbeat } from '../heartbeat.js';
import type { RoomRegistry } from '../rooms/registry.js';
import { CLOSE, type Peer, encode } from '../rooms/room.js';

export interface WsOptions {
  readonly registry: RoomRegistry;
  /** Origins allowed to open a socket; empty means the page's own host only. */
  readonly allowedOrigins: readonly string[];
  /** Format for connections that do not ask for one with ?wire=. */
  readonly wireFormat: WireFormat;
  readonly maxConnectionsPerIp: number;
  readonly maxMessagesPerSecond: number;
  readonly heartbeat: Heartbeat;
}

interface WsQuery {
  room?: string | string[];
  wire?: string | string[];
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
  const { registry, allowedOrigins, wireFormat, heartbeat } = opts;
  /** Open sockets per client address. */
  const perIp = new Map<string, number>();

  function refuse(reply: FastifyReply, status: number, error: string, message: string) {
    return reply.code(status).header('cache-control', 'no-store').send({ error, message });
  }

  async function admit(req: FastifyRequest<{ Querystring: WsQuery }>, reply: FastifyReply) {
    if (!originAllowed(req.headers.origin, req.host, allowedOrigins)) {
      return refuse(reply, 403, 'bad-origin', 'this page may not open a game connection here (see ALLOWED_ORIGINS)');
    }
    const room = req.query.room ?? DEFAULT_ROOM;
    if (typeof room !== 'string' || !isValidRoomId(room)) {
      return refuse(reply, 400, 'bad-room', 'room must be 1-32 characters of a-z, 0-9 and -');
    }
    const wire = req.query.wire ?? wireFormat;
    if (typeof wire !== 'string' || !isWireFormat(wire)) {
      return refuse(reply, 400, 'bad-wire', 'wire must be json or binary');
    }
    if ((perIp.get(req.ip) ?? 0) >= opts.maxConnectionsPerIp) {
      return refuse(reply, 429, 'too-many-connections', `too many connections from your address (at most ${opts.maxConnectionsPerIp})`);
    }
    const refusal = registry.refusal(room);
    if (refusal) return refuse(reply, 503, 'server-busy', refusal);
  }

  app.get<{ Querystring: WsQuery }>('/ws', { websocket: true, preValidation: admit }, (socket, req) => {
    const roomId = (req.query.room as string | undefined) ?? DEFAULT_ROOM;
    const codec = WIRE_FORMATS[(req.query.wire as WireFormat | undefined) ?? wireFormat];
    const peer = socketPeer(socket);
    const joined = registry.join(roomId, peer, codec);
    if (!joined.ok) {
      // Lost a race for the last room (or the server began shutting down) since admit():
      // say why in a message the client can show, then close with "try again later".
      peer.send(encode(codec, { type: 'error', tick: 0, code: 'server-busy', message: joined.reason }).frame);
      socket.close(CLOSE.TRY_AGAIN_LATER, joined.reason);
      return;
    }
    const ip = req.ip;
    perIp.set(ip, (perIp.get(ip) ?? 0) + 1);
    const connection = new ClientConnection(peer, joined.room, registry.stats, opts);
    socket.on('message', (data: RawData) => connection.receive(asBytes(data)));
    socket.on('close', () => {
      const left = (perIp.get(ip) ?? 1) - 1;
      if (left > 0) perIp.set(ip, left);
      else perIp.delete(ip);
      registry.leave(joined.room, peer);
    });
    heartbeat.watch(socket);
  });
}

/**
 * The room's view of a socket. Frames come ready-made (frame.ts) and go straight to the TCP
 * socket under ws: safe because this server never compresses or fragments, so ws itself never
 * holds a message back, and nothing is written once ws has begun closing. ws keeps that socket
 * in a field it does not document; ws is pinned to 8.x in package.json.
 */
function socketPeer(socket: WebSocket): Peer {
  const tcp = (socket as unknown as { _socket: Socket })._socket;
  return {
    send: (frame) => {
      if (socket.readyState === socket.OPEN) tcp.write(frame);
    },
    get bufferedAmount() {
      return tcp.writableLength;
    },
    close: (code, reason) => socket.close(code, reason),
  };
}

function asBytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) return Buffer.concat(data);
  return data instanceof ArrayBuffer ? new Uint8Array(data) : data;
}
