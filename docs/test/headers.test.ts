// Docs are code, part three: the other direction. Each module's header names the tutorial
// chapter that teaches it ("// Tutorial: docs/tutorial/04-drawing.md"); a chapter renamed or
// merged must not leave readers of the code pointing at a page that is gone.

import assert from 'node:assert/strict';
import { existsSync, globSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

const ROOT = new URL('../..', import.meta.url).pathname;
const SOURCES = ['shared/src/**/*.ts', 'server/src/**/*.ts', 'client/src/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.{ts,mjs}'];

/** Every `docs/...md` a source file's comments name, with where. */
export function namedChapters(text: string): string[] {
  return [...text.matchAll(/^\s*\/\/.*?\b(docs\/[\w./-]+\.md)/gm)].map((m) => m[1]!);
}

test('namedChapters() finds chapter paths in comments only', () => {
  assert.deepEqual(namedChapters('// Tutorial: docs/tutorial/02-rules.md\nconst a = "docs/x.md";\n  // see docs/wire-format.md.'), [
    'docs/tutorial/02-rules.md',
    'docs/wire-format.md',
  ]);
});

test('every docs page a source file names in its comments exists', () => {
  const files = SOURCES.flatMap((pattern) => globSync(pattern, { cwd: ROOT, exclude: (f) => f.includes('node_modules') }));
  assert.ok(files.length > 100, `only ${files.length} source files found`);
  const missing: string[] = [];
  let named = 0;
  for (const file of files) {
    for (const doc of namedChapters(readFileSync(join(ROOT, file), 'utf8'))) {
      named++;
      if (!existsSync(join(ROOT, doc))) missing.push(`${file} names ${doc}`);
    }
  }
  assert.ok(named > 50, `only ${named} chapter references found: is the pattern still right?`);
  assert.deepEqual(missing, []);
});
