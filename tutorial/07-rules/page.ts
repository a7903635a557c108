// Step 7's page: it sends a turn for each arrow key (or WASD) and draws each state the server
// sends. It decides nothing: where the snakes are is the server's word, one tick at a time.
// Chapter: docs/tutorial/02-rules.md

import { cellPoint, drawBoard, keyDir } from '../page/draw.ts';
import type { State } from '../07-rules/rules.ts';

const canvas = document.getElementById('board') as HTMLCanvasElement;
const status = document.getElementById('status')!;
const socket = new WebSocket(`${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}/ws`);
let me: number | null = null;
let seq = 0;

socket.onmessage = (event) => {
  const message = JSON.parse(event.data as string) as { type: string; id?: number; state?: State };
  if (message.type === 'welcome') me = message.id ?? null;
  if (message.type !== 'tick' || message.state === undefined) return;
  const { width, height, food, snakes, tick } = message.state;
  drawBoard(
    canvas,
    width,
    height,
    food,
    snakes.map((s) => ({ id: s.id, points: s.body.map((c) => cellPoint(c, width)) })),
    me,
  );
  status.textContent = `tick ${tick}, ${event.data.length} bytes`;
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
