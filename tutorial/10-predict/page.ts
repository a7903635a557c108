// Step 10's page: step 9's, plus your own snake drawn ahead (predict.ts). `?lag=MS` holds every
// message for MS milliseconds each way, as a far-away server would; `?predict=0` draws your snake
// like the others, from the server's word only. Try /?lag=150&predict=0, then /?lag=150.
// Chapter: docs/tutorial/05-prediction.md

import { type Delta, type View, apply } from '../08-deltas/delta.ts';
import { between, progress } from '../09-smooth/interpolate.ts';
import { drawBoard, keyDir } from '../page/draw.ts';
import { type SentTurn, predict } from '../10-predict/predict.ts';

const canvas = document.getElementById('board') as HTMLCanvasElement;
const status = document.getElementById('status')!;
const params = new URLSearchParams(location.search);
const lag = Math.max(0, Number(params.get('lag') ?? 0) || 0);
const predicting = params.get('predict') !== '0';
const socket = new WebSocket(`${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}/ws`);
const later = (fn: () => void) => (lag > 0 ? setTimeout(fn, lag) : fn());
let me: number | null = null;
let tickMs = 150;
let previous: View | null = null;
let latest: View | null = null;
let arrived = 0;
let seq = 0;
let sent: (SentTurn & { at: number })[] = [];
let roundTrip = 0; // ms, from a turn sent to the tick that acknowledges it
let ownBefore: readonly number[] | undefined;
let own: readonly number[] | undefined;

function onMessage(data: string): void {
  const message = JSON.parse(data) as (
    | { type: 'snapshot'; id: number; tickMs: number; view: View }
    | ({ type: 'tick'; ack: number } & Delta)
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
    const now = performance.now();
    for (const turn of sent)
      if (turn.seq <= message.ack) roundTrip = roundTrip === 0 ? now - turn.at : 0.8 * roundTrip + 0.2 * (now - turn.at);
    sent = sent.filter((turn) => turn.seq > message.ack);
  } else return;
  arrived = performance.now();
  const body = latest.snakes.find((s) => s.id === me)?.body;
  const ahead = Math.ceil(roundTrip / tickMs);
  ownBefore = own;
  own = body === undefined || !predicting ? body : predict(body, sent, ahead, latest.width, latest.height);
  status.textContent = `tick ${latest.tick}, lag ${lag} ms each way, round trip ~${Math.round(roundTrip)} ms, ${predicting ? `your snake drawn ${ahead} ticks ahead` : 'no prediction'}, ${sent.length} turns unacknowledged`;
}

socket.onmessage = (event) => later(() => onMessage(event.data as string));
socket.onclose = () => {
  status.textContent = 'disconnected: reload to play again';
};

function frame(now: number): void {
  if (latest !== null && previous !== null) {
    const alpha = progress(now, arrived, tickMs);
    const before = new Map(previous.snakes.map((s) => [s.id, s.body]));
    const snakes = latest.snakes.map((s) => ({
      id: s.id,
      points:
        s.id === me && own !== undefined
          ? between(ownBefore, own, alpha, latest!.width)
          : between(before.get(s.id), s.body, alpha, latest!.width),
    }));
    drawBoard(canvas, latest.width, latest.height, latest.food, snakes, me);
  }
  requestAnimationFrame(frame);
}
requestAnimationFrame(frame);

document.addEventListener('keydown', (event) => {
  const dir = keyDir(event.key);
  if (dir === null || socket.readyState !== WebSocket.OPEN) return;
  const turn = { type: 'turn', dir, seq: ++seq };
  sent.push({ seq, dir, at: performance.now() });
  later(() => socket.send(JSON.stringify(turn)));
  event.preventDefault();
});
