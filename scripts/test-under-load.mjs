#!/usr/bin/env node
// `node scripts/test-under-load.mjs [runs]`: runs `npm test` `runs` times in a row (default 5)
// while this process keeps every core busy with spinning threads, and prints one line a run. It
// is how the suite is checked for tests that pass only on an idle machine: CI shares its 2-core
// machines, so a test that waits on a sleep instead of an event fails there some day.
// Stops at the first failing run (its output is in the log named on the line) unless --all.
// Must not: leave anything behind: the spinning threads are workers of this process, ended with
// it, and a run stopped by SIGINT or SIGTERM takes its npm test's whole process group with it
// (its servers, browsers and Redis would otherwise outlive it).

import { spawn } from 'node:child_process';
import { createWriteStream, mkdtempSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';

const args = process.argv.slice(2);
const all = args.includes('--all');
const runs = Number(args.find((a) => /^\d+$/.test(a)) ?? 5);
const root = new URL('..', import.meta.url).pathname;
const logs = mkdtempSync(join(tmpdir(), 'snakepit-under-load-'));

// One spinning thread per core, at the same priority as the tests.
const spinners = Array.from({ length: availableParallelism() }, () => new Worker('let x = 0; for (;;) x = (x + 1) % 1e9;', { eval: true }));
console.log(`${spinners.length} threads keep every core busy; npm test ${runs} times; logs in ${logs}`);

/** The npm test running now: a process group of its own, so that stopping ends all of it. */
let running = null;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    if (running?.pid) {
      try {
        process.kill(-running.pid, 'SIGTERM');
      } catch {
        // already gone
      }
    }
    console.log(`stopped by ${signal}`);
    process.exit(130);
  });
}

function npmTest(log) {
  return new Promise((resolve) => {
    const out = createWriteStream(log);
    const child = spawn('npm', ['test'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    running = child;
    let last = '';
    const keep = (d) => {
      out.write(d);
      const lines = String(d).trim().split('\n');
      last = lines.at(-1) || last;
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', (d) => out.write(d));
    child.on('close', (code) => {
      running = null;
      out.end(() => resolve({ code: code ?? 1, last }));
    });
  });
}

let failed = 0;
for (let i = 1; i <= runs; i++) {
  const started = Date.now();
  const log = join(logs, `run-${i}.log`);
  const { code, last } = await npmTest(log);
  const load = loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');
  console.log(
    `run ${i}: ${code === 0 ? 'passed' : 'FAILED'}: ${last} in ${Math.round((Date.now() - started) / 1000)} s (load ${load}), ${log}`,
  );
  if (code !== 0) {
    failed++;
    if (!all) break;
  }
}
await Promise.all(spinners.map((w) => w.terminate()));
console.log(failed === 0 ? `all ${runs} runs passed with every core kept busy` : `${failed} run(s) failed`);
process.exit(failed === 0 ? 0 : 1);
