// Which codec a frame is in. A connection picks its format when it opens (`/ws?wire=json` for
// a readable stream while debugging; compact binary by default), and the frame type tells the
// reader: text frames are JSON, binary frames are the binary codec. So a client can decode
// whatever it is sent without being told. Client->server messages are always JSON text.
// Tutorial: docs/tutorial/03-state-sync.md

import { binaryCodec } from './binary.js';
import { type Codec, type Frame, jsonCodec } from './codec.js';
import type { ServerMessage } from './messages.js';

export const WIRE_FORMATS = { binary: binaryCodec, json: jsonCodec } as const satisfies Record<string, Codec>;
export type WireFormat = keyof typeof WIRE_FORMATS;
/** The formats a connection may ask for, for settings and messages. */
export const WIRE_FORMAT_NAMES = Object.keys(WIRE_FORMATS) as readonly WireFormat[];

export function isWireFormat(value: string): value is WireFormat {
  return Object.hasOwn(WIRE_FORMATS, value);
}

/** Decodes a server frame in whichever codec its frame type says. */
export function decodeServerFrame(data: Frame): ServerMessage {
  return typeof data === 'string' ? jsonCodec.decodeServer(data) : binaryCodec.decodeServer(data);
}
