#!/usr/bin/env node
// `npm test`: every test there is, in order: build (the browser tests run the built server),
// type-check, lint and format (Biome), the unit/integration suites (node:test), then the browser
// suite (Playwright).
// It streams each suite's own output and ends with one line adding them all up:
//   N passed, N failed
// Exit code 0 only if everything passed.

import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const totals = { passed: 0, failed: 0 };
const only = process.argv.slice(2); // e.g. `npm test -- unit` runs just that step

function run(cmd, args, { capture = false, env = {} } = {}) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, {
      cwd: root,
      env: { ...process.env, ...env },
      stdio: ['ignore', capture ? 'pipe' : 'inherit', 'inherit'],
    });
    let out = '';
    child.stdout?.on('data', (d) => {
      process.stdout.write(d);
      out += d;
    });
    child.on('close', (code) => resolve({ code: code ?? 1, out }));
  });
}

function testFiles(dir) {
  try {
    return readdirSync(join(root, dir))
      .filter((f) => f.endsWith('.test.ts'))
      .map((f) => join(dir, f));
  } catch {
    return [];
  }
}

async function step(name, fn) {
  if (only.length && !only.includes(name)) return true;
  console.log(`\n=== ${name} ===`);
  const ok = await fn();
  if (!ok) console.log(`=== ${name}: FAILED ===`);
  return ok;
}

async function main() {
  const built = await step('build', async () => {
    const { code } = await run('npm', ['run', '--silent', 'build']);
    if (code !== 0) totals.failed++;
    return code === 0;
  });
  if (!built) return;

  await step('typecheck', async () => {
    const { code } = await run('npx', ['tsc', '-p', 'client', '--noEmit']);
    const tests = await run('npx', ['tsc', '-p', 'tsconfig.test.json']);
    const ok = code === 0 && tests.code === 0;
    if (!ok) totals.failed++;
    return ok;
  });

  await step('lint', async () => {
    // Biome: lint rules (type-aware ones included) and formatting; `npm run format` fixes most.
    const { code } = await run('npx', ['biome', 'ci', '--reporter=summary', '.']);
    if (code !== 0) totals.failed++;
    return code === 0;
  });

  await step('unit', async () => {
    const files = ['shared/test', 'server/test', 'client/test', 'bench/test', 'tutorial/test', 'docs/test'].flatMap(testFiles);
    const { code, out } = await run(
      process.execPath,
      ['--expose-gc', '--conditions=source', '--import', 'tsx', '--test', '--test-reporter=spec', '--test-timeout=180000', ...files],
      { capture: true },
    );
    const pass = Number(/ℹ pass (\d+)/.exec(out)?.[1] ?? 0);
    const fail = Number(/ℹ fail (\d+)/.exec(out)?.[1] ?? 0) + Number(/ℹ cancelled (\d+)/.exec(out)?.[1] ?? 0);
    totals.passed += pass;
    totals.failed += fail || (code !== 0 ? 1 : 0);
    return code === 0;
  });

  await step('e2e', async () => {
    const report = join(root, 'test-results/e2e.json');
    rmSync(report, { force: true });
    const { code } = await run('npx', ['playwright', 'test', '-c', 'e2e']);
    try {
      const { stats } = JSON.parse(readFileSync(report, 'utf8'));
      totals.passed += stats.expected + stats.flaky;
      totals.failed += stats.unexpected;
      if (stats.unexpected === 0 && code !== 0) totals.failed++;
    } catch {
      totals.failed++; // no report: the suite did not even run
    }
    return code === 0;
  });
}

await main();
console.log(`\n${totals.passed} passed, ${totals.failed} failed`);
process.exitCode = totals.failed === 0 && totals.passed > 0 ? 0 : 1;
