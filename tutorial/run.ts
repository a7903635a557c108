// `npm run step -- N`: runs step N of the tutorial (docs/tutorial/, one chapter per step from
// 00-event-loop.md to 05-prediction.md), each a small program in its own folder. A step with a page serves it on
// PORT (default 3000) and prints what to open; step 0 prints its measurement and exits. With N
// missing or wrong it lists the steps. It must stay a thin launcher: each step's idea lives in
// its own folder, where the chapter quotes it.

interface RunningStep {
  readonly port: number;
  close(): Promise<void>;
}
interface ServeOptions {
  readonly port: number;
  readonly host: string;
  readonly tickMs: number | undefined;
  readonly swallow: boolean;
  readonly inline: boolean;
}
type Server = { start(options: ServeOptions): Promise<RunningStep> };

interface Step {
  readonly folder: string;
  readonly about: string;
  /** Path and query to open, for steps with a page. */
  readonly open?: string;
  run(options: ServeOptions): Promise<RunningStep | null>;
}

const serve = (load: () => Promise<Server>) => async (options: ServeOptions) => (await load()).start(options);

const STEPS: readonly Step[] = [
  {
    folder: '00-event-loop',
    about: 'the event loop: two timers, and blocking work that stalls them',
    run: async () => {
      await (await import('./00-event-loop/timers.ts')).main();
      return null;
    },
  },
  {
    folder: '01-basic-loop',
    about: 'a basic game loop: a tick to every socket each second, keys echoed to all',
    open: '/',
    run: serve(() => import('./01-basic-loop/server.ts')),
  },
  {
    folder: '02-first-player',
    about: 'the loop starts with the first player and stops with the last',
    open: '/',
    run: serve(() => import('./02-first-player/server.ts')),
  },
  {
    folder: '03-task',
    about: 'the loop as a cancellable task; /?fail=3 makes the third tick throw (--swallow: the trap)',
    open: '/?fail=3',
    run: serve(() => import('./03-task/server.ts')),
  },
  {
    folder: '04-wait',
    about: 'each player waits for its next message or the next tick, whichever comes first',
    open: '/',
    run: serve(() => import('./04-wait/server.ts')),
  },
  {
    folder: '05-worker',
    about: "a bot's path-finding in a worker thread, so the tick stays on time (--inline to compare)",
    open: '/',
    run: serve(() => import('./05-worker/server.ts')),
  },
  {
    folder: '06-processes',
    about: 'two server processes behind a load balancer that hashes on ?room=',
    open: '/?room=a',
    run: serve(() => import('./06-processes/server.ts')),
  },
  {
    folder: '07-rules',
    about: 'the game: rules as a pure, seeded step(state, inputs); the whole state sent every tick',
    open: '/',
    run: serve(() => import('./07-rules/server.ts')),
  },
  {
    folder: '08-deltas',
    about: 'state sync: a snapshot on joining, then only what changed each tick (/?drop=10 loses ticks)',
    open: '/',
    run: serve(() => import('./08-deltas/server.ts')),
  },
  {
    folder: '09-smooth',
    about: 'drawing between ticks: each snake glides, one tick behind (/?smooth=0 to compare)',
    open: '/',
    run: serve(() => import('./09-smooth/server.ts')),
  },
  {
    folder: '10-predict',
    about: 'prediction: your snake drawn ahead, replaying turns not yet acknowledged (/?lag=150&predict=0, then /?lag=150)',
    open: '/?lag=150',
    run: serve(() => import('./10-predict/server.ts')),
  },
];

function usage(): void {
  console.log('Usage: npm run step -- N [--swallow | --inline]     (env: PORT, default 3000; HOST; TICK_MS)\n');
  for (const [n, step] of STEPS.entries()) console.log(`  ${n}  ${step.about}\n     tutorial/${step.folder}/`);
  console.log('\nChapters: docs/tutorial/README.md (step 0: 00, steps 1-6: 01, step 7: 02, 8: 03, 9: 04, 10: 05).');
  console.log('After step 10, the real game: npm start (shared/, server/, client/).');
}

const [arg, ...flags] = process.argv.slice(2);
const step = arg !== undefined && /^\d+$/.test(arg) ? STEPS[Number(arg)] : undefined;
if (step === undefined) {
  if (arg !== undefined) console.log(`There is no step "${arg}".\n`);
  usage();
  process.exitCode = arg === undefined ? 0 : 1;
} else {
  const port = Number(process.env.PORT ?? 3000);
  const host = process.env.HOST ?? '127.0.0.1';
  const tickMs = process.env.TICK_MS === undefined ? undefined : Number(process.env.TICK_MS); // else each step's own
  const running = await step.run({ port, host, tickMs, swallow: flags.includes('--swallow'), inline: flags.includes('--inline') });
  if (running !== null) {
    console.log(`Step ${arg}: ${step.about}`);
    console.log(`Open http://localhost:${running.port}${step.open ?? '/'} (Ctrl-C to stop)`);
    const stop = () => {
      void running.close().finally(() => process.exit(0));
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  }
}
