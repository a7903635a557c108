// The transport and delivery on their own, with fake peers: each message is encoded once per
// wire format, slow readers are skipped, caught up and dropped, and the start-up check refuses
// a ws setup the raw writes cannot live with.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type Codec, type ServerMessage, type SnapshotMessage, binaryCodec, jsonCodec } from '@snakepit/shared';
import WebSocket, { WebSocketServer } from 'ws';
import { Broadcaster } from '../src/broadcaster.ts';
import { ServerStats } from '../src/stats.ts';
import {
  FrameCache,
  type Recipient,
  SlowReaderPolicy,
  TransportError,
  checkTransport,
  closeReason,
  socketPeer,
  unframe,
} from '../src/transport.ts';
import { FakePeer } from './fake-peer.ts';

/** A codec that counts its encodes. */
function counting(codec: Codec): Codec & { encodes: number } {
  const spy = {
    ...codec,
    encodes: 0,
    encodeServer(msg: ServerMessage) {
      spy.encodes++;
      return codec.encodeServer(msg);
    },
  };
  return spy;
}

const recipient = (codec: Codec): Recipient & { peer: FakePeer } => ({
  peer: new FakePeer(),
  codec,
  needsSnapshot: false,
  skippedTicks: 0,
});

const tickMsg = (tick: number): ServerMessage => ({ type: 'tick', tick }) as ServerMessage;
const snapshotMsg = (tick: number): SnapshotMessage =>
  ({
    type: 'snapshot',
    tick,
    board: { width: 10, height: 10, walls: 'solid' },
    players: [],
    snakes: [],
    food: [],
    stones: [],
    top: [],
  }) as unknown as SnapshotMessage;

test('one encode per wire format per tick, and the same Buffer for every member of a format', () => {
  const json = counting(jsonCodec);
  const binary = counting(binaryCodec);
  const out = new Broadcaster(new ServerStats(), new SlowReaderPolicy(1000, 3));
  const members = [recipient(json), recipient(json), recipient(json), recipient(binary), recipient(binary)];
  out.deliver(members, tickMsg(1), () => assert.fail('nobody needs a snapshot'));
  assert.equal(json.encodes, 1);
  assert.equal(binary.encodes, 1);
  assert.equal(members[0]!.peer.sent[0], members[2]!.peer.sent[0], 'the very same Buffer');
  assert.equal(members[3]!.peer.sent[0], members[4]!.peer.sent[0]);
  assert.notEqual(members[0]!.peer.sent[0], members[3]!.peer.sent[0]);
  out.deliver(members, tickMsg(2), () => assert.fail('nobody needs a snapshot'));
  assert.equal(json.encodes, 2, 'a new tick is encoded afresh');
  assert.equal(binary.encodes, 2);
  assert.equal(members[4]!.peer.last().tick, 2);
  assert.equal(out.stats.messagesOut, 10);
});

test('the frame cache encodes a message once per format and starts over for the next message', () => {
  const json = counting(jsonCodec);
  const cache = new FrameCache();
  const a = tickMsg(1);
  const first = cache.get(json, a);
  assert.equal(cache.get(json, a), first);
  assert.equal(json.encodes, 1);
  assert.equal(first.payloadBytes, unframe(first.frame).payload.length);
  assert.notEqual(cache.get(json, tickMsg(2)).frame, first.frame);
  assert.equal(json.encodes, 2);
});

