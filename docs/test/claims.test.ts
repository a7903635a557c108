// Docs are code, part two: what a chapter claims about the repository must stay true.
// - every path it names (`server/src/rooms/room.ts`, a link to another doc) exists;
// - every code name it puts in backticks (`nextDir`, `WorldMirror`, `MAX_QUEUED_TURNS`,
//   `session.turn()`) is declared somewhere in the code, or is a platform or library name listed
//   here;
// - every test it cites by name ('the test "a gap asks for a snapshot"') is a real test;
// - every command in a "Run it" section is run here (on free ports, each with a timeout), or is
//   listed in NOT_RUN with the reason.
// The quotes themselves are checked by quotes.test.ts.

import assert from 'node:assert/strict';
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, globSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';

const ROOT = new URL('../..', import.meta.url).pathname;
const CHAPTERS = join(ROOT, 'docs/tutorial');
const docs = readdirSync(CHAPTERS)
  .filter((name) => name.endsWith('.md'))
  .map((name) => ({ name: `docs/tutorial/${name}`, text: readFileSync(join(CHAPTERS, name), 'utf8') }));

/** Code blocks that quote a file (their first line names it) are checked by quotes.test.ts. */
function prose(text: string): string {
  return text.replace(/```[^\n]*\n\/\/ [^\n]+\n[\s\S]*?```/g, '');
}

// ---------------------------------------------------------------- paths

const TOP = '(?:shared|server|client|bench|e2e|scripts|docs|tutorial)';
const PATH = new RegExp(`(?<![\\w/.@-])(${TOP}/[\\w./*-]*[\\w/*])`, 'g');

/** The paths a doc names, and the relative links it makes. */
export function namedPaths(text: string): string[] {
  return [...prose(text).matchAll(PATH)].map((m) => m[1]!).filter((p) => !p.includes('/dist'));
}

function exists(path: string): boolean {
  if (path.includes('*')) return globSync(path, { cwd: ROOT }).length > 0;
  return existsSync(join(ROOT, path));
}

for (const doc of docs) {
  test(`${doc.name}: every path it names exists`, () => {
    const missing = namedPaths(doc.text).filter((p) => !exists(p));
    assert.deepEqual([...new Set(missing)], []);
  });
  test(`${doc.name}: every link to a file reaches one`, () => {
    const links = [...doc.text.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)].map((m) => m[1]!).filter((l) => !/^[a-z]+:/.test(l));
    const missing = links.filter((link) => !existsSync(join(ROOT, dirname(doc.name), link)));
    assert.deepEqual(missing, []);
  });
}

// ---------------------------------------------------------------- code names

const SOURCE_DIRS = [
  'shared/src',
  'server/src',
  'client/src',
  'bench',
  'tutorial',
  'scripts',
  'e2e',
  'server/test',
  'shared/test',
  'client/test',
];
const sources = SOURCE_DIRS.flatMap((dir) => globSync(`${dir}/**/*.{ts,js,mjs}`, { cwd: ROOT }))
  .filter((file) => !file.includes('node_modules') && !file.includes('/dist/'))
  .map((file) => readFileSync(join(ROOT, file), 'utf8'))
  .join('\n');

/** Names from the platform and the libraries the code uses, which the code does not declare. */
const NOT_OURS = new Set([
  // browser
  'requestAnimationFrame',
  'ResizeObserver',
  'AbortError',
  'HTMLCanvasElement',
  'KeyboardEvent',
  'PointerEvent',
  'sessionStorage',
  'localStorage',
  'textContent',
  'fillText',
  'innerHTML',
  'addEventListener',
  'getContext',
  'navigator',
  'devicePixelRatio',
  'innerWidth',
  'innerHeight',
  'visibilityState',
  'readyState',
  'bufferedAmount',
  'preventDefault',
  // Node and its modules
  'setInterval',
  'setTimeout',
  'setImmediate',
  'clearInterval',
  'clearTimeout',
  'process',
  'stripTypeScriptTypes',
  'EventEmitter',
  'Promise',
  'AbortController',
  'AbortSignal',
  'Worker',
  'DatabaseSync',
  'writev',
  'writeBuffer',
  'performance',
  'unref',
  'NODE_ENV',
  // libraries: Fastify, ws, TypeBox, pixi.js, Playwright, fast-check
  'Fastify',
  'FastifyInstance',
  'WebSocket',
  'AudioContext',
  'WebSocketServer',
  'Type',
  'Static',
  'Value',
  'TypeCompiler',
  'Application',
  'WebGLRenderer',
  'Container',
  'Graphics',
  'Sprite',
  'Text',
  'Texture',
  'ParticleContainer',
  'fc',
  'generateTexture',
  'UboSystem',
  'changeOrigin', // pixi.js internals the client works around; a Vite proxy option
  'SwiftShader', // Chromium's software WebGL, a product name
  'STONE_SPAWN_RATE', // the original Python game's setting (differences.md)
]);
/** Objects of the platform: `Math.ceil()`, `history.replaceState()` are not ours to declare. */
const PLATFORM_OBJECTS = new Set([
  'Math',
  'JSON',
  'Object',
  'Array',
  'Number',
  'Date',
  'Promise',
  'history',
  'location',
  'window',
  'document',
  'navigator',
  'performance',
  'process',
  'console',
]);

