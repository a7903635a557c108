// The join screen: a name, a room (prefilled from ?room= so a link is an invite), the rooms
// open right now with their player counts (polled from /api/rooms while the screen is up),
// and Play. Input is checked here with the same rules the server applies.
// Tutorial: docs/tutorial/04-client.md

import { NAME_MAX, isValidRoomId, normalizeName } from '@snakepit/shared';
import { byId, el } from './dom.ts';

const NAME_KEY = 'snakepit:name';
const POLL_MS = 2000;

interface RoomInfo {
  id: string;
  players: number;
  spectators: number;
}

export class JoinScreen {
  readonly #screen = byId('join-screen');
  readonly #form = byId<HTMLFormElement>('join-form');
  readonly #name = byId<HTMLInputElement>('name-input');
  readonly #room = byId<HTMLInputElement>('room-input');
  readonly #error = byId('join-error');
  readonly #list = byId<HTMLUListElement>('room-list');
  #poll: ReturnType<typeof setTimeout> | null = null;

  constructor(room: string, onPlay: (name: string, room: string) => void) {
    this.#room.value = room;
    this.#name.value = localStorage.getItem(NAME_KEY) ?? '';
    this.#room.addEventListener('input', () => {
      // Room ids are lower-case words joined by '-': help people type them.
      const v = this.#room.value.toLowerCase().replace(/\s+/g, '-');
      if (v !== this.#room.value) this.#room.value = v;
    });
    this.#form.addEventListener('submit', (e) => {
      e.preventDefault();
      const name = normalizeName(this.#name.value);
      const roomId = this.#room.value.trim();
      if (name === null) return this.#fail(`Pick a name of 1 to ${NAME_MAX} characters.`, this.#name);
      if (!isValidRoomId(roomId)) return this.#fail('Room names use a-z, 0-9 and - (at most 32).', this.#room);
      this.#error.textContent = '';
      localStorage.setItem(NAME_KEY, name);
      onPlay(name, roomId);
    });
  }

  show(): void {
    this.#screen.hidden = false;
    (this.#name.value ? byId('play-button') : this.#name).focus();
    void this.#refresh();
  }

  hide(): void {
    this.#screen.hidden = true;
    if (this.#poll) clearTimeout(this.#poll);
    this.#poll = null;
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
        ]);
        button.type = 'button';
        button.addEventListener('click', () => {
          this.#room.value = r.id;
          byId('play-button').focus();
        });
        return el('li', {}, [button]);
      }),
    );
  }
}
