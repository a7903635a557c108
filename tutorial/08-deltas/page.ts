// Step 8's page: it keeps a copy of the view (a mirror), built from the snapshot and moved on by
// each delta. A delta that does not follow the tick it has (a lost message) is a gap: the page
// asks for a snapshot and waits for it. `?drop=N` throws away every Nth tick, to see that happen.
// Chapter: docs/tutorial/03-state-sync.md

import { cellPoint, drawBoard, keyDir } from '../page/draw.ts';
import { type Delta, type View, apply } from '../08-deltas/delta.ts';

const canvas = document.getElementById('board') as HTMLCanvasElement;
const status = document.getElementById('status')!;
const drop = Number(new URLSearchParams(location.search).get('drop') ?? 0);
const socket = new WebSocket(`${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}/ws`);
let me: number | null = null;
let mirror: View | null = null;
let seq = 0;
let received = 0;
let resyncs = 0;

socket.onmessage = (event) => {
  const message = JSON.parse(event.data as string) as ({ type: 'snapshot'; id: number; view: View } | ({ type: 'tick' } & Delta)) & {
    type: string;
  };
  if (message.type === 'snapshot') {
    me = message.id;
    mirror = message.view;
  } else if (message.type === 'tick' && mirror !== null) {
    if (drop > 0 && ++received % drop === 0) return; // pretend it was lost
    try {
      mirror = apply(mirror, message);
    } catch {
      mirror = null; // a gap: ticks are ignored until the snapshot comes
      resyncs++;
      socket.send('{"type":"resync"}');
      return;
    }
  } else return;
  const { width, height, food, snakes, tick } = mirror;
  drawBoard(
    canvas,
    width,
    height,
    food,
    snakes.map((s) => ({ id: s.id, points: s.body.map((c) => cellPoint(c, width)) })),
    me,
  );
  status.textContent = `tick ${tick}, last message ${event.data.length} bytes, ${resyncs} resyncs`;
};
socket.onclose = () => {
  status.textContent = 'disconnected: reload to play again';
};
document.addEventListener('keydown', (event) => {
  const dir = keyDir(event.key);
  if (dir === null || socket.readyState !== WebSocket.OPEN) return;
  socket.send(JSON.stringify({ type: 'turn', dir, seq: ++seq }));
  event.preventDefault();
});
