// A WebSocket client written by hand on a TCP socket, for sending what no well-behaved library
// will send: unmasked frames, reserved opcodes, invalid UTF-8, endless fragments. It also lets a
// test stop reading altogether (a slow reader) while still writing.

import { randomBytes } from 'node:crypto';
import { type Socket, connect } from 'node:net';

export interface RawFrameOptions {
  fin?: boolean;
  opcode: number;
  payload: Buffer;
  masked?: boolean;
  /** Claim this payload length in the header (to lie about it); defaults to the real one. */
  length?: number;
}

export function frame({ fin = true, opcode, payload, masked = true, length = payload.length }: RawFrameOptions): Buffer {
  const head: number[] = [(fin ? 0x80 : 0) | opcode];
  const maskBit = masked ? 0x80 : 0;
  if (length < 126) head.push(maskBit | length);
  else if (length < 65536) head.push(maskBit | 126, length >> 8, length & 255);
  else {
    const big = Buffer.alloc(8);
    big.writeBigUInt64BE(BigInt(length));
    head.push(maskBit | 127, ...big);
  }
  if (!masked) return Buffer.concat([Buffer.from(head), payload]);
  const mask = randomBytes(4);
  const body = Buffer.from(payload.map((b, i) => b ^ mask[i % 4]!));
  return Buffer.concat([Buffer.from(head), mask, body]);
}

export const text = (s: string) => frame({ opcode: 0x1, payload: Buffer.from(s) });

/** Opens a socket and completes the WebSocket handshake on `path` (e.g. /ws?room=x). */
export function rawConnect(port: number, path: string): Promise<{ socket: Socket; received: () => Buffer }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let buf = Buffer.alloc(0);
    let upgraded = false;
    socket.on('data', (d) => {
      buf = Buffer.concat([buf, d]);
      if (upgraded) return;
      const end = buf.indexOf('\r\n\r\n');
      if (end < 0) return;
      const head = buf.subarray(0, end).toString();
      if (!head.startsWith('HTTP/1.1 101')) return reject(new Error(`no upgrade: ${head.split('\r\n')[0]}`));
      upgraded = true;
      buf = buf.subarray(end + 4);
      resolve({ socket, received: () => buf });
    });
    socket.on('error', reject);
    socket.write(
      `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
        `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
    );
  });
}

/** The close code in the first close frame (opcode 0x8) found in `data`, or null. */
export function closeCode(data: Buffer): number | null {
  let i = 0;
  while (i + 2 <= data.length) {
    const opcode = data[i]! & 0x0f;
    let len = data[i + 1]! & 0x7f;
    let at = i + 2;
    if (len === 126) {
      len = data.readUInt16BE(at);
      at += 2;
    } else if (len === 127) {
      len = Number(data.readBigUInt64BE(at));
      at += 8;
    }
    if (opcode === 0x8) return len >= 2 ? data.readUInt16BE(at) : 1005;
    i = at + len;
  }
  return null;
}

/** Resolves when the server has closed the TCP connection. */
export function ended(socket: Socket): Promise<void> {
  return new Promise((resolve) => {
    if (socket.destroyed || socket.readableEnded) return resolve();
    socket.once('close', () => resolve());
  });
}
