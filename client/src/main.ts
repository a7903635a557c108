// The game, top to bottom: read the URL, set up the HUD, start pixi, and when the player presses
// Play, connect to the room, wire the keys and the touch screen, and add one ticker callback that
// shows the ticks the render clock has reached and moves the snakes between them. The join
// screen is not here: entry.ts shows it first and loads this module (with pixi) behind it.
// Server messages flow: Connection -> Session (state) -> Scene (canvas) + Hud (DOM).
// Player input flows: keys/touch -> Session (records the turn) -> Connection.send. Nothing else
// talks to anything.
// Tutorial: docs/tutorial/04-drawing.md

import type { DirName, RoomChoice } from '@snakepit/shared';
import { Sounds } from './audio/sounds.ts';
import { type BadFrames, installDebugHook } from './debug.ts';
import { bindKeys } from './input/keys.ts';
import { bindTouch } from './input/touch.ts';
import { ReplayOffer } from './replay/offer.ts';
import { Connection, socketUrl } from './net/connection.ts';
import { inviteLink, writeInvite } from './net/invite.ts';
import { readLag } from './net/lag.ts';
import { Scene } from './render/scene.ts';
import { Session, type SessionChange } from './state/session.ts';
import { byId } from './ui/dom.ts';
import { LifeTracker } from './ui/game-over.ts';
import { Hud } from './ui/hud.ts';
import type { JoinScreen } from './ui/join-screen.ts';

/** How long the server holds a dropped player's snake, in seconds (its RESUME_GRACE_S default). */
const RESUME_GRACE_S = 10;
/** How often the page measures the round trip, in ms. */
const PING_EVERY_MS = 2000;

// 1. The URL: entry.ts reads the invite (?room=<id> and a new room's settings); ?debug=1 exposes
//    window.__snakepit and allows ?lag=MS&jitter=MS; ?predict=0 draws your snake like the
//    others, ?buffer=0 shows ticks as they arrive (to compare with the jitter buffer).
const params = new URLSearchParams(location.search);
const lag = readLag(params);

// 2. State and the DOM around the canvas.
const session = new Session({ buffered: params.get('buffer') !== '0', predict: params.get('predict') !== '0' });
const hud = new Hud();
const sounds = new Sounds();
hud.bindSound(sounds);
/** Your snake's life so far, for the game-over panel. */
const life = new LifeTracker();
const replays = new ReplayOffer(() => room);
const gameEl = byId('game');
let connection: Connection | null = null;
let playerName: string | null = null;
const badFrames: BadFrames = { count: 0, first: null };

// Resuming: every welcome brings a token that takes this page's player back after a drop. It
// is kept per room in sessionStorage, so a reload while the connection is down can resume too.
let room: string | null = null;
/** The page has a player in the room: a drop makes it away, and the page comes back for it. */
let playing = false;
/** The attempt under way resumes, and why: after a drop, or with a token left by a reload. */
let resuming: 'drop' | 'stored' | null = null;
let lostTimer: ReturnType<typeof setInterval> | null = null;

const tokens = {
  key: (r: string) => `snakepit:resume:${r}`,
  get(r: string): string | null {
    try {
      return sessionStorage.getItem(this.key(r));
    } catch {
      return null; // storage switched off: resuming works until a reload
    }
  },
  set(r: string, token: string | null): void {
    try {
      if (token === null) sessionStorage.removeItem(this.key(r));
      else sessionStorage.setItem(this.key(r), token);
    } catch {}
  },
};
let token: string | null = null;

/** The join screen, shown by entry.ts before this module loaded, and handed over with Play. */
let join: JoinScreen;

/** Play pressed on the join screen, with a checked name, room and settings. */
export async function play(screen: JoinScreen, name: string, roomId: string, choice: RoomChoice): Promise<void> {
  join = screen;
  await startScene();
  playerName = name;
  const url = new URL(location.href);
  writeInvite(url.searchParams, roomId, choice);
  history.replaceState(null, '', url);
  join.hide();
  enterRoom(roomId, choice);
}

/** The player is about to play (typing a name, a tap): start pixi now, so Play finds it ready. */
export function warmUp(): void {
  startScene().catch(() => {}); // the join screen says why, and Play stays off
}

