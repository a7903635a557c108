// WebSocket frames built once and sent to many. A room sends the same message to every member,
// so it builds the whole frame (RFC 6455 header + payload; server frames are never masked) once
// per tick and each socket only copies those bytes out. Going through ws.send() instead would
// frame the message again for every socket: a header buffer, an options object and a two-buffer
// writev each time, which at 50,000 sends a second was a measurable share of the CPU and GC.
// Must not: be used for anything but complete, unfragmented, uncompressed data frames.
// Tutorial: docs/tutorial/05-performance.md

const OPCODE_TEXT = 0x1;
const OPCODE_BINARY = 0x2;
const FIN = 0x80;

/** A complete WebSocket frame carrying `payload`, as a text or a binary message. */
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
