// The store on real database files in a temporary directory: migrations from empty and from the
// previous version, the one-time import of the old JSON file, writes that wait for a batch,
// reads that go on while another connection writes, a locked file that fails a batch without
// stopping the game, files that cannot be opened (a clear error naming them), leaderboards (on
// both stores, and through the HTTP route with its schema), and checkpoints that round-trip.

import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { type TestContext, test } from 'node:test';
import { DEFAULT_RULES, createGame, step } from '@snakepit/shared';
import { buildApp } from '../src/app.ts';
import { testConfig } from '../src/config.ts';
import { type GameStore, StoreError, utcDay } from '../src/store.ts';
import { decodeCheckpoint, encodeCheckpoint, type RoomCheckpoint } from '../src/store/checkpoint.ts';
import { MemoryStore } from '../src/store/memory.ts';
import { DB_FILE, JSON_FILE, MIGRATIONS, SqliteStore, migrate } from '../src/store/sqlite.ts';
import { startServer } from './helpers.ts';

/** A log that keeps what it was told. */
function recorder() {
  const lines: { level: string; msg: string; obj: Record<string, unknown> }[] = [];
  const at = (level: string) => (obj: object, msg: string) => void lines.push({ level, msg, obj: obj as Record<string, unknown> });
  return { lines, log: { info: at('info'), warn: at('warn'), error: at('error') } };
}

