// Step 9's page: step 8's mirror, drawn on every animation frame instead of once per tick, one
// tick behind, each snake gliding between the last two views (interpolate.ts). `?smooth=0` draws
// only the latest view, as step 8 did, to compare.
// Chapter: docs/tutorial/04-drawing.md

import { type Delta, type View, apply } from '../08-deltas/delta.ts';
import { drawBoard, keyDir } from '../page/draw.ts';
import { between, progress } from '../09-smooth/interpolate.ts';

const canvas = document.getElementById('board') as HTMLCanvasElement;
const status = document.getElementById('status')!;
const smooth = new URLSearchParams(location.search).get('smooth') !== '0';
const socket = new WebSocket(`${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}/ws`);
let me: number | null = null;
let tickMs = 150;
let previous: View | null = null;
let latest: View | null = null;
let arrived = 0;
let seq = 0;

socket.onmessage = (event) => {
  const message = JSON.parse(event.data as string) as (
    | { type: 'snapshot'; id: number; tickMs: number; view: View }
    | ({ type: 'tick' } & Delta)
  ) & { type: string };
  if (message.type === 'snapshot') {
    me = message.id;
    tickMs = message.tickMs;
    previous = latest = message.view;
  } else if (message.type === 'tick' && latest !== null) {
    try {
      previous = latest;
      latest = apply(latest, message);
    } catch {
      previous = latest = null;
      socket.send('{"type":"resync"}');
      return;
    }
  } else return;
  arrived = performance.now();
  status.textContent = `tick ${latest.tick}${smooth ? ', drawn one tick behind' : ''}`;
};
socket.onclose = () => {
  status.textContent = 'disconnected: reload to play again';
};

function frame(now: number): void {
  if (latest !== null && previous !== null) {
    const alpha = smooth ? progress(now, arrived, tickMs) : 1;
    const before = new Map(previous.snakes.map((s) => [s.id, s.body]));
    const snakes = latest.snakes.map((s) => ({ id: s.id, points: between(before.get(s.id), s.body, alpha, latest!.width) }));
    drawBoard(canvas, latest.width, latest.height, latest.food, snakes, me);
  }
  requestAnimationFrame(frame);
}
requestAnimationFrame(frame);

document.addEventListener('keydown', (event) => {
  const dir = keyDir(event.key);
  if (dir === null || socket.readyState !== WebSocket.OPEN) return;
  socket.send(JSON.stringify({ type: 'turn', dir, seq: ++seq }));
  event.preventDefault();
});
