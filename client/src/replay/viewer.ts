// The replay page, /?replay=<id>&room=<room>: fetches one recorded life (GET /api/replays/:id), and plays it
// in the game's own renderer (render/scene.ts) from the shared rules (timeline.ts), with pause,
// speed from 0.25x to 4x, a scrubber and a link to share. main.ts loads this module only for
// such a URL, so the game's page does not carry it. The watched player's snake is drawn as
// "yours". With ?debug=1, window.__snakepitReplay shows what is on screen, for tests.
// Must not: open a socket or touch the game's state; it only reads the recording.
// Tutorial: docs/tutorial/04-drawing.md

import './replay.css';
import { type GameState, REPLAY_ID_PATTERN, WorldMirror, snapshotMessage, tickMessage } from '@snakepit/shared';
import { Scene } from '../render/scene.ts';
import { byId, el } from '../ui/dom.ts';
import { Timeline, checkReplay } from './timeline.ts';

/** Playback speeds offered, as multiples of the room's own tick rate. */
export const SPEEDS = [0.25, 0.5, 1, 2, 4] as const;

declare global {
  interface Window {
    __snakepitReplay?: unknown;
  }
}

/** Takes the page over to play replay `id`. Never settles: the page is the viewer from now on. */
export async function watch(id: string, room: string | null, debug: boolean): Promise<never> {
  document.body.classList.add('replaying');
  const title = el('h1', { className: 'replay-title', text: 'loading the replay…' });
  const message = el('p', { className: 'replay-message' });
  message.dataset.testid = 'replay-message';
  title.dataset.testid = 'replay-title';
  const bar = el('div', { className: 'replay-bar panel' });
  const top = el('header', { className: 'replay-top panel' }, [title, message]);
  document.body.append(top, bar);

  const data = await load(id, room).catch((err: unknown) => {
    title.textContent = 'This replay cannot be shown';
    message.textContent = err instanceof Error ? err.message : String(err);
    return null;
  });
  if (!data) return forever();

  const timeline = new Timeline(data);
  const me = data.player.id;
  title.textContent = `${data.player.name} in room ${data.room}`;
  message.textContent = `score ${data.score} · ${new Date(data.at).toLocaleString()}`;
  document.title = `snakepit · replay of ${data.player.name}`;

  const scene = new Scene();
  await scene.init(byId('game'));
  scene.setInsets({ top: 64, right: 12, bottom: 72, left: 12 });
  const mirror = new WorldMirror();

  // Where the playback is, in ticks (fractional between two), and the state the mirror shows.
  let position = timeline.first;
  let shown: GameState = timeline.at(position);
  let playing = true;
  let speed = 1;

  const play = button('pause', 'replay-play');
  const speedSelect = el('select', { title: 'playback speed' });
  speedSelect.dataset.testid = 'replay-speed';
  for (const s of SPEEDS) {
    const option = el('option', { text: `${s}x` });
    option.value = String(s);
    option.selected = s === 1;
    speedSelect.append(option);
  }
  const scrubber = el('input', { title: 'scrub through the replay' });
  scrubber.type = 'range';
  scrubber.min = String(timeline.first);
  scrubber.max = String(timeline.last);
  scrubber.step = '1';
  scrubber.dataset.testid = 'replay-scrubber';
  const clock = el('span', { className: 'replay-clock' });
  clock.dataset.testid = 'replay-clock';
  const share = button('copy link', 'replay-share');
  bar.append(play, speedSelect, scrubber, clock, share);

  const showState = (state: GameState) => {
    mirror.applySnapshot(snapshotMessage(state, []));
    shown = state;
    scene.sync(mirror, me, performance.now());
  };
  const seek = (tick: number) => {
    position = Math.max(timeline.first, Math.min(timeline.last, tick));
    showState(timeline.at(position));
  };
  const setPlaying = (on: boolean) => {
    if (on && position >= timeline.last) seek(timeline.first);
    playing = on;
    play.textContent = on ? 'pause' : position >= timeline.last ? 'watch again' : 'play';
  };
  play.addEventListener('click', () => setPlaying(!playing));
  speedSelect.addEventListener('change', () => {
    speed = Number(speedSelect.value);
  });
  scrubber.addEventListener('input', () => seek(Number(scrubber.value)));
  share.addEventListener('click', () => {
    const url = new URL(`/?replay=${encodeURIComponent(data.id)}&room=${encodeURIComponent(data.room)}`, location.href).href;
    navigator.clipboard?.writeText(url).then(
      () => (message.textContent = 'Link copied: send it to a friend.'),
      () => (message.textContent = url),
    );
  });
  addEventListener('keydown', (e) => {
    if (e.key !== ' ' || e.target instanceof HTMLInputElement || e.target instanceof HTMLSelectElement) return;
    e.preventDefault();
    setPlaying(!playing);
  });
  seek(timeline.first);

  scene.ticker.add((ticker) => {
    if (playing) {
      position = Math.min(timeline.last, position + (ticker.deltaMS / 1000) * data.tickRate * speed);
      // The mirror shows the tick the position is moving into, sliding from the one before.
      const target = Math.ceil(position);
      if (target - shown.tick > 2 * data.tickRate) showState(timeline.at(target - 1)); // a hidden tab catching up
      let moved = false;
      while (shown.tick < target) {
        const { state, events } = timeline.next(shown);
        mirror.applyTick(tickMessage(shown, state, events, null));
        shown = state;
        moved = true;
      }
      if (moved) scene.sync(mirror, me, performance.now());
      if (position >= timeline.last) setPlaying(false);
    }
    scene.frame(mirror, Math.min(1, Math.max(0, position - (shown.tick - 1))), performance.now());
    const tick = String(Math.floor(position));
    if (scrubber.value !== tick) scrubber.value = tick;
    const text = `${timeline.seconds(position).toFixed(1)} / ${timeline.seconds(timeline.last).toFixed(1)} s`;
    if (clock.textContent !== text) clock.textContent = text;
  });

  if (debug) {
    Object.defineProperty(window, '__snakepitReplay', {
      get: () => {
        const p = shown.players.find((q) => q.id === me);
        return Object.freeze({
          tick: shown.tick,
          first: timeline.first,
          last: timeline.last,
          playing,
          speed,
          alive: Boolean(p?.snake),
          length: p?.snake?.body.length ?? 0,
          score: p?.score ?? 0,
        });
      },
    });
  }
  return forever();
}

/** The recording, or an Error saying why not (the server's words for a 404). */
async function load(id: string, room: string | null): Promise<ReturnType<typeof checkReplay>> {
  if (!new RegExp(REPLAY_ID_PATTERN).test(id)) throw new Error(`"${id.slice(0, 40)}" is not a replay id`);
  // The room only steers a proxy that hashes on it (several processes) to the one that recorded it.
  const query = room === null ? '' : `?room=${encodeURIComponent(room)}`;
  const res = await fetch(`/api/replays/${encodeURIComponent(id)}${query}`);
  const body: unknown = await res.json().catch(() => null);
  if (!res.ok) {
    const said = (body as { message?: unknown } | null)?.message;
    throw new Error(typeof said === 'string' ? said : `the server answered ${res.status}`);
  }
  return checkReplay(body);
}

function button(text: string, testid: string): HTMLButtonElement {
  const b = el('button', { text });
  b.type = 'button';
  b.dataset.testid = testid;
  return b;
}

function forever(): Promise<never> {
  return new Promise(() => {});
}