/** Identifier-like names in backticks: camelCase or PascalCase with a capital inside, SCREAMING_SNAKE, or a call `name()`. */
export function codeNames(text: string): string[] {
  const names: string[] = [];
  for (const [, raw] of prose(text).matchAll(/`([^`\n]+)`/g)) {
    const call = /^(?:[A-Za-z_$][\w$]*\.)*(#?[A-Za-z_$][\w$]*)\((?:[\w, ]*)\)$/.exec(raw!);
    if (PLATFORM_OBJECTS.has(raw!.split('.')[0]!) && raw!.includes('.')) continue;
    if (call) {
      names.push(call[1]!);
      continue;
    }
    const dotted = /^(?:[a-z_$][\w$]*\.)*([A-Za-z_$][\w$]*)$/.exec(raw!);
    if (!dotted) continue;
    const name = dotted[1]!;
    if (/^[a-z]+[A-Z]\w*$|^[A-Z][a-z0-9]+[A-Z]\w*$|^[A-Z][A-Z0-9]*_[A-Z0-9_]+$/.test(name)) names.push(name);
  }
  return names;
}

function declared(name: string): boolean {
  if (NOT_OURS.has(name) || name in globalThis) return true;
  // A constant or an environment variable may be named in a comment or a string only.
  if (/^[A-Z][A-Z0-9_]+$/.test(name)) return new RegExp(`\\b${name}\\b`).test(sources);
  const n = name.replace(/^#/, '#?').replace(/\$/g, '\\$');
  const forms = [
    `\\b(?:function\\*?|class|interface|type|const|let|var|enum|namespace)\\s+${n}\\b`, // a declaration
    `^\\s*(?:(?:public|private|protected|static|readonly|async|get|set|override|declare)\\s+)*#?${n}\\s*[(<?!:=]`, // a member
    `[{,]\\s*${n}\\s*[,}:]`, // a property or a destructured name
    `['"\`]${n}['"\`]`, // a string: an env variable, a table key
    `\\b(?:process\\.env|env)\\.${n}\\b`,
    `\\bimport\\s*{[^}]*\\b${n}\\b[^}]*}`, // imported from a library by our code
  ];
  return forms.some((form) => new RegExp(form, 'm').test(sources));
}

for (const doc of docs) {
  test(`${doc.name}: every code name it mentions is in the code`, () => {
    const missing = [...new Set(codeNames(doc.text))].filter((name) => !declared(name));
    assert.deepEqual(missing, [], 'named in the chapter, declared nowhere in the code (or add it to NOT_OURS if it is not ours)');
  });
}

// ---------------------------------------------------------------- test names

const TEST_FILES = ['shared/test', 'server/test', 'client/test', 'bench/test', 'tutorial/test', 'docs/test', 'e2e'].flatMap((dir) =>
  globSync(`${dir}/**/*.{test,spec}.ts`, { cwd: ROOT }),
);

