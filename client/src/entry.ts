// The first chunk: the join screen and nothing of the game, so the page paints and answers on a
// slow phone before pixi.js has arrived. It starts loading the game (main.ts and everything it
// imports: pixi, the renderer, netcode) at once, in the background, and waits for it only when
// Play is pressed, which by then has usually nothing left to wait for.
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

// The game, loading as soon as the page has loaded (so its bytes and its start-up never come
// before the first paint); a failure is said when Play is pressed.
const game = new Promise<typeof import('./main.ts')>((resolve, reject) => {
  const load = () => import('./main.ts').then(resolve, reject);
  if (document.readyState === 'complete') load();
  else addEventListener('load', load, { once: true });
});
game.catch(() => {});

// Someone typing a name or reaching for Play is about to play: pixi starts then rather than at
// load, so a page only looked at never pays for a renderer, and Play has nothing left to wait for.
const INTENT = ['input', 'pointerdown', 'keydown'] as const;
const intent = () => {
  for (const type of INTENT) removeEventListener(type, intent, true);
  game.then(
    (g) => g.warmUp(),
    () => {},
  );
};
for (const type of INTENT) addEventListener(type, intent, true);

const join = new JoinScreen(invite.room, invite.choice, invite.problem, (name, roomId, choice) => {
  join.waiting(true);
  game
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
