// Prints what the one door in (parseClientMessage) answers to a few bad messages, the table that
// docs/tutorial/03-state-sync.md shows; the docs test runs this and compares. Read-only: it only
// calls the parser.
// Chapter: docs/tutorial/03-state-sync.md

import { parseClientMessage } from '@snakepit/shared/validate';

const INPUTS = [
  'hello',
  '{"type":"teleport"}',
  '{"type":"turn","dir":"north","seq":1}',
  '{"type":"turn","dir":"up"}',
  '{"type":"join"}',
  '{"type":"respawn","x":1}',
  '42',
];

for (const input of INPUTS) {
  const result = parseClientMessage(input);
  console.log(`parse ${input.padEnd(36)} -> ${result.ok ? 'ok' : result.reason}`);
}
