#!/usr/bin/env node
// `npm run dev`: the game server (restarting when server or shared code changes) and the Vite
// dev server (hot reload, proxying /ws and /api to the game server), side by side.
// Open http://localhost:5173. Ctrl-C stops both.

import { spawn } from 'node:child_process';

const root = new URL('..', import.meta.url).pathname;
const env = { ...process.env, LOG_FORMAT: process.env.LOG_FORMAT ?? 'pretty', CLIENT_DIR: process.env.CLIENT_DIR ?? '' };

const children = [
  spawn(process.execPath, ['--conditions=source', '--import', 'tsx', '--watch', '--watch-preserve-output', 'server/src/main.ts'], {
    cwd: root,
    env,
    stdio: 'inherit',
  }),
  spawn('npx', ['vite', 'client'], { cwd: root, env, stdio: 'inherit' }),
];

let stopping = false;
function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
  process.exitCode = code;
}
for (const c of children) c.on('exit', (code) => stop(code ?? 0));
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));
