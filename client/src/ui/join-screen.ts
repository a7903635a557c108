// The join screen: a name, a room (prefilled from ?room= so a link is an invite), the rooms
// open right now with their player counts and settings (polled from /api/rooms while the
// screen is up), today's best scores across rooms, and Play. It is part of the page's first
// chunk (entry.ts): it must not import the game (pixi, renderer, netcode). When the room named does not exist yet, its creator chooses how it
// plays (board size, speed, walls, stones): the choices come from the shared table in
// room-settings.ts, so a new one appears here without an edit. Input is checked here with
// the same rules the server applies.
// Tutorial: docs/tutorial/04-drawing.md

import {
  BOARD_SIZES,
  type BoardSize,
  NAME_MAX,
  ROOM_CHOICES,
  type RoomChoice,
  type RoomSettings,
  type StoneLevel,
  type Walls,
  describeSettings,
  isValidRoomId,
  normalizeName,
  parseRoomChoice,
} from '@snakepit/shared';
import { byId, el } from './dom.ts';

const NAME_KEY = 'snakepit:name';
const POLL_MS = 2000;
/** Today's best scores change slowly: asked for at most this often, in ms. */
const LEADERS_POLL_MS = 10_000;
const LEADERS_LIMIT = 10;

/** An item of GET /api/rooms. */
interface RoomInfo {
  id: string;
  /** People and bots; `capacity` is the most a room seats. */
  players: number;
  humans: number;
  bots: number;
  capacity: number;
  spectators: number;
  settings: RoomSettings;
}

/** GET /api/leaderboard?period=today: a name's best score today, across rooms. */
interface Leaders {
  entries: { name: string; score: number; room: string }[];
}

type ChoiceKey = keyof typeof ROOM_CHOICES;

const WALL_LABELS: Record<Walls, string> = { solid: 'solid', wrap: 'wrap around' };
const STONE_LABELS: Record<StoneLevel, string> = { off: 'off', some: 'some' };

/** How each setting is offered: a field label and a label per value. A new key must add one. */
const FIELDS: { readonly [K in ChoiceKey]: { readonly label: string; readonly option: (value: string) => string } } = {
  size: {
    label: 'Board',
    option: (v) => {
      const s = BOARD_SIZES[v as BoardSize];
      return `${s.label} ${s.width}x${s.height}`;
    },
  },
  speed: { label: 'Speed', option: (v) => `${v} ticks/s` },
  walls: { label: 'Walls', option: (v) => WALL_LABELS[v as Walls] },
  stones: { label: 'Stones', option: (v) => STONE_LABELS[v as StoneLevel] },
  bots: { label: 'Bots', option: (v) => (v === '0' ? 'off' : `up to ${v} snakes`) },
};

export class JoinScreen {
  readonly #screen = byId('join-screen');
  readonly #form = byId<HTMLFormElement>('join-form');
  readonly #name = byId<HTMLInputElement>('name-input');
  readonly #room = byId<HTMLInputElement>('room-input');
  readonly #error = byId('join-error');
  readonly #list = byId<HTMLUListElement>('room-list');
  /** One line whatever the room turns out to be (open: the note; new: the settings, folded), so
   *  the form does not shift when the room list arrives after the first paint. */
  readonly #settings = byId<HTMLDetailsElement>('new-room');
  readonly #settingsChoices = byId('new-room-choices');
  readonly #roomNote = byId('room-note');
  readonly #nameCount = byId('name-count');
  readonly #play = byId<HTMLButtonElement>('play-button');
  readonly #leaders = byId<HTMLOListElement>('leaders');
  #leadersAt = Number.NEGATIVE_INFINITY;
  /** Play was pressed and the game is still loading: further presses wait with it. */
  #waiting = false;
  readonly #choices = new Map<ChoiceKey, HTMLSelectElement>();
  /** The rooms open at the last poll; null until the first answer. */
  #rooms: readonly RoomInfo[] | null = null;
  #poll: ReturnType<typeof setTimeout> | null = null;