// 3. pixi, filling #game, with the board kept clear of the HUD panels (beside them on a wide
//    screen, between the top bar and the scores on a phone; see style.css). Started by the
//    first Play, not when this module loads: behind the join screen a renderer would draw an
//    empty board every frame, taking the main thread (and a phone's battery) from the page.
const scene = new Scene();
let sceneStarted: Promise<void> | null = null;
function startScene(): Promise<void> {
  sceneStarted ??= initScene();
  return sceneStarted;
}
async function initScene(): Promise<void> {
  try {
    await scene.init(gameEl);
  } catch (err) {
    // Neither WebGL nor the Canvas renderer: say so rather than show an empty page.
    byId('join-error').textContent =
      `This browser cannot draw the game: neither WebGL nor a 2D canvas works (${String(err).slice(0, 120)}).`;
    byId('play-button').setAttribute('disabled', ''); // the join screen still lists who is playing
    throw err;
  }
  // The panels' real sizes, not guesses: on a phone the top bar wraps to two or three lines and
  // the scores grow with the room, and the board must end where they begin so that no panel
  // ever covers your head.
  const wide = matchMedia('(min-width: 641px)');
  const hudTop = document.querySelector<HTMLElement>('.hud-top')!;
  const scores = document.querySelector<HTMLElement>('.scores')!;
  const fitAroundHud = () => {
    const top = Math.max(wide.matches ? 52 : 44, Math.ceil(hudTop.getBoundingClientRect().bottom) + 6);
    if (wide.matches) scene.setInsets({ top, right: 228, bottom: 28, left: 12 });
    else {
      const below = scores.offsetParent ? Math.ceil(window.innerHeight - scores.getBoundingClientRect().top) + 6 : 6;
      scene.setInsets({ top, right: 6, bottom: Math.max(6, below), left: 6 });
    }
  };
  wide.addEventListener('change', fitAroundHud);
  const panels = new ResizeObserver(fitAroundHud);
  panels.observe(hudTop);
  panels.observe(scores);
  fitAroundHud();
}
if (params.get('debug') === '1') installDebugHook(session, scene, () => connection, badFrames, sounds);

// 4. Connecting to a room, and what to do with each change a message makes: one handler per
//    kind of change, so a new kind without one does not compile.
type ChangeHandlers = { readonly [K in SessionChange['kind']]: (change: Extract<SessionChange, { kind: K }>, now: number) => void };
const onChange = {
  welcome: () => {
    scene.setBoard(session.welcome!.board);
    hud.setSettings(session.settings);
    token = session.welcome!.token;
    if (room !== null) tokens.set(room, token);
  },
  world: (_, now) => {
    sounds.play(scene.sync(session.mirror, session.myId, now, session.own?.predicted ?? false), session.myId);
    life.track(session.me?.length ?? 0, session.mirror.tick);
    refreshHud();
    if (waitingForSeat) offerSeat();
  },
  joined: ({ lostMs }) => {
    waitingForSeat = false;
    seatFree = null;
    stopCountdown();
    // After a crash the room came back from its last periodic checkpoint: say so, this once.
    const lost = lostMs === undefined ? '' : ` — the server crashed, so up to ${Math.round(lostMs / 100) / 10} s of play were lost`;
    hud.notice(resuming ? `back in the game${lost}` : null, resuming ? (lost ? 8000 : 2500) : undefined);
    resuming = null;
    playing = true;
  },
  died: (change) => {
    const me = session.myId === null ? undefined : session.mirror.players.get(session.myId);
    hud.showGameOver(change.score, change.cause, change.by, life.summary(me, session.ranking(), session.mirror.tick, session.intervalMs));
    replays.died(change.tick);
  },
  replay: ({ tick, id }) => replays.recorded(tick, id),
  error: ({ error }) => {
    if (error.code === 'bad-token') return resumeRefused(error.message);
    if (error.code === 'no-space') hud.showGameOver(session.me?.score ?? 0, null, null);
    else if (error.code === 'room-full' || error.code === 'seat-freed') {
      // Watching now: the notice says when a seat is free, and Enter (or a tap) takes it.
      if (error.code === 'seat-freed') {
        session.myId = null;
        playing = false;
        hud.hideGameOver();
      }
      waitingForSeat = true;
      seatFree = null;
      hud.notice(error.message);
    } else hud.notice(error.message, 5000);
  },
  resync: () => connection?.send({ type: 'resync' }),
  outdated: () => outdated(),
} satisfies ChangeHandlers;

/** Refused by a full room, or dead too long: watching, and told when a seat is free. */
let waitingForSeat = false;
/** What the notice last said about seats (null: not yet). */
let seatFree: boolean | null = null;
/** A person may take a seat while fewer people than maxPlayers play: a bot gives way. */
function offerSeat(): void {
  const welcome = session.welcome;
  if (!welcome || session.myId !== null) return;
  let people = 0;
  for (const p of session.mirror.players.values()) if (!p.bot) people++;
  const free = people < welcome.maxPlayers;
  if (free === seatFree) return;
  seatFree = free;
  hud.notice(
    free ? 'A seat is free: press Enter or tap to play.' : 'The room is full: you are watching, and will be told when a seat frees.',
  );
}

/**
 * The scores and the top-scores table are DOM, rebuilt when they change: in a task of their own
 * right after the frame that showed the tick, so a frame's JavaScript is the canvas's alone.
 */