/** Every test name in the repository, as a pattern (a template's `${...}` matches anything). */
function testNames(): RegExp[] {
  const names: RegExp[] = [];
  const call = /\b(?:test|it|describe|t\.test|test\.describe)\(\s*(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)"|`((?:[^`\\]|\\.)*)`)/g;
  for (const file of TEST_FILES) {
    for (const m of readFileSync(join(ROOT, file), 'utf8').matchAll(call)) {
      const raw = (m[1] ?? m[2] ?? m[3]!).replace(/\\(.)/g, '$1');
      const parts = raw.split(/\$\{[^}]*\}/).map((part) => normal(part).replace(/[.*+?^()[\]{}|\\$]/g, '\\$&'));
      names.push(new RegExp(`^${parts.join('.*')}$`));
    }
  }
  return names;
}
const normal = (text: string) => text.replace(/\s+/g, ' ').replace(/[’‘]/g, "'").trim();

/** Quotes in a sentence about tests that are not test names. */
const NOT_CITED = new Set([
  'the client knows about a snake', // 04-drawing: what a test can tell apart, not a test
  'the client drew a snake',
]);

/**
 * Double-quoted text of three words or more in a sentence that speaks of a test ("the test", "the
 * tests", a `*.test.ts` or `*.spec.ts` file) before it: 'The tests "a" and "b" (`x.test.ts`) check'.
 * Code spans are left out first, so the quotes of a JSON example do not pair up with prose.
 */
export function citedTests(text: string): string[] {
  const cited: string[] = [];
  const body = prose(text)
    .replace(/```[\s\S]*?```/g, '')
    .replace(/^\|.*$/gm, '') // table rows: a test's row names it without quotes
    .replace(/`[^`\n]*`/g, (span) => (/\.(?:test|spec)\.ts`$/.test(span) ? 'x.test.ts' : 'code'));
  for (const m of body.matchAll(/"([^"]*)"/g)) {
    if (m[1]!.length > 300 || m[1]!.includes('\n\n')) continue; // not a pair of quotes: an unbalanced one
    const sentence = body
      .slice(0, m.index)
      .split(/[.!?:]\s+(?=[A-Z`(])|\n\s*\n/)
      .at(-1)!;
    const quoted = normal(m[1]!);
    if (/\btests?\b|\.(?:test|spec)\.ts/i.test(sentence) && quoted.split(' ').length >= 3 && !NOT_CITED.has(quoted)) cited.push(quoted);
  }
  return cited;
}

test('every test a chapter cites by name is a real test', () => {
  const names = testNames();
  assert.ok(names.length > 300, `found only ${names.length} test names: is the pattern still right?`);
  const cited = docs.flatMap((doc) => citedTests(doc.text));
  assert.ok(cited.length >= 50, `found only ${cited.length} cited tests: is the pattern still right?`);
  const missing = docs.flatMap((doc) =>
    citedTests(doc.text)
      .filter((cited) => !names.some((name) => name.test(cited)))
      .map((cited) => `${doc.name}: "${cited}"`),
  );
  assert.deepEqual(missing, []);
});

// ---------------------------------------------------------------- the "Run it" commands

/** The commands of every "Run it" section: lines of its sh blocks, and inline `npm ...`, `curl ...`. */
export function runItCommands(text: string): string[] {
  const commands: string[] = [];
  const sections = text.split(/^(?=## |\*\*[A-Z][^*]+\.\*\*)/m).filter((s) => /^(## Run it|\*\*Run it\.\*\*)/.test(s));
  for (const section of sections) {
    const body = section.replace(/^## Run it|^\*\*Run it\.\*\*/, '');
    for (const [, block] of body.matchAll(/```sh\n([\s\S]*?)```/g)) {
      for (const line of block!.split('\n')) {
        const command = line.replace(/\s+#.*$/, '').trim();
        if (command !== '' && !command.startsWith('#')) commands.push(command);
      }
    }
    for (const [, inline] of body.replace(/```[\s\S]*?```/g, '').matchAll(/`((?:npm|npx|node|curl) [^`]+)`/g)) commands.push(inline!);
  }
  return commands;
}

/** Commands a chapter shows that this test does not run, each with the reason. */
const NOT_RUN: readonly { readonly pattern: RegExp; readonly reason: string }[] = [
  {
    pattern: /^npm start$/,
    reason: 'builds everything and serves until stopped; the built server is run by the e2e suite and by the curl commands below',
  },
  { pattern: /^npm run build$/, reason: 'npm test builds first; the curl commands below run the server it builds' },
  {
    pattern: /^npm run bench\b/,
    reason:
      'a load test: even a short one loads the machine for its window and needs a quiet one to mean anything; bench/test checks the bench itself',
  },
  {
    pattern: /^node --conditions=source --import tsx --test /,
    reason: "npm test's unit step runs every test file; the paths named are checked above",
  },
  { pattern: /^npx playwright test\b/, reason: "npm test's browser step runs it" },
  {
    pattern: /^docker compose --profile scale\b/,
    reason:
      'needs Docker and builds the image; server/test/cluster.test.ts runs the same deploy/nginx.conf with real redis-server and nginx',
  },
];

const STEP_SCRIPT = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts.step!;

/** Resolves with the child's output once `done` matches it; rejects on exit or after `ms`. */
function waitForOutput(child: ChildProcess, done: RegExp, ms: number, what: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`${what}: nothing like ${done} within ${ms} ms; output:\n${out}`)), ms);
    const check = (chunk: Buffer) => {
      out += chunk.toString();
      if (done.test(out)) {
        clearTimeout(timer);
        resolve(out);
      }
    };
    child.stdout?.on('data', check);
    child.stderr?.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      if (done.test(out)) resolve(out);
      else reject(new Error(`${what} exited (${code}) without ${done}; output:\n${out}`));
    });
  });
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

