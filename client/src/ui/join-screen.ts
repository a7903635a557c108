// The join screen: a name, a room (prefilled from ?room= so a link is an invite), the rooms
// open right now with their player counts and settings (polled from /api/rooms while the
// screen is up), and Play. When the room named does not exist yet, its creator chooses how it
// plays (board size, speed, walls, stones): the choices come from the shared table in
// room-settings.ts, so a new one appears here without an edit. Input is checked here with
// the same rules the server applies.
// Tutorial: docs/tutorial/04-client.md

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

/** An item of GET /api/rooms. */
interface RoomInfo {
  id: string;
  players: number;
  spectators: number;
  settings: RoomSettings;
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
};

export class JoinScreen {
  readonly #screen = byId('join-screen');
  readonly #form = byId<HTMLFormElement>('join-form');
  readonly #name = byId<HTMLInputElement>('name-input');
  readonly #room = byId<HTMLInputElement>('room-input');
  readonly #error = byId('join-error');
  readonly #list = byId<HTMLUListElement>('room-list');
  readonly #settings = byId<HTMLFieldSetElement>('new-room');
  readonly #roomNote = byId('room-note');
  readonly #choices = new Map<ChoiceKey, HTMLSelectElement>();
  /** The rooms open at the last poll; null until the first answer. */
  #rooms: readonly RoomInfo[] | null = null;
  #poll: ReturnType<typeof setTimeout> | null = null;

  constructor(room: string, choice: RoomChoice, problem: string | null, onPlay: (name: string, room: string, choice: RoomChoice) => void) {
    this.#room.value = room;
    this.#name.value = localStorage.getItem(NAME_KEY) ?? '';
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
    (this.#name.value ? byId('play-button') : this.#name).focus();
    void this.#refresh();
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
    this.#settings.append(...fields);
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

  #fail(message: string, field: HTMLInputElement): void {
    this.#error.textContent = message;
    field.focus();
  }

  async #refresh(): Promise<void> {
    if (this.#screen.hidden) return;
    try {
      const res = await fetch('/api/rooms', { cache: 'no-store' });
      if (!res.ok) throw new Error(String(res.status));
      this.#render((await res.json()) as RoomInfo[]);
    } catch {
      this.#list.replaceChildren(el('li', { className: 'muted', text: 'The server is not answering right now.' }));
    }
    if (!this.#screen.hidden) this.#poll = setTimeout(() => void this.#refresh(), POLL_MS);
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
          el('span', { className: 'count', text: `${r.players} playing${r.spectators ? ` · ${r.spectators} watching` : ''}` }),
          el('span', { className: 'settings', text: describeSettings(r.settings) }),
        ]);
        button.type = 'button';
        button.addEventListener('click', () => {
          this.#room.value = r.id;
          this.#showSettings();
          byId('play-button').focus();
        });
        const item = el('li', {}, [button]);
        item.dataset.room = r.id;
        return item;
      }),
    );
  }
}
