// The WebSocket endpoint, /ws?room=<id>[&wire=json|binary][&size=&speed=&walls=&stones=][&resume=].
// Everything that can be refused is refused before the upgrade, with an HTTP status and a JSON
// reason (the WebSocket plugin then closes the socket): a bad room id, wire format, room setting
// or resume token (400), a foreign origin (403), too many connections from one address (429), no
// room for another room or an overloaded server (503). In a cluster, a socket for a room another
// instance runs is the exception: upgraded, then closed with CLOSE_ELSEWHERE (cluster/ownership.ts),
// so that the page's own reconnection retries it. A plain GET of the same URL gets the same
// answer, which is how a browser (which cannot read a failed upgrade's status) finds out why.
// Settings only shape a room that does not exist yet; whether a resume token names a player is
// the room's to say, after the upgrade. On upgrade the socket joins its room and its message
// handler is attached at once, synchronously, so no message arrives unheard; every message goes
// through one ClientConnection (connection.ts), every byte out through the transport.
// Tutorial: docs/tutorial/07-hardening.md

import {
  DEFAULT_ROOM,
  type RoomChoice,
  WIRE_FORMATS,
  type WireFormat,
  isValidRoomId,
  isWireFormat,
  parseRoomChoice,
} from '@snakepit/shared';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { RawData } from 'ws';
import { CLOSE_ELSEWHERE, ELSEWHERE_REASON, type RoomOwnership } from '../cluster/ownership.js';
import { ClientConnection } from '../connection.js';
import type { Heartbeat } from '../heartbeat.js';
import type { RoomRegistry } from '../rooms/registry.js';
import { CLOSE, checkTransport, closeReason, encodeFrame, socketPeer } from '../transport.js';

export interface WsOptions {
  readonly registry: RoomRegistry;
  /** Origins allowed to open a socket; empty means the page's own host only. */
  readonly allowedOrigins: readonly string[];
  /** Format for connections that do not ask for one with ?wire=. */
  readonly wireFormat: WireFormat;
  readonly maxConnectionsPerIp: number;
  readonly maxMessagesPerSecond: number;
  readonly heartbeat: Heartbeat;
  /** True while the event loop lags past MAX_EVENT_LOOP_DELAY_MS (app.ts): new sockets get 503. */
  readonly overloaded: () => boolean;
  /** In a cluster, who may run which room (cluster/ownership.ts); a single process has none. */
  readonly ownership?: RoomOwnership;
}

type WsQuery = Readonly<Record<string, string | string[] | undefined>>;

/** Longest `resume` value let through to the room; a real token is 22 characters. */
export const MAX_RESUME_CHARS = 64;

/** What a connection asked for, read once from the query: where, in which format, with what settings, resuming what. */
export type Admission =
  | {
      readonly ok: true;
      readonly room: string;
      readonly wire: WireFormat;
      readonly choice: RoomChoice;
      /** The resume token, when the page is taking back a dropped game. */
      readonly resume?: string;
    }
  | { readonly ok: false; readonly error: 'bad-room' | 'bad-wire' | 'bad-settings' | 'bad-token'; readonly message: string };

/** Reads the query of /ws; a bad value is refused with the error code and a reason for people. */
export function readWsQuery(query: WsQuery, defaultWire: WireFormat): Admission {
  const room = query.room ?? DEFAULT_ROOM;
  if (typeof room !== 'string' || !isValidRoomId(room)) {
    return { ok: false, error: 'bad-room', message: 'room must be 1-32 characters of a-z, 0-9 and -' };
  }
  const wire = query.wire ?? defaultWire;
  if (typeof wire !== 'string' || !isWireFormat(wire)) return { ok: false, error: 'bad-wire', message: 'wire must be json or binary' };
  const choice = parseRoomChoice(query);
  if (!choice.ok) return { ok: false, error: 'bad-settings', message: choice.message };
  const resume = query.resume;
  if (resume === undefined) return { ok: true, room, wire, choice: choice.choice };
  if (typeof resume !== 'string' || resume.length > MAX_RESUME_CHARS) {
    return { ok: false, error: 'bad-token', message: `resume must be one token of at most ${MAX_RESUME_CHARS} characters` };
  }
  return { ok: true, room, wire, choice: choice.choice, resume };
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
  // Before the first socket: a ws setup the transport cannot write to stops the server here.
  checkTransport(app.websocketServer);
  /** Open sockets per client address. */
  const perIp = new Map<string, number>();

  function refuse(reply: FastifyReply, status: number, error: string, message: string) {
    return reply.code(status).header('cache-control', 'no-store').send({ error, message });
  }

  async function admit(req: FastifyRequest<{ Querystring: WsQuery }>, reply: FastifyReply) {
    if (!originAllowed(req.headers.origin, req.host, allowedOrigins)) {
      return refuse(reply, 403, 'bad-origin', 'this page may not open a game connection here (see ALLOWED_ORIGINS)');
    }
    const asked = readWsQuery(req.query, wireFormat);
    if (!asked.ok) return refuse(reply, 400, asked.error, asked.message);
    if ((perIp.get(req.ip) ?? 0) >= opts.maxConnectionsPerIp) {
      return refuse(reply, 429, 'too-many-connections', `too many connections from your address (at most ${opts.maxConnectionsPerIp})`);
    }
    const refusal = registry.refusal(asked.room);
    if (refusal) return refuse(reply, 503, 'server-busy', refusal);
    if (opts.overloaded()) {
      req.log.warn('under pressure: refusing a new connection');
      reply.header('retry-after', '5');
      return refuse(reply, 503, 'server-busy', 'the server is overloaded right now: try again in a moment');
    }
    // A cluster: the room runs here only if this instance holds its lease. A socket for a room
    // another instance runs is upgraded and closed with CLOSE_ELSEWHERE (the page retries); a
    // plain GET of the URL hears the same as a 409. A draining instance answers 503, and nginx
    // tries the next instance (deploy/nginx.conf).
    const claim = await opts.ownership?.claim(asked.room);
    if (claim && !claim.ok) {
      if (claim.why === 'unavailable') return refuse(reply, 503, 'server-busy', claim.reason);
      if (req.headers.upgrade?.toLowerCase() !== 'websocket') return refuse(reply, 409, 'room-elsewhere', ELSEWHERE_REASON);
    }
  }

  app.get<{ Querystring: WsQuery }>('/ws', { websocket: true, preValidation: admit }, (socket, req) => {
    const asked = readWsQuery(req.query, wireFormat);
    if (!asked.ok) return socket.close(CLOSE.POLICY, asked.error); // admit() already refused it
    if (opts.ownership && !opts.ownership.holds(asked.room)) return socket.close(CLOSE_ELSEWHERE, ELSEWHERE_REASON);
    const codec = WIRE_FORMATS[asked.wire];
    const peer = socketPeer(socket);
    const joined = registry.join(asked.room, peer, codec, asked.choice, asked.resume);
    if (!joined.ok) {
      // Lost a race for the last room (or the server began shutting down) since admit(), or the
      // room could not be made: say why in a message the client can show, then close.
      peer.send(encodeFrame(codec, { type: 'error', tick: 0, code: joined.code, message: joined.reason }).frame);
      socket.close(joined.code === 'server-busy' ? CLOSE.TRY_AGAIN_LATER : CLOSE.INTERNAL_ERROR, closeReason(joined.reason));
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

function asBytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) return Buffer.concat(data);
  return data instanceof ArrayBuffer ? new Uint8Array(data) : data;
}