/** `npm run step -- N [flags]`, as package.json runs it, on a free port: it must say what to open, and that must answer. */
async function runStep(args: string[]): Promise<void> {
  const [command, ...prefix] = STEP_SCRIPT.split(' ');
  assert.equal(command, 'node', 'the step script is a node command');
  const child = spawn(process.execPath, [...prefix, ...args], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  try {
    if (args[0] === '0') {
      await waitForOutput(child, /While the work ran/, 30_000, `step ${args.join(' ')}`);
      return;
    }
    const out = await waitForOutput(child, /Open (http:\/\/localhost:\d+\S*)/, 30_000, `step ${args.join(' ')}`);
    const url = /Open (http:\/\/localhost:\d+\S*)/.exec(out)![1]!.replace('localhost', '127.0.0.1');
    const page = await fetch(url, { signal: AbortSignal.timeout(10_000) });
    assert.equal(page.status, 200, `${url} answers`);
    await page.text();
  } finally {
    await stopChild(child);
  }
}

/** The built server on a free port with its own data directory, for the curl commands. */
async function startServer(): Promise<{ port: number; stop(): Promise<void> }> {
  const main = join(ROOT, 'server/dist/main.js');
  assert.ok(existsSync(main), 'server/dist/main.js is missing: run `npm run build` first (npm test does)');
  const dataDir = mkdtempSync(join(tmpdir(), 'snakepit-docs-'));
  const child = spawn(process.execPath, [main], {
    cwd: ROOT,
    // No overload refusals: `npm test` keeps the machine busy, and a 503 is not what the chapter shows.
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'info',
      MAX_EVENT_LOOP_DELAY_MS: '0',
      BOTS_MIN_SNAKES: '0',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const out = await waitForOutput(child, /listening at http:\/\/127\.0\.0\.1:(\d+)/, 30_000, 'the built server');
  return {
    port: Number(/listening at http:\/\/127\.0\.0\.1:(\d+)/.exec(out)![1]),
    async stop() {
      await stopChild(child);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** What each curl command of a chapter must get back: the chapter says so next to it. */
const CURL_EXPECTS: readonly { readonly pattern: RegExp; readonly status: number }[] = [
  { pattern: /Origin: https:\/\/evil\.example/, status: 403 },
  { pattern: /room=Not%20A%20Room/, status: 400 },
  { pattern: /\/metrics$/, status: 200 },
];

function curl(command: string, port: number): Promise<string> {
  const local = command.replaceAll('localhost:3000', `127.0.0.1:${port}`);
  return new Promise((resolve, reject) =>
    execFile('sh', ['-c', `${local} --max-time 10`], { cwd: ROOT }, (error, stdout) => (error ? reject(error) : resolve(stdout))),
  );
}

const commands = docs.flatMap((doc) => runItCommands(doc.text).map((command) => ({ doc: doc.name, command })));

test('the "Run it" sections: every command is run, or listed as not run with a reason', async (t) => {
  assert.ok(commands.length >= 15, `found only ${commands.length} commands: is the pattern still right?`);
  const steps: { doc: string; args: string[] }[] = [];
  const curls: { doc: string; command: string }[] = [];
  for (const { doc, command } of commands) {
    const step = /^npm run step(?: -- (.+))?$/.exec(command);
    if (step) steps.push({ doc, args: step[1]?.split(' ') ?? [] });
    else if (command.startsWith('curl ')) curls.push({ doc, command });
    else
      assert.ok(
        NOT_RUN.some(({ pattern }) => pattern.test(command)),
        `${doc}: "${command}" is neither run here nor in NOT_RUN`,
      );
  }

  await t.test('npm run step -- N, each on a free port', async () => {
    const queue = [...new Map(steps.map((s) => [s.args.join(' '), s])).values()];
    const worker = async () => {
      for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
        if (next.args.length === 0) continue; // the bare `npm run step` lists the steps: tutorial/test/run.test.ts
        await runStep(next.args).catch((error: unknown) => {
          throw new Error(`${next.doc}: npm run step -- ${next.args.join(' ')}: ${String(error)}`);
        });
      }
    };
    await Promise.all([worker(), worker()]); // two at a time: the machine may have two cores
  });

  await t.test('curl, against the built server', async () => {
    const server = await startServer();
    try {
      for (const { doc, command } of curls) {
        const expect = CURL_EXPECTS.find(({ pattern }) => pattern.test(command));
        assert.ok(expect, `${doc}: no expectation for ${command}`);
        const answer = await curl(command, server.port);
        assert.match(answer, new RegExp(`^HTTP/1\\.1 ${expect.status} `), `${doc}: ${command}`);
      }
    } finally {
      await server.stop();
    }
  });
});

// ---------------------------------------------------------------- shown output

/**
 * A plain code block whose first line is `$ <command>` shows that command's output: the command
 * is run and its output must be the rest of the block, exactly. Only scripts of this repository
 * are run this way.
 */
export function shownOutputs(text: string): { command: string; output: string }[] {
  return [...text.matchAll(/```(?:text)?\n\$ ([^\n]+)\n([\s\S]*?)```/g)].map((m) => ({ command: m[1]!, output: m[2]!.trimEnd() }));
}

for (const doc of docs) {
  for (const { command, output } of shownOutputs(doc.text)) {
    // A script may start servers (chapters 06, 07, 09): seconds alone, longer beside a whole npm test.
    test(`${doc.name}: \`${command}\` prints what the chapter shows`, { timeout: 120_000 }, async () => {
      const script = /^node --conditions=source --import tsx (tutorial\/scripts\/[\w-]+\.ts)$/.exec(command);
      assert.ok(script, 'only `node --conditions=source --import tsx tutorial/scripts/<name>.ts` is run here');
      const stdout = await new Promise<string>((resolve, reject) =>
        execFile(process.execPath, ['--conditions=source', '--import', 'tsx', script[1]!], { cwd: ROOT, timeout: 90_000 }, (error, out) =>
          error ? reject(error) : resolve(out),
        ),
      );
      assert.equal(stdout.trimEnd(), output);
    });
  }
}

// ---------------------------------------------------------------- the checkers themselves

test('the checkers find what they look for', () => {
  const text = [
    'See `server/src/nowhere.ts` and `shared/src/rules/step.ts`; `NoSuchThing` and `nextDir`.',
    'The test "no such test anywhere at all" and `a.test.ts`, "also not a test name".',
    '## Run it',
    '',
    '```sh',
    'npm run step -- 7   # a comment',
    '```',
    '',
    'Then `npm run step -- 8`.',
    '',
    '## What to notice',
    '`npm run step -- 9` is not in the section.',
  ].join('\n');
  assert.deepEqual(namedPaths(text), ['server/src/nowhere.ts', 'shared/src/rules/step.ts']);
  assert.deepEqual(codeNames(text), ['NoSuchThing', 'nextDir']);
  assert.equal(declared('NoSuchThing'), false);
  assert.equal(declared('nextDir'), true);
  assert.equal(declared('NO_SUCH_SETTING'), false);
  assert.deepEqual(citedTests(text), ['no such test anywhere at all', 'also not a test name']);
  assert.deepEqual(runItCommands(text), ['npm run step -- 7', 'npm run step -- 8']);
  assert.deepEqual(shownOutputs('```\n$ node x.ts\nline 1\nline 2\n```\n```\nnot shown output\n```'), [
    { command: 'node x.ts', output: 'line 1\nline 2' },
  ]);
});
