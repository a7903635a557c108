// The client, top to bottom: read the URL, set up the HUD and the join screen, start pixi,
// and when the player presses Play, connect to the room, wire the keys and the touch screen,
// and add one ticker callback that moves the snakes between ticks.
// Server messages flow: Connection -> Session (state) -> Scene (canvas) + Hud (DOM).
// Player input flows: keys/touch -> Connection.send. Nothing else talks to anything.
// Tutorial: docs/tutorial/04-client.md

import './style.css';
import type { DirName, RoomChoice } from '@snakepit/shared';
import { type BadFrames, installDebugHook } from './debug.ts';
import { bindKeys } from './input/keys.ts';
import { bindTouch } from './input/touch.ts';
import { Connection, socketUrl } from './net/connection.ts';
import { readInvite, writeInvite } from './net/invite.ts';
import { Scene } from './render/scene.ts';
import { Session, type SessionChange } from './state/session.ts';
import { byId } from './ui/dom.ts';
import { Hud } from './ui/hud.ts';
import { JoinScreen } from './ui/join-screen.ts';

// 1. The URL: ?room=<id> (with the settings a new room gets) is an invite; ?debug=1 exposes
//    window.__snakepit.
const params = new URLSearchParams(location.search);
const invite = readInvite(params);

// 2. State and the DOM around the canvas.
const session = new Session();
const hud = new Hud();
const gameEl = byId('game');
let connection: Connection | null = null;
let playerName: string | null = null;
const badFrames: BadFrames = { count: 0, first: null };

const join = new JoinScreen(invite.room, invite.choice, invite.problem, (name, room, choice) => {
  playerName = name;
  const url = new URL(location.href);
  writeInvite(url.searchParams, room, choice);
  history.replaceState(null, '', url);
  join.hide();
  enterRoom(room, choice);
});

// 3. pixi, filling #game, with the board kept clear of the HUD panels (beside them on a wide
//    screen, between the top bar and the scores on a phone; see style.css).
const scene = new Scene();
try {
  await scene.init(gameEl);
} catch (err) {
  // No WebGL (switched off, or too old a browser): say so rather than show an empty page.
  byId('join-error').textContent = `This browser cannot draw the game: WebGL is not available (${String(err).slice(0, 120)}).`;
  byId('play-button').setAttribute('disabled', '');
  join.show(); // the rooms list still tells who is playing
  throw err;
}
const wide = matchMedia('(min-width: 641px)');
const fitAroundHud = () =>
  scene.setInsets(wide.matches ? { top: 52, right: 228, bottom: 28, left: 12 } : { top: 44, right: 6, bottom: 6, left: 6 });
wide.addEventListener('change', fitAroundHud);
fitAroundHud();
if (params.get('debug') === '1') installDebugHook(session, scene, () => connection?.open ?? false, badFrames);

// 4. Connecting to a room, and what to do with each change a message makes: one handler per
//    kind of change, so a new kind without one does not compile.
type ChangeHandlers = { readonly [K in SessionChange['kind']]: (change: Extract<SessionChange, { kind: K }>, now: number) => void };
const onChange = {
  welcome: () => {
    scene.setBoard(session.welcome!.board);
    hud.setSettings(session.settings);
  },
  world: (_, now) => {
    scene.sync(session.mirror, session.myId, now);
    hud.scoreboard(session.ranking(), session.myId);
    hud.topScores(session.mirror.top);
    if (session.me?.alive && hud.gameOverShown) hud.hideGameOver();
  },
  joined: () => hud.notice(null),
  died: (change) => hud.showGameOver(change.score, change.cause, change.by),
  error: ({ error }) => {
    if (error.code === 'no-space') hud.showGameOver(session.me?.score ?? 0, null, null);
    else hud.notice(error.message, error.code === 'room-full' ? undefined : 5000);
  },
  resync: () => connection?.send({ type: 'resync' }),
  outdated: () => outdated(),
} satisfies ChangeHandlers;

function enterRoom(room: string, choice: RoomChoice): void {
  connection?.close();
  session.reset();
  scene.clear();
  hud.setRoom(room);
  hud.setSettings(null);
  hud.hideOutdated();
  hud.hideGameOver();
  hud.notice(null);
  document.body.classList.add('playing');
  connection = new Connection(socketUrl(location, room, params.get('wire'), choice), {
    state: (s) => {
      hud.setStatus(s);
      if (s.kind === 'refused') hud.notice(`The server refused this room: ${s.reason}.`);
    },
    open: () => {
      // Every (re)connection starts a fresh view; a player who was playing joins again.
      session.reset();
      scene.clear();
      if (playerName) connection?.send({ type: 'join', name: playerName });
    },
    message: (msg) => {
      const now = performance.now();
      let changes: SessionChange[];
      try {
        changes = session.handle(msg, now);
      } catch (err) {
        // Read but not understood: counted like a frame that would not decode, and the view
        // starts again from a fresh snapshot rather than build on a world it may have torn.
        countBadFrame(err);
        connection?.send({ type: 'resync' });
        return;
      }
      for (const change of changes) (onChange[change.kind] as (change: SessionChange, now: number) => void)(change, now);
    },
    badFrame: (error, first) => {
      countBadFrame(error);
      // The first frame is always the welcome: a page that cannot read it is out of date.
      if (first) outdated();
    },
  });
}

function countBadFrame(error: unknown): void {
  badFrames.count++;
  badFrames.first ??= error instanceof Error ? error.message : String(error);
}

/** The server runs a protocol this page does not speak: stop, and offer the reload. */
function outdated(): void {
  connection?.close();
  connection = null;
  session.outdated = true;
  scene.clear();
  hud.showOutdated();
}

function leaveRoom(): void {
  connection?.close();
  connection = null;
  session.reset();
  scene.clear();
  hud.hideGameOver();
  hud.notice(null);
  document.body.classList.remove('playing');
  join.show();
}

// 5. Input: keys and swipes steer; Space, Enter, a tap or the button play again.
function turn(dir: DirName): void {
  if (session.me?.alive) connection?.send({ type: 'turn', dir });
}
function playAgain(): void {
  if (!connection || !playerName) return;
  if (session.myId === null) connection.send({ type: 'join', name: playerName });
  else if (!session.me?.alive) connection.send({ type: 'respawn' });
}
bindKeys(window, { active: () => connection !== null, turn, again: playAgain });
bindTouch(gameEl, { turn, tap: playAgain });
byId('play-again').addEventListener('click', playAgain);
byId('reload').addEventListener('click', () => location.reload());
byId('leave').addEventListener('click', leaveRoom);
byId('invite').addEventListener('click', () => {
  const url = new URL(location.href);
  url.searchParams.delete('debug');
  navigator.clipboard?.writeText(url.href).then(
    () => hud.notice('Invite link copied: send it to a friend.', 2500),
    () => hud.notice(url.href, 8000),
  );
});

// 6. One ticker callback: between ticks, slide each snake toward where the last tick put it.
scene.ticker.add(() => {
  const now = performance.now();
  scene.frame(session.mirror, session.alpha(now), now);
});

join.show();
