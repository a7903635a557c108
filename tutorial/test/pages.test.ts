// What every step with a page promises: `/` answers the page, whose script is a file of its own
// (the Content-Security-Policy forbids inline script), and /ws sends a first tick within 3 s of
// a connection, at each step's own default speed. Step 6, which takes seconds to start its
// processes, checks the same with checkPage() in its own test file.

import { test } from 'node:test';
import { bounded, checkPage } from './helpers.ts';

interface Step {
  start(options: { port: number; log: (line: string) => void }): Promise<{ port: number; close(): Promise<void> }>;
}

const STEPS: Record<string, () => Promise<Step>> = {
  '01-basic-loop': () => import('../01-basic-loop/server.ts'),
  '02-first-player': () => import('../02-first-player/server.ts'),
  '03-task': () => import('../03-task/server.ts'),
  '04-wait': () => import('../04-wait/server.ts'),
  '05-worker': () => import('../05-worker/server.ts'),
  '07-rules': () => import('../07-rules/server.ts'),
  '08-deltas': () => import('../08-deltas/server.ts'),
  '09-smooth': () => import('../09-smooth/server.ts'),
  '10-predict': () => import('../10-predict/server.ts'),
};

for (const [name, load] of Object.entries(STEPS)) {
  test(`${name}: / answers the page and /ws a first tick within 3 s`, async (t) => {
    const step = await bounded((await load()).start({ port: 0, log: () => {} }), `step ${name} to start`);
    t.after(() => step.close());
    await checkPage(t, step.port);
  });
}
