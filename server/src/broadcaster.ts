// Delivery for one room: who gets which bytes this tick. Every member gets the tick's message,
// except a slow reader (skipped, later caught up with a snapshot, dropped if it stays behind)
// and a member that needs a snapshot (it gets that instead). Frames come from the transport's
// caches, so each message is encoded once per wire format and the same Buffer goes to everyone.
// Must not: know the game. The room hands it a message and a way to make a snapshot; this file
// counts what it sends and allocates nothing per socket.
// Tutorial: docs/tutorial/03-state-sync.md

import type { Codec, ServerMessage, SnapshotMessage } from '@snakepit/shared';
import type { ServerStats } from './stats.js';
import { CLOSE, type Encoded, FrameCache, type Peer, type Recipient, type SlowReaderPolicy, encodeFrame } from './transport.js';

export class Broadcaster {
  readonly #deltas = new FrameCache();
  readonly #snapshots = new FrameCache();

  constructor(
    readonly stats: ServerStats,
    readonly policy: SlowReaderPolicy,
  ) {}

  /** One message to one peer (welcome, refusals): encoded for it alone. */
  send(peer: Peer, codec: Codec, msg: ServerMessage): void {
    this.#write(peer, encodeFrame(codec, msg));
  }

  /**
   * The tick's `msg` to every recipient that can take it; `snapshot()` is called at most once,
   * and only if someone needs one.
   */
  deliver(recipients: Iterable<Recipient>, msg: ServerMessage, snapshot: () => SnapshotMessage): void {
    // The hot loop of the server (one pass per socket per tick): the common case, a socket
    // under the cap in the room's usual wire format, costs a getter, a compare and a write.
    const cap = this.policy.maxBufferedBytes;
    let full: SnapshotMessage | null = null;
    let codec: Codec | null = null;
    let out: Encoded | null = null;
    let sent = 0;
    let bytes = 0;
    for (const r of recipients) {
      if (r.peer.bufferedAmount > cap || r.skippedTicks !== 0) {
        const verdict = this.policy.judge(r);
        if (verdict !== 'send') {
          this.stats.sendsSkipped++;
          if (verdict === 'drop') {
            this.stats.slowDropped++;
            r.peer.close(CLOSE.POLICY, 'connection too slow to keep up');
          }
          continue;
        }
      }
      let frame: Encoded;
      if (r.needsSnapshot) {
        full ??= snapshot();
        r.needsSnapshot = false;
        frame = this.#snapshots.get(r.codec, full);
      } else {
        if (r.codec !== codec) {
          codec = r.codec;
          out = this.#deltas.get(codec, msg);
        }
        frame = out!;
      }
      r.peer.send(frame.frame);
      sent++;
      bytes += frame.payloadBytes;
    }
    this.stats.messagesOut += sent;
    this.stats.bytesOut += bytes;
    // Nothing is kept between ticks: a room that goes quiet holds no frames.
    this.#deltas.clear();
    if (full !== null) this.#snapshots.clear();
  }

  #write(peer: Peer, out: Encoded): void {
    peer.send(out.frame);
    this.stats.messagesOut++;
    this.stats.bytesOut += out.payloadBytes;
  }
}
