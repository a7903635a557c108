// Chapter 06's restart, as a script: the built server runs a room with one player in it; SIGTERM
// stops it (every room saved to DATA_DIR, every socket closed with 1012); a second server starts
// on the same DATA_DIR, and the player comes back with its resume token to the same snake. Prints
// what happened, one line a step; the docs test runs this and compares with the chapter.
// Chapter: docs/tutorial/06-resume.md

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Player, startServer } from './lab.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'snakepit-restart-'));
const servers: Awaited<ReturnType<typeof startServer>>[] = [];
const ann = new Player('ann', 'pit');
try {
  const first = await startServer({ DATA_DIR: dataDir });
  servers.push(first);
  await ann.connect(first.port);
  await ann.ticks(5);
  console.log(`server 1: ann joins room pit as player ${ann.id} and plays`);

  const exit = first.stop('SIGTERM');
  const closed = await ann.closing();
  const lastSeen = ann.mirror.tick;
  console.log(`server 1 gets SIGTERM: ann's socket closes with ${closed.code} "${closed.reason}"`);
  console.log(`server 1 exits with code ${await exit}`);

  const second = await startServer({ DATA_DIR: dataDir });
  servers.push(second);
  console.log('server 2 starts on the same DATA_DIR');
  const before = new Map(ann.history); // the room at each tick ann saw from server 1
  await ann.connect(second.port);
  const back = ann.resumedAt!;
  const same = ann.history.get(back) === before.get(back);
  console.log(`ann reconnects with her token: player ${ann.id} again`);
  console.log(`the room is back at ${back === lastSeen ? 'the very tick' : `tick ${back}, not the tick`} ann saw last`);
  console.log(`her snake and score are ${same ? 'the same' : 'NOT the same'} as she saw them then`);
  await ann.ticks(3);
  console.log('and it moves on: the game goes on');
} finally {
  ann.close();
  for (const s of servers) await s.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
