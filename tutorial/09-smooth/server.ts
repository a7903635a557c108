// Step 9 needs nothing new from the server: it is step 8's, serving step 9's page. Drawing
// between ticks is the page's business alone.
// Chapter: docs/tutorial/04-drawing.md

import type { StepOptions } from '../01-basic-loop/server.ts';
import type { GameStep } from '../07-rules/server.ts';
import { start as step8 } from '../08-deltas/server.ts';

export function start(options: StepOptions): Promise<GameStep> {
  return step8(options, new URL('page.ts', import.meta.url));
}
