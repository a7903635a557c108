// Frames built once per tick must be exactly what ws would have sent: the header at every
// length boundary here, and read by real ws clients in every socket test (ws.test.ts and others).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { unframe, wsFrame } from '../src/transport.ts';

test('wsFrame and unframe agree for every payload size class', () => {
  for (const n of [0, 1, 125, 126, 127, 65535, 65536, 70000]) {
    for (const binary of [true, false]) {
      const payload = Buffer.alloc(n, 7);
      const frame = wsFrame(payload, binary);
      const back = unframe(frame);
      assert.equal(back.binary, binary);
      assert.equal(back.payload.length, n);
      assert.ok(back.payload.equals(payload));
    }
  }
});

test('headers follow RFC 6455: FIN set, opcode, 7/16/64-bit lengths, no mask', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 70_000 }), fc.boolean(), (bytes, binary) => {
      const f = wsFrame(bytes, binary);
      assert.equal(f[0], 0x80 | (binary ? 2 : 1));
      assert.equal(f[1]! & 0x80, 0, 'server frames are not masked');
      const len = f[1]! & 0x7f;
      const n = len < 126 ? len : len === 126 ? f.readUInt16BE(2) : Number(f.readBigUInt64BE(2));
      assert.equal(n, bytes.length);
    }),
    { numRuns: 200 },
  );
});