let hudQueued = false;
function refreshHud(): void {
  if (hudQueued) return;
  hudQueued = true;
  setTimeout(() => {
    hudQueued = false;
    hud.scoreboard(session.ranking(), session.myId);
    hud.topScores(session.mirror.top);
    if (session.me?.alive && hud.gameOverShown) hud.hideGameOver();
  });
}

function dispatch(changes: readonly SessionChange[], now: number): void {
  for (const change of changes) (onChange[change.kind] as (change: SessionChange, now: number) => void)(change, now);
}

function enterRoom(roomId: string, choice: RoomChoice): void {
  leave();
  waitingForSeat = false;
  seatFree = null;
  room = roomId;
  token = tokens.get(roomId);
  resuming = token ? 'stored' : null;
  session.reset();
  scene.clear();
  life.reset();
  hud.setRoom(roomId);
  hud.setSettings(null);
  hud.hideOutdated();
  hud.hideGameOver();
  hud.notice(null);
  document.body.classList.add('playing');
  const url = () => socketUrl(location, roomId, params.get('wire'), choice, resuming ? token : null);
  connection = new Connection(
    url,
    {
      state: (s) => {
        hud.setStatus(s);
        if (s.kind === 'refused') hud.notice(`The server refused this room: ${s.reason}.`);
        // Dropped while playing: the server holds the snake, and the next attempt asks for it.
        if (s.kind === 'reconnecting' && playing) {
          if (token) resuming = 'drop';
          startCountdown();
        }
      },
      open: () => {
        // Every (re)connection starts a fresh view; a player comes back by token or joins again.
        session.reset();
        replays.reset();
        scene.clear();
        connection?.send(session.ping(performance.now()));
        if (!resuming && playerName) connection?.send({ type: 'join', name: playerName });
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
        dispatch(changes, now);
      },
      badFrame: (error, first) => {
        countBadFrame(error);
        // The first frame is always the welcome: a page that cannot read it is out of date.
        if (first) outdated();
      },
    },
    lag,
  );
}

/** The server would not give the player back (unknown, used or expired token). */
function resumeRefused(message: string): void {
  const why = resuming;
  resuming = null;
  playing = false;
  token = null;
  if (room !== null) tokens.set(room, null);
  stopCountdown();
  // A token left by a reload is only worth a try: the player pressed Play, so play.
  if (why === 'stored' && playerName) {
    connection?.send({ type: 'join', name: playerName });
    return;
  }
  leaveRoom(message);
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

/** Leaves the room on purpose: says so to the server first, so the snake is not held. */
function leave(): void {
  if (!connection) return;
  if (connection.open && playing) {
    connection.send({ type: 'leave' });
    if (room !== null) tokens.set(room, null);
  }
  connection.close();
  connection = null;
  playing = false;
  resuming = null;
  stopCountdown();
}

function leaveRoom(problem: string | null = null): void {
  leave();
  session.reset();
  scene.clear();
  hud.hideGameOver();
  hud.notice(null);
  document.body.classList.remove('playing');
  join.show(problem);
}

/** "connection lost — your snake is waiting (N s)", counting down the server's grace. */
function startCountdown(): void {
  if (lostTimer) return;
  const until = performance.now() + RESUME_GRACE_S * 1000;
  const show = () => {
    const left = Math.ceil((until - performance.now()) / 1000);
    hud.connectionLost(left > 0 ? left : null);
    if (left <= 0 && lostTimer) clearInterval(lostTimer);
  };
  lostTimer = setInterval(show, 250);
  show();
}

function stopCountdown(): void {
  if (lostTimer) clearInterval(lostTimer);
  lostTimer = null;
}

// 5. Input: keys and swipes steer; Space, Enter, a tap or the button play again.
function turn(dir: DirName): void {
  if (!connection?.open) return;
  const msg = session.turn(dir);
  if (msg) connection.send(msg);
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
byId('leave').addEventListener('click', () => leaveRoom());
byId('invite').addEventListener('click', () => hud.invite(inviteLink(location.href)));
// Closing the tab or going elsewhere is leaving on purpose; a page brought back from the
// back-forward cache has left, and offers the join screen again.
addEventListener('pagehide', () => leave());
addEventListener('pageshow', (e) => {
  if (e.persisted && room !== null && !connection) leaveRoom();
});
setInterval(() => {
  if (connection?.open) connection.send(session.ping(performance.now()));
}, PING_EVERY_MS);

// 6. One ticker callback: show the ticks the render clock has reached, then slide each snake
//    toward where they put it, and yours to where the prediction puts it.
scene.ticker.add(() => {
  const now = performance.now();
  dispatch(session.frame(now), now);
  scene.frame(session.mirror, session.alpha, now, session.own);
});
