// Docs are code: every code block in docs/ that names its source file on its first line
// (`// server/src/rooms/room.ts`) must match that file. Its lines must appear in the file, in
// the same order (indentation aside); a line that is `// ...` (or ends in one) stands for code
// left out. A quote that no longer matches fails here, naming the doc, the file and the line.

import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';

const ROOT = new URL('../..', import.meta.url).pathname;

function markdownFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return markdownFiles(path);
    return name.endsWith('.md') ? [path] : [];
  });
}

interface Quote {
  readonly doc: string;
  readonly line: number;
  readonly source: string;
  readonly lines: string[];
}

/** Code blocks whose first line is a comment naming a file of this repository. */
export function quotes(doc: string, text: string): Quote[] {
  const found: Quote[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (!/^```(ts|js|typescript|mjs)\s*$/.test(lines[i]!)) continue;
    const first = /^\/\/ ((?:shared|server|client|bench|e2e|scripts|docs|tutorial)\/[\w./-]+\.(?:ts|mjs|js))\s*$/.exec(lines[i + 1] ?? '');
    let end = i + 1;
    while (end < lines.length && !lines[end]!.startsWith('```')) end++;
    if (first) found.push({ doc, line: i + 2, source: first[1]!, lines: lines.slice(i + 2, end) });
    i = end;
  }
  return found;
}

const isElision = (line: string) => /^\s*(\/\/|#) \.\.\.|\/\/ \.\.\.\s*$|^\s*\.\.\.\s*$/.test(line);

/** Null when every quoted line is in `source` in order; else the first line that is not. */
export function mismatch(quote: readonly string[], source: string): string | null {
  const file = source.split('\n').map((l) => l.trim());
  let at = 0;
  for (const raw of quote) {
    const line = raw.trim();
    if (line === '' || isElision(raw)) continue;
    const found = file.indexOf(line, at);
    if (found < 0) return raw;
    at = found + 1;
  }
  return null;
}

const docs = markdownFiles(join(ROOT, 'docs'));
const all = docs.flatMap((path) => quotes(relative(ROOT, path), readFileSync(path, 'utf8')));

test('the docs quote code', () => {
  assert.ok(all.length >= 30, `found only ${all.length} quotes: is the pattern still right?`);
});

for (const q of all) {
  test(`${q.doc}:${q.line} quotes ${q.source} as it is`, () => {
    const path = join(ROOT, q.source);
    assert.ok(existsSync(path), `${q.source} does not exist`);
    const line = mismatch(q.lines, readFileSync(path, 'utf8'));
    assert.equal(line, null, `this line is not in ${q.source} (in this order): ${line}`);
  });
}

test('the checker itself: a changed line fails, an elision is allowed', () => {
  const source = 'a();\nb();\nc();\n';
  assert.equal(mismatch(['a();', '// ...', 'c();'], source), null);
  assert.equal(mismatch(['a();', 'x();'], source), 'x();');
  assert.equal(mismatch(['c();', 'a();'], source), 'a();', 'order matters');
});