  constructor(room: string, choice: RoomChoice, problem: string | null, onPlay: (name: string, room: string, choice: RoomChoice) => void) {
    this.#room.value = room;
    this.#name.value = localStorage.getItem(NAME_KEY) ?? '';
    this.#limitName();
    // Stops at NAME_MAX characters as you type, counted as the server counts them (code points,
    // so an emoji is one), which the maxlength attribute (UTF-16 units) would not do.
    this.#name.addEventListener('input', () => this.#limitName());
    this.#buildChoices(choice);
    if (problem) this.#error.textContent = problem;
    this.#room.addEventListener('input', () => {
      // Room ids are lower-case words joined by '-': help people type them.
      const v = this.#room.value.toLowerCase().replace(/\s+/g, '-');
      if (v !== this.#room.value) this.#room.value = v;
      this.#showSettings();
    });
    this.#form.addEventListener('submit', (e) => {
      e.preventDefault();
      if (this.#waiting) return;
      const name = normalizeName(this.#name.value);
      const roomId = this.#room.value.trim();
      if (name === null) return this.#fail(`Pick a name of 1 to ${NAME_MAX} characters.`, this.#name);
      if (!isValidRoomId(roomId)) return this.#fail('Room names use a-z, 0-9 and - (at most 32).', this.#room);
      const chosen = this.#chosen();
      if (!chosen.ok) return this.#fail(chosen.message, this.#room);
      this.#error.textContent = '';
      localStorage.setItem(NAME_KEY, name);
      // Sent even when the room exists (the server then ignores them), so a room that closes
      // in the meantime, or a reconnection after a restart, gets what the link says.
      onPlay(name, roomId, chosen.choice);
    });
  }

  /** Shows the screen; `problem`, when given, says why the player is back here. */
  show(problem: string | null = null): void {
    if (problem !== null) this.#error.textContent = problem;
    this.#screen.hidden = false;
    (this.#name.value ? this.#play : this.#name).focus();
    void this.#refresh();
  }

  /** Play was pressed before the game had loaded: say so on the button until it has. */
  waiting(on: boolean): void {
    this.#waiting = on;
    this.#play.textContent = on ? 'Loading the game…' : 'Play';
    this.#play.setAttribute('aria-busy', String(on));
  }

  hide(): void {
    this.#screen.hidden = true;
    if (this.#poll) clearTimeout(this.#poll);
    this.#poll = null;
  }

  #buildChoices(initial: RoomChoice): void {
    const fields = (Object.keys(ROOM_CHOICES) as ChoiceKey[]).map((key) => {
      // '' leaves the setting to the server's default.
      const select = el('select', {}, [new Option('default', ''), ...ROOM_CHOICES[key].map((v) => new Option(FIELDS[key].option(v), v))]);
      select.id = `${key}-choice`;
      select.name = key;
      select.dataset.testid = `${key}-choice`;
      select.value = initial[key] === undefined ? '' : String(initial[key]);
      this.#choices.set(key, select);
      return el('label', { text: FIELDS[key].label }, [select]);
    });
    this.#settingsChoices.append(...fields);
    // A link that chose settings shows them; otherwise they stay folded until asked for.
    this.#settings.open = Object.values(initial).some((v) => v !== undefined);
  }

  /** The choices in the form, checked as the server will check them. */
  #chosen(): ReturnType<typeof parseRoomChoice> {
    const query: Record<string, string> = {};
    for (const [key, select] of this.#choices) if (select.value) query[key] = select.value;
    return parseRoomChoice(query);
  }

  /** Settings are offered only for a room that is not open (they would be ignored). */
  #showSettings(): void {
    const id = this.#room.value.trim();
    const open = this.#rooms?.find((r) => r.id === id);
    this.#settings.hidden = this.#rooms === null || open !== undefined;
    this.#roomNote.textContent = open ? `Room ${open.id} is open: ${describeSettings(open.settings)}.` : '';
  }

  #limitName(): void {
    const chars = [...this.#name.value];
    if (chars.length > NAME_MAX) this.#name.value = chars.slice(0, NAME_MAX).join('');
    this.#nameCount.textContent = `${Math.min(chars.length, NAME_MAX)}/${NAME_MAX}`;
  }

  #fail(message: string, field: HTMLInputElement): void {
    this.#error.textContent = message;
    field.focus();
  }

  async #refresh(): Promise<void> {
    if (this.#screen.hidden) return;
    if (performance.now() - this.#leadersAt >= LEADERS_POLL_MS) {
      this.#leadersAt = performance.now();
      void this.#refreshLeaders();
    }
    try {
      const res = await fetch('/api/rooms', { cache: 'no-store' });
      if (!res.ok) throw new Error(String(res.status));
      this.#render((await res.json()) as RoomInfo[]);
    } catch {
      this.#list.replaceChildren(el('li', { className: 'muted', text: 'The server is not answering right now.' }));
    }
    if (!this.#screen.hidden) this.#poll = setTimeout(() => void this.#refresh(), POLL_MS);
  }

  async #refreshLeaders(): Promise<void> {
    try {
      const res = await fetch(`/api/leaderboard?period=today&limit=${LEADERS_LIMIT}`, { cache: 'no-store' });
      if (!res.ok) throw new Error(String(res.status));
      const { entries } = (await res.json()) as Leaders;
      this.#leaders.replaceChildren(
        ...entries.map((e) =>
          el('li', {}, [
            el('span', { className: 'name', text: e.name }),
            el('span', { className: 'leader-room', text: e.room }),
            el('span', { className: 'leader-score', text: String(e.score) }),
          ]),
        ),
      );
      if (entries.length === 0) this.#leaders.replaceChildren(el('li', { className: 'muted', text: 'No scores yet today: be the first.' }));
    } catch {
      this.#leaders.replaceChildren(el('li', { className: 'muted', text: 'The scores are not available right now.' }));
    }
  }

  #render(rooms: RoomInfo[]): void {
    this.#rooms = rooms;
    this.#showSettings();
    if (rooms.length === 0) {
      this.#list.replaceChildren(el('li', { className: 'muted', text: 'No rooms open: yours will be the first.' }));
      return;
    }
    rooms.sort((a, b) => b.players - a.players || a.id.localeCompare(b.id));
    this.#list.replaceChildren(
      ...rooms.map((r) => {
        const button = el('button', { className: 'room-pick', title: `Join room ${r.id}` }, [
          el('span', { className: 'name', text: r.id }),
          el('span', { className: 'count', text: roomCount(r) }),
          el('span', { className: 'settings', text: describeSettings(r.settings) }),
        ]);
        button.type = 'button';
        button.addEventListener('click', () => {
          this.#room.value = r.id;
          this.#showSettings();
          this.#play.focus();
        });
        const item = el('li', {}, [button]);
        item.dataset.room = r.id;
        return item;
      }),
    );
  }
}

/** "1 playing + 3 bots · 4/10 · 2 watching"; "full" when people fill it (a bot gives its seat to a person). */
function roomCount(r: RoomInfo): string {
  const bots = r.bots ? ` + ${r.bots} bot${r.bots === 1 ? '' : 's'}` : '';
  const full = r.humans >= r.capacity ? ' · full' : '';
  return `${r.humans} playing${bots} · ${r.players}/${r.capacity}${full}${r.spectators ? ` · ${r.spectators} watching` : ''}`;
}
