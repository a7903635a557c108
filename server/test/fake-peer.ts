// A connection as a room sees it (transport.ts's Peer), without a socket: it keeps every frame
// it is sent and decodes them in whichever codec their frame type says.

import { type ServerMessage, decodeServerFrame } from '@snakepit/shared';
import { type Peer, unframe } from '../src/transport.ts';

export class FakePeer implements Peer {
  sent: Buffer[] = [];
  bufferedAmount = 0;
  closedWith: { code: number; reason: string } | null = null;
  send(frame: Buffer): void {
    this.sent.push(frame);
  }
  close(code: number, reason: string): void {
    this.closedWith = { code, reason };
  }
  messages(): ServerMessage[] {
    return this.sent.map(decode);
  }
  last(): ServerMessage {
    return decode(this.sent.at(-1)!);
  }
}

function decode(frame: Buffer): ServerMessage {
  const { payload, binary } = unframe(frame);
  return decodeServerFrame(binary ? new Uint8Array(payload) : payload.toString());
}
