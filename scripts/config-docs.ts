// `npm run config:docs`: writes .env.example and the table in the README's Configuration section
// from SETTINGS in server/src/config.ts, the one place a setting is declared. server/test/
// config.test.ts fails when either file differs from what this writes, so adding a setting is
// one edit there plus this command. Must not: describe a setting itself; say it in SETTINGS.
//   npm run config:docs            # write both files
//   npm run config:docs -- --check # exit 1 if either is out of date
// Tutorial: docs/tutorial/07-hardening.md

import { readFileSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { allowedValues, SETTINGS, type Setting } from '../server/src/config.ts';

const root = new URL('..', import.meta.url).pathname;
export const ENV_EXAMPLE = `${root}.env.example`;
export const README = `${root}README.md`;
export const TABLE_BEGIN = '<!-- settings table: written by `npm run config:docs` from server/src/config.ts -->';
export const TABLE_END = '<!-- end of settings table -->';

const settings: readonly Setting[] = Object.values(SETTINGS);

/** What a .env line shows: the default as one would write it, or nothing when it is derived. */
export function exampleValue(s: Setting): string {
  return typeof s.default === 'string' ? s.default : '';
}

export function envExample(): string {
  const lines = [
    '# snakepit settings: every variable is optional, and each line below shows its default.',
    '# Uncomment and change what you need, in a .env file (docker compose reads it), your service',
    "# manager, or the shell. The README's Configuration table explains the same list.",
    '# Written by `npm run config:docs` from server/src/config.ts: change a setting there, not here.',
  ];
  for (const s of settings) {
    if (s.heading) lines.push('', `# ---- ${s.heading} ----`);
    let text = `${s.help} Allowed: ${allowedValues(s)}.`;
    if (typeof s.default !== 'string') text += ` Default: ${s.default.shown}.`;
    lines.push(...wrap(text, 100 - 2).map((l) => `# ${l}`), `#${s.env}=${exampleValue(s)}`);
  }
  return `${lines.join('\n')}\n`;
}

export function readmeTable(): string {
  const cell = (text: string) => text.replaceAll('|', '\\|');
  const rows = settings.map((s) => {
    const shown = typeof s.default !== 'string' ? s.default.shown : s.default === '' ? '*(empty)*' : `\`${s.default}\``;
    return `| \`${s.env}\` | ${cell(shown)} | ${cell(allowedValues(s))} | ${cell(s.help)} |`;
  });
  return [TABLE_BEGIN, '| Variable | Default | Allowed | Meaning |', '|---|---|---|---|', ...rows, TABLE_END].join('\n');
}

/** `readme` with the table between the markers replaced by the one SETTINGS gives. */
export function withReadmeTable(readme: string): string {
  const begin = readme.indexOf(TABLE_BEGIN);
  const end = readme.indexOf(TABLE_END);
  if (begin < 0 || end < begin) throw new Error(`README.md: the Configuration section needs the lines\n${TABLE_BEGIN}\n${TABLE_END}`);
  return readme.slice(0, begin) + readmeTable() + readme.slice(end + TABLE_END.length);
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(line);
  return lines;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const check = process.argv.includes('--check');
  const files: [string, string][] = [
    [ENV_EXAMPLE, envExample()],
    [README, withReadmeTable(readFileSync(README, 'utf8'))],
  ];
  let stale = 0;
  for (const [file, text] of files) {
    if (readFileSync(file, 'utf8') === text) continue;
    stale++;
    if (check) console.error(`${file} is out of date: run \`npm run config:docs\``);
    else writeFileSync(file, text);
  }
  if (!check) console.log(stale ? `wrote ${stale} file(s)` : 'already up to date');
  process.exitCode = check && stale ? 1 : 0;
}
