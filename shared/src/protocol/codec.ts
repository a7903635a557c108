// The seam between messages and bytes. Rules, rooms and rendering only ever see message
// objects; how they travel is decided here: JSON (this file) or the compact binary codec
// (binary.ts), picked per connection (wire.ts), without touching anything else.
// Decoding what a client sent never trusts it: decodeClient may throw, and validate.ts turns
// whatever comes out into a checked ClientMessage or a clear refusal.
// Tutorial: docs/tutorial/03-state-sync.md

import type { ClientMessage, ServerMessage } from './messages.js';

// shared/ has no DOM or Node typings; TextDecoder exists in both, so declare just what we use.
declare const TextDecoder: new (
  label?: string,
  options?: { fatal?: boolean },
) => {
  decode(input: Uint8Array): string;
};

/** A WebSocket frame's payload as either side sees it. */
export type Frame = string | Uint8Array;

export interface Codec {
  readonly name: string;
  encodeServer(msg: ServerMessage): Frame;
  decodeServer(data: Frame): ServerMessage;
  encodeClient(msg: ClientMessage): Frame;
  /** Bytes to an unchecked value; throws on garbage. Pass the result to parseClientMessage. */
  decodeClient(data: Frame): unknown;
}

// fatal: invalid UTF-8 is refused rather than silently replaced.
const utf8 = new TextDecoder('utf-8', { fatal: true });

function text(data: Frame): string {
  return typeof data === 'string' ? data : utf8.decode(data);
}

/** Plain JSON text frames: easy to read in the browser's network panel and to write a bot for. */
export const jsonCodec: Codec = {
  name: 'json',
  encodeServer: (msg) => JSON.stringify(msg),
  decodeServer: (data) => JSON.parse(text(data)) as ServerMessage,
  encodeClient: (msg) => JSON.stringify(msg),
  decodeClient: (data) => JSON.parse(text(data)) as unknown,
};