test('a slow reader is skipped, caught up with one shared snapshot, and dropped if it stays behind', () => {
  const json = counting(jsonCodec);
  const stats = new ServerStats();
  const out = new Broadcaster(stats, new SlowReaderPolicy(1000, 3));
  const fast = recipient(json);
  const slow = [recipient(json), recipient(json)];
  const all = [fast, ...slow];
  let snapshots = 0;
  const snapshot = () => snapshotMsg(++snapshots);

  for (const s of slow) s.peer.bufferedAmount = 5000;
  out.deliver(all, tickMsg(1), snapshot);
  out.deliver(all, tickMsg(2), snapshot);
  for (const s of slow) {
    assert.equal(s.peer.sent.length, 0, 'nothing written while over the cap');
    assert.equal(s.needsSnapshot, true);
  }
  assert.equal(stats.sendsSkipped, 4);
  assert.equal(fast.peer.sent.length, 2, 'the others were served');

  for (const s of slow) s.peer.bufferedAmount = 0;
  const encodes = json.encodes;
  out.deliver(all, tickMsg(3), snapshot);
  assert.equal(snapshots, 1, 'one snapshot made for both');
  assert.equal(json.encodes, encodes + 2, 'the tick and the snapshot, once each');
  assert.equal(slow[0]!.peer.sent[0], slow[1]!.peer.sent[0]);
  assert.equal(slow[0]!.peer.last().type, 'snapshot');
  assert.equal(fast.peer.last().type, 'tick');
  out.deliver(all, tickMsg(4), snapshot);
  assert.equal(slow[0]!.peer.last().type, 'tick', 'back to deltas after the snapshot');

  slow[0]!.peer.bufferedAmount = 5000;
  for (let t = 5; t <= 7; t++) out.deliver(all, tickMsg(t), snapshot);
  assert.equal(slow[0]!.peer.closedWith, null, 'three skipped ticks are allowed');
  out.deliver(all, tickMsg(8), snapshot);
  assert.deepEqual(slow[0]!.peer.closedWith, { code: 1008, reason: 'connection too slow to keep up' });
  assert.equal(stats.slowDropped, 1);
  out.deliver(all, tickMsg(9), snapshot);
  assert.equal(stats.slowDropped, 1, 'dropped once, not on every later tick');
  assert.equal(fast.peer.closedWith, null);
  assert.equal(slow[1]!.peer.closedWith, null);
});

test("the start-up check refuses compression and passes the server's own setup", () => {
  assert.throws(
    () => checkTransport(new WebSocketServer({ noServer: true, perMessageDeflate: true })),
    (err: unknown) => err instanceof TransportError && /permessage-deflate/.test(err.message),
  );
  assert.throws(() => checkTransport(new WebSocketServer({ noServer: true, perMessageDeflate: { threshold: 0 } })), TransportError);
  assert.doesNotThrow(() => checkTransport(new WebSocketServer({ noServer: true, perMessageDeflate: false })));
});

test('the start-up check fails loudly when ws no longer keeps its socket where the transport writes', () => {
  // A ws that keeps the socket under another name: what a ws upgrade could do.
  class Moved extends WebSocket {
    setSocket(socket: unknown, head: Buffer, options: object): void {
      (WebSocket.prototype as unknown as { setSocket: (...a: unknown[]) => void }).setSocket.call(this, socket, head, options);
      const self = this as unknown as { _socket: unknown; _tcp: unknown };
      self._tcp = self._socket;
      self._socket = null;
    }
  }
  const server = new WebSocketServer({ noServer: true, perMessageDeflate: false, WebSocket: Moved });
  assert.throws(
    () => checkTransport(server),
    (err: unknown) => err instanceof TransportError && /_socket/.test(err.message),
  );
});

test('a socket peer writes frames to the raw socket only while open, and refuses a compressed socket', () => {
  const written: Buffer[] = [];
  const fake = {
    readyState: WebSocket.OPEN as number,
    extensions: '',
    _socket: { write: (b: Buffer) => written.push(b), writableLength: 7 },
    close() {},
  };
  const peer = socketPeer(fake as unknown as WebSocket);
  const frame = Buffer.from([0x81, 0]);
  peer.send(frame);
  assert.deepEqual(written, [frame]);
  assert.equal(peer.bufferedAmount, 7);
  fake.readyState = WebSocket.CLOSING;
  peer.send(frame);
  assert.equal(written.length, 1, 'nothing written once ws began closing');
  assert.throws(() => socketPeer({ ...fake, extensions: 'permessage-deflate' } as unknown as WebSocket), TransportError);
  assert.throws(() => socketPeer({ ...fake, _socket: undefined } as unknown as WebSocket), TransportError);
});

test('a close reason is cut to the 123 bytes a close frame can carry', () => {
  assert.equal(closeReason('server is full'), 'server is full');
  const long = closeReason('é'.repeat(200));
  assert.ok(Buffer.byteLength(long) <= 123);
  assert.ok(long.endsWith('...'));
});
