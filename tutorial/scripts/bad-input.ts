// Chapter 07's "one door per socket", as a script: the built server runs room pit with ann playing
// in it, and four other sockets in the same room misbehave, each in its own way: a wrong message,
// five of them, bytes that are not JSON, a flood, one message too large. Prints what the server
// answers each; then that ann's game went on throughout. The docs test runs this and compares
// with the chapter.
// Chapter: docs/tutorial/07-hardening.md

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Player, startServer } from './lab.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'snakepit-bad-input-'));
const server = await startServer({ DATA_DIR: dataDir });
const sockets: Player[] = [];
const socket = async () => {
  const s = new Player(null, 'pit');
  sockets.push(s);
  await s.connect(server.port);
  return s;
};
const ended = (s: Player) => (s.closed ? `closed with ${s.closed.code}${s.closed.reason ? ` "${s.closed.reason}"` : ''}` : 'still open');
try {
  const ann = new Player('ann', 'pit');
  sockets.push(ann);
  await ann.connect(server.port);
  const annFrom = ann.mirror.tick;

  const wrong = await socket();
  wrong.send('{"type":"turn","dir":"north","seq":1}');
  await wrong.until('an answer', () => wrong.errors.length === 1);
  await wrong.ticks(2);
  console.log(`a wrong message: answered "${wrong.errors[0]}"; the socket is ${ended(wrong)}`);

  const five = await socket();
  for (let i = 0; i < 5; i++) five.send('{"type":"turn","dir":"up"}');
  await five.closing();
  console.log(`five wrong messages: ${five.errors.length} answers, then ${ended(five)}`);

  const garbage = await socket();
  garbage.send('hello');
  await garbage.closing();
  console.log(`bytes that are not JSON: answered "${garbage.errors[0]}", then ${ended(garbage)}`);

  const flood = await socket();
  for (let i = 0; i < 200; i++) flood.send('{"type":"ping","id":1}');
  await flood.closing();
  console.log(`200 messages at once: ${ended(flood)}`);

  const big = await socket();
  big.send(`{"type":"join","name":"${'x'.repeat(10_000)}"}`);
  await big.closing();
  console.log(`a 10 kB message: ${ended(big)} (too big), before it is parsed`);

  await ann.ticks(3);
  const gap = [...Array(ann.mirror.tick - annFrom + 1).keys()].some((i) => !ann.history.has(annFrom + i));
  console.log(`ann, in the same room: ${ann.closed ? ended(ann) : 'still playing'}, ${gap ? 'with ticks missing' : 'not a tick missed'}`);
} finally {
  for (const s of sockets) s.close();
  await server.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