function tempDir(t: TestContext): string {
  const dir = mkdtempSync(join(tmpdir(), 'snakepit-store-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function open(t: TestContext, dir: string, log = recorder().log, now?: () => number): SqliteStore {
  const s = new SqliteStore(dir, log, { now });
  t.after(() => s.close());
  return s;
}

/** A second connection to the file, as another process (a backup, the sqlite3 CLI) would open it. */
function other(t: TestContext, dir: string): DatabaseSync {
  const db = new DatabaseSync(join(dir, DB_FILE), { timeout: 0 });
  t.after(() => {
    if (db.isOpen) db.close();
  });
  return db;
}

const version = (db: DatabaseSync) => Number((db.prepare('PRAGMA user_version').get() as { user_version: number }).user_version);

test('an empty directory gets a WAL database at the latest schema', (t) => {
  const dir = tempDir(t);
  const { lines, log } = recorder();
  open(t, dir, log);
  const db = other(t, dir);
  assert.equal(version(db), MIGRATIONS.length);
  assert.equal((db.prepare('PRAGMA journal_mode').get() as { journal_mode: string }).journal_mode, 'wal');
  const tables = (db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map(
    (r) => r.name,
  );
  assert.deepEqual(tables, ['checkpoints', 'replay_inputs', 'replay_keyframes', 'replay_lives', 'scores', 'top_scores']);
  assert.deepEqual(
    lines.map((l) => l.msg),
    ['database schema migrated'],
  );
});

test('a database at the previous schema is migrated and keeps its data', async (t) => {
  const dir = tempDir(t);
  const file = join(dir, DB_FILE);
  const old = new DatabaseSync(file);
  migrate(old, file, MIGRATIONS.length - 1);
  old
    .prepare('INSERT INTO top_scores (room, entries, updated_at) VALUES (?, ?, ?)')
    .run('pit', JSON.stringify([{ name: 'ann', score: 7 }]), 1);
  old.close();

  const { lines, log } = recorder();
  const s = open(t, dir, log);
  assert.deepEqual(s.topScores('pit'), [{ name: 'ann', score: 7 }]);
  assert.equal(version(other(t, dir)), MIGRATIONS.length);
  assert.deepEqual(lines[0]?.obj, { file, from: MIGRATIONS.length - 1, to: MIGRATIONS.length });
  s.recordScore({ room: 'pit', name: 'ann', score: 9, at: 0 });
  await s.flush();
  assert.equal(s.counters.batches, 1, 'the new tables take writes');
});

test('a database written by a newer version is refused with a clear error', (t) => {
  const dir = tempDir(t);
  const file = join(dir, DB_FILE);
  const db = new DatabaseSync(file);
  db.exec(`PRAGMA user_version = ${MIGRATIONS.length + 1}`);
  db.close();
  assert.throws(
    () => new SqliteStore(dir, recorder().log),
    (err: unknown) => err instanceof StoreError && err.file === file && /newer snakepit/.test(err.message) && err.message.includes(file),
  );
});

test('a file that is not a database, or a DATA_DIR that is a file, stops start-up naming the file', async (t) => {
  const dir = tempDir(t);
  writeFileSync(join(dir, DB_FILE), 'this is not a database, it is a text file long enough to have a header\n'.repeat(4));
  const notDb = join(dir, DB_FILE);
  assert.throws(
    () => new SqliteStore(dir, recorder().log),
    (err: unknown) => err instanceof StoreError && err.message === `cannot open the database ${notDb}: file is not a database`,
  );
  const aFile = join(dir, 'plain-file');
  writeFileSync(aFile, '');
  assert.throws(
    () => new SqliteStore(aFile, recorder().log),
    (err: unknown) => err instanceof StoreError && err.message.startsWith(`cannot open the database ${join(aFile, DB_FILE)}: `),
  );
  // The app refuses to build, with the same error (main.ts prints it and exits).
  await assert.rejects(buildApp(testConfig({ dataDir: dir, clientDir: null })), StoreError);
});

test('the old top-scores.json is imported once, then renamed', async (t) => {
  const dir = tempDir(t);
  const json = join(dir, JSON_FILE);
  const when = Date.UTC(2025, 0, 2, 12);
  writeFileSync(
    json,
    JSON.stringify({
      version: 1,
      rooms: {
        pit: [
          { name: 'ann', score: 12 },
          { name: 'bob', score: 5 },
        ],
        empty: [],
        bad: 'x',
      },
    }),
  );
  utimesSync(json, when / 1000, when / 1000);
  const { lines, log } = recorder();
  const s = open(t, dir, log);
  assert.deepEqual(s.topScores('pit'), [
    { name: 'ann', score: 12 },
    { name: 'bob', score: 5 },
  ]);
  assert.deepEqual(await s.leaderboard({ period: 'all', limit: 10 }), [
    { name: 'ann', score: 12, room: 'pit', at: when },
    { name: 'bob', score: 5, room: 'pit', at: when },
  ]);
  assert.ok(!existsSync(json) && existsSync(`${json}.imported`), 'renamed after the import');
  assert.ok(lines.some((l) => l.msg === 'old top scores imported into the database'));
  await s.close();
  // A second start finds nothing to import and keeps the tables.
  const again = recorder();
  const s2 = open(t, dir, again.log);
  assert.deepEqual(again.lines, []);
  assert.deepEqual(s2.topScores('pit')[0], { name: 'ann', score: 12 });
});

test('an old top-scores.json that is not valid is logged and left as it is', (t) => {
  const dir = tempDir(t);
  const json = join(dir, JSON_FILE);
  writeFileSync(json, '{not json');
  const { lines, log } = recorder();
  const s = open(t, dir, log);
  assert.deepEqual(s.topScores('pit'), []);
  assert.deepEqual(
    lines.filter((l) => l.level === 'error').map((l) => l.obj.file),
    [json],
  );
  assert.equal(readFileSync(json, 'utf8'), '{not json');
});

test('writes wait for the batch, go out in one transaction, and survive a reopen', async (t) => {
  const dir = tempDir(t);
  const s = open(t, dir);
  const db = other(t, dir);
  s.setTopScores('pit', [{ name: 'ann', score: 3 }]);
  s.recordScore({ room: 'pit', name: 'ann', score: 3, at: 1000 });
  s.recordScore({ room: 'pit', name: 'ann', score: 0, at: 1000 }); // a life that scored nothing is not kept
  assert.deepEqual(s.topScores('pit'), [{ name: 'ann', score: 3 }], 'a queued table is what the store answers');
  assert.equal((db.prepare('SELECT count(*) AS n FROM top_scores').get() as { n: number }).n, 0, 'nothing written before the batch');
  await s.flush();
  assert.equal(s.counters.batches, 1);
  assert.deepEqual(
    db
      .prepare('SELECT room, name, score FROM scores')
      .all()
      .map((r) => ({ ...r })),
    [{ room: 'pit', name: 'ann', score: 3 }],
  );
  await s.close();
  assert.deepEqual(open(t, dir).topScores('pit'), [{ name: 'ann', score: 3 }]);
});

test('a batch is committed by the writer thread while this thread is busy', async (t) => {
  const dir = tempDir(t);
  const s = open(t, dir);
  const db = other(t, dir);
  s.recordScore({ room: 'pit', name: 'ann', score: 3, at: 1000 });
  const flushed = s.flush(); // hands the batch to the writer, then comes back here
  const rows = () => (db.prepare('SELECT count(*) AS n FROM scores').get() as { n: number }).n;
  // The writer thread is only starting: a commit made on this thread would be there already.
  assert.equal(rows(), 0, 'flush() came back before the commit');
  // This thread never yields while it waits: were the commit made on it, it could not happen.
  const until = Date.now() + 60_000;
  while (rows() === 0 && Date.now() < until) {}
  assert.equal(rows(), 1, 'committed while this thread was spinning');
  await flushed;
  assert.equal(s.counters.batches, 1);
});

test('a batch whose objects cannot be handed to the writer fails like a refused one, without an exception', async (t) => {
  const dir = tempDir(t);
  const { lines, log } = recorder();
  const s = open(t, dir, log);
  const state = createGame({ ...DEFAULT_RULES, width: 20, height: 15 }, 3);
  // A function cannot cross to another thread (structured clone refuses it).
  const odd = { room: 'odd', tickRate: 10, state: { ...state, odd: () => 0 }, nextPlayerId: 1, players: [] } as RoomCheckpoint;
  s.saveCheckpoints([odd]);
  s.recordScore({ room: 'pit', name: 'ann', score: 3, at: 1000 });
  await s.flush();
  assert.equal(s.counters.failures, 1);
  assert.equal(s.counters.batches, 0);
  assert.deepEqual(
    lines.filter((l) => l.level === 'warn').map((l) => l.msg),
    ['could not write to the database; keeping the changes in memory and trying again'],
  );
});

test('reads go on while another connection writes; a locked file fails the batch, which is kept and written later', async (t) => {
  const dir = tempDir(t);
  const { lines, log } = recorder();
  const s = open(t, dir, log);
  s.recordScore({ room: 'pit', name: 'ann', score: 4, at: 1000 });
  await s.flush();

  // Another process holds the write lock, in the middle of its own transaction.
  const db = other(t, dir);
  db.exec('BEGIN IMMEDIATE');
  db.prepare("INSERT INTO scores VALUES ('pit', 'zed', '1970-01-01', 99, 5)").run();
  assert.deepEqual(
    (await s.leaderboard({ period: 'all', limit: 10 })).map((e) => e.name),
    ['ann'],
    'the store reads the last committed state, without waiting',
  );
  s.recordScore({ room: 'pit', name: 'bob', score: 6, at: 2000 });
  s.setTopScores('pit', [{ name: 'bob', score: 6 }]);
  await s.flush();
  await s.flush();
  assert.equal(s.counters.failures, 2);
  assert.deepEqual(
    lines.filter((l) => l.level === 'warn').map((l) => l.msg),
    ['could not write to the database; keeping the changes in memory and trying again'],
    'logged once, not per batch',
  );
  assert.deepEqual(s.topScores('pit'), [{ name: 'bob', score: 6 }], 'the game goes on with what it has');

  db.exec('COMMIT');
  await s.flush();
  assert.equal(s.counters.batches, 2);
  assert.deepEqual(
    (await s.leaderboard({ period: 'all', limit: 10 })).map((e) => `${e.name} ${e.score}`),
    ['zed 99', 'bob 6', 'ann 4'],
  );
  assert.equal(lines.at(-1)?.msg, 'writing to the database again');
});

/** 2025-03-10 and the day before, in UTC. */
const TODAY = Date.UTC(2025, 2, 10, 15);
const YESTERDAY = TODAY - 24 * 3600_000;

async function leaderboardCases(store: GameStore): Promise<void> {
  const rec = (room: string, name: string, score: number, at: number) => store.recordScore({ room, name, score, at });
  rec('a', 'ann', 10, YESTERDAY);
  rec('a', 'ann', 4, TODAY);
  rec('a', 'bob', 7, TODAY);
  rec('a', 'bob', 6, TODAY + 1); // lower than bob's best today: kept out
  rec('b', 'ann', 8, TODAY + 2);
  rec('b', 'cat', 30, YESTERDAY + 5);
  rec('b', 'dan', 2, TODAY + 3);
  await store.flush();
  const q = async (room: string | undefined, period: 'all' | 'today', limit = 10) =>
    (await store.leaderboard({ room, period, limit })).map((e) => `${e.name} ${e.score} ${e.room}`);

  assert.deepEqual(await q(undefined, 'all'), ['cat 30 b', 'ann 10 a', 'bob 7 a', 'dan 2 b'], 'one line per name, its best anywhere');
  assert.deepEqual(await q(undefined, 'today'), ['ann 8 b', 'bob 7 a', 'dan 2 b']);
  assert.deepEqual(await q('a', 'all'), ['ann 10 a', 'bob 7 a']);
  assert.deepEqual(await q('a', 'today'), ['bob 7 a', 'ann 4 a']);
  assert.deepEqual(await q('b', 'today', 1), ['ann 8 b']);
  assert.deepEqual(await q('nowhere', 'all'), []);
  assert.deepEqual(await store.leaderboard({ period: 'all', limit: 1 }), [{ name: 'cat', score: 30, room: 'b', at: YESTERDAY + 5 }]);
}

test('leaderboards: per room and across rooms, all-time and today (UTC), with a limit (SQLite)', async (t) => {
  await leaderboardCases(open(t, tempDir(t), recorder().log, () => TODAY));
});

test('leaderboards: the memory store answers the same', async () => {
  await leaderboardCases(new MemoryStore(() => TODAY));
});

test('GET /api/leaderboard answers by its schema and refuses bad parameters', async (t) => {
  const store = new MemoryStore();
  const now = Date.now();
  store.recordScore({ room: 'pit', name: 'ann', score: 12, at: now });
  store.recordScore({ room: 'den', name: 'bob', score: 20, at: now - 3 * 24 * 3600_000 });
  const { base } = await startServer(t, {}, { seed: 1, store });
  const get = async (query: string) => {
    const res = await fetch(`${base}/api/leaderboard${query}`);
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  assert.deepEqual(await get(''), {
    status: 200,
    body: {
      room: null,
      period: 'all',
      entries: [
        { name: 'bob', score: 20, room: 'den', at: new Date(now - 3 * 24 * 3600_000).toISOString() },
        { name: 'ann', score: 12, room: 'pit', at: new Date(now).toISOString() },
      ],
    },
  });
  assert.deepEqual((await get('?period=today')).body.entries, [{ name: 'ann', score: 12, room: 'pit', at: new Date(now).toISOString() }]);
  assert.deepEqual((await get('?room=den&limit=1')).body, {
    room: 'den',
    period: 'all',
    entries: [{ name: 'bob', score: 20, room: 'den', at: new Date(now - 3 * 24 * 3600_000).toISOString() }],
  });
  for (const bad of [
    '?limit=0',
    '?limit=101',
    '?limit=ten',
    '?limit=1.5',
    '?period=week',
    '?room=Not%20A%20Room',
    `?room=${'x'.repeat(33)}`,
  ]) {
    const { status, body } = await get(bad);
    assert.equal(status, 400, bad);
    assert.match(String(body.message), /querystring/, bad);
  }
});

test('a checkpoint round-trips a game, and a damaged one is refused', () => {
  let state = createGame({ ...DEFAULT_RULES, width: 20, height: 15, stones: 10 }, 7);
  state = step(state, {
    joins: [
      { id: 1, name: 'ann' },
      { id: 2, name: 'bob' },
    ],
  }).state;
  for (let i = 0; i < 5; i++) state = step(state, {}).state;
  const c: RoomCheckpoint = { room: 'pit', tickRate: 10, state, nextPlayerId: 3, players: [{ id: 1, tokenHash: 'h1', lastSeq: 4 }] };
  const back = decodeCheckpoint(encodeCheckpoint(c));
  assert.deepEqual(back, c);
  assert.ok(back.state.food instanceof Map && back.state.food.size > 0);
  // The restored game goes on exactly as the original would.
  assert.deepEqual(step(back.state, {}).state, step(state, {}).state);

  const text = encodeCheckpoint(c);
  assert.throws(() => decodeCheckpoint(text.replace('"tickRate":10', '"tickRate":"fast"')), /not a checkpoint: \/tickRate/);
  const overlapping = JSON.parse(text);
  overlapping.state.stones.push(overlapping.state.players[0].snake.body[0]);
  assert.throws(() => decodeCheckpoint(JSON.stringify(overlapping)), /breaks the rules/);
});

test('checkpoints are saved in a batch, replaced, deleted, and a damaged row is dropped on load', async (t) => {
  const dir = tempDir(t);
  const { lines, log } = recorder();
  const s = open(t, dir, log);
  const state = createGame({ ...DEFAULT_RULES, width: 20, height: 15 }, 3);
  const c = (room: string, tick: number): RoomCheckpoint => ({
    room,
    tickRate: 10,
    state: { ...state, tick },
    nextPlayerId: 1,
    players: [],
  });
  s.saveCheckpoints([c('a', 1), c('b', 1)]);
  s.saveCheckpoints([c('a', 2)]);
  await s.flush();
  assert.ok(s.counters.checkpointAt !== null);
  s.deleteCheckpoint('b');
  await s.flush();
  other(t, dir).prepare("INSERT INTO checkpoints VALUES ('broken', 0, '{\"version\":1}')").run();
  const loaded = await s.loadCheckpoints();
  assert.deepEqual(
    loaded.map((x) => [x.room, x.state.tick]),
    [['a', 2]],
  );
  assert.deepEqual(
    lines.filter((l) => l.level === 'warn').map((l) => l.obj.room),
    ['broken'],
  );
  await s.flush();
  assert.equal((other(t, dir).prepare('SELECT count(*) AS n FROM checkpoints').get() as { n: number }).n, 1, 'the broken row is gone');
  assert.ok(s.sizeBytes() > 0);
  assert.equal(utcDay(TODAY), '2025-03-10');
});

test('the store directory is made if missing', (t) => {
  const dir = join(tempDir(t), 'a', 'b');
  open(t, dir);
  assert.ok(existsSync(join(dir, DB_FILE)));
});
