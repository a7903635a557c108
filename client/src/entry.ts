// The first chunk: the join screen and nothing of the game, so the page paints and answers on a
// slow phone before pixi.js has arrived. The game (main.ts and everything it imports: pixi, the
// renderer, netcode) is fetched in the background after the first paint and run on the first
// sign that someone is about to play, so Play has, by then, nothing left to wait for.
// Must not: import the game statically (it would be pulled back into this chunk: see the files
// `npm run bench -- --client` lists as loaded at start), or draw anything on the canvas.
// Tutorial: docs/tutorial/04-drawing.md

import './style.css';
import { readInvite } from './net/invite.ts';
import { byId } from './ui/dom.ts';
import { JoinScreen } from './ui/join-screen.ts';

const params = new URLSearchParams(location.search);
// ?replay=<id> is the replay viewer instead of the join screen and the game; loaded only then,
// it keeps the page (watch never returns).
const replayId = params.get('replay');
if (replayId !== null) await import('./replay/viewer.ts').then((m) => m.watch(replayId, params.get('room'), params.get('debug') === '1'));
const invite = readInvite(params);

// The game: its files are fetched and compiled (not run) once the join screen has painted and
// the page is idle, listed by the build in <meta name="snakepit:game">. They run when someone
// reaches for the form (typing a name, a tap, a key) or presses Play: by then the bytes are
// here, and a page only looked at never pays for running pixi and the netcode. ?debug=1 runs
// them at once, so the debug hook is there for the browser tests to read.
// <html data-game="ready"> says the game has run (the browser tests read it).
let game: Promise<typeof import('./main.ts')> | null = null;
const loadGame = () => {
  game ??= import('./main.ts').then((g) => {
    document.documentElement.dataset.game = 'ready';
    return g;
  });
  return game;
};
const preloadGame = () => {
  const files = document.querySelector<HTMLMetaElement>('meta[name="snakepit:game"]')?.content.split(' ') ?? [];
  for (const href of files.filter(Boolean)) {
    const link = document.createElement('link');
    link.rel = 'modulepreload';
    link.href = href;
    document.head.append(link);
  }
};
const whenIdle = (fn: () => void) => ('requestIdleCallback' in window ? requestIdleCallback(fn, { timeout: 2000 }) : setTimeout(fn, 200));
if (params.get('debug') === '1') loadGame().catch(() => {});
else if (document.readyState === 'complete') whenIdle(preloadGame);
else addEventListener('load', () => whenIdle(preloadGame), { once: true });

// Someone typing a name or reaching for Play is about to play: the game runs and pixi starts
// then, so Play has nothing left to wait for.
const INTENT = ['input', 'pointerdown', 'keydown'] as const;
const intent = () => {
  for (const type of INTENT) removeEventListener(type, intent, true);
  loadGame().then(
    (g) => g.warmUp(),
    () => {}, // said when Play is pressed
  );
};
for (const type of INTENT) addEventListener(type, intent, true);

const join = new JoinScreen(invite.room, invite.choice, invite.problem, (name, roomId, choice) => {
  join.waiting(true);
  loadGame()
    .then((g) => g.play(join, name, roomId, choice))
    .then(
      () => join.waiting(false),
      (err: unknown) => {
        console.error(err);
        join.waiting(false);
        // Without WebGL, main.ts has said so already and switched Play off.
        if (!byId('play-button').hasAttribute('disabled'))
          join.show(`The game could not be loaded (${String(err).slice(0, 120)}): check the connection and reload the page.`);
      },
    );
});
join.show();
