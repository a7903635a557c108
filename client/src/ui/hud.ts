// The heads-up display, in the DOM over the canvas: room name and settings, connection status,
// the scoreboard, the room's top scores, notices, the game-over panel (game-over.ts), the sound
// switch, the invite (share sheet, clipboard, or the link shown to copy) and the panel that asks
// for a reload when the server runs a newer version. DOM rather than canvas
// so text is crisp at any zoom, readable by screen readers, and checkable by tests.
// Lists are rebuilt only when what they show has changed, not on every tick.
// Tutorial: docs/tutorial/04-drawing.md

import { type DeathCause, type PlayerView, type RoomSettings, type TopEntry, describeSettings } from '@snakepit/shared';
import type { Sounds } from '../audio/sounds.ts';
import type { ConnectionState } from '../net/connection.ts';
import { shareWay } from '../net/invite.ts';
import { cssColour, snakeColour } from '../render/palette.ts';
import { byId, el } from './dom.ts';
import { GameOverPanel, type LifeSummary } from './game-over.ts';

export class Hud {
  readonly #status = byId('connection-status');
  readonly #room = byId('room-name');
  readonly #settings = byId('room-settings');
  readonly #outdated = byId('outdated');
  readonly #scoreboard = byId<HTMLOListElement>('scoreboard');
  readonly #top = byId<HTMLOListElement>('top-scores');
  readonly #notice = byId('notice');
  readonly #gameOver = new GameOverPanel();
  readonly #invite = byId('invite-panel');
  readonly #inviteLink = byId<HTMLInputElement>('invite-link');
  /** The one live region: told game over and who joined or left, never a score tick. */
  readonly #announcer = byId('announcer');
  /** Names by id at the last scoreboard, to tell who joined or left; null before the first. */
  #present: Map<number, string> | null = null;
  #scoreKey = '';
  #topKey = '';
  #noticeTimer: ReturnType<typeof setTimeout> | null = null;

  constructor() {
    // Hints name the controls the player has: a phone has no Space bar.
    const touch = matchMedia('(pointer: coarse)').matches;
    byId('controls-hint').textContent = touch ? 'swipe to steer · tap to play again' : 'arrows / WASD to steer · Space to play again';
    const again = document.querySelector('#game-over .hint');
    if (again) again.textContent = touch ? 'tap to play again' : 'press Space or Enter to play again';
    if (this.#inviteWay() === 'share') {
      const invite = byId('invite');
      invite.textContent = 'share invite';
      invite.title = 'Share a link to this room';
    }
    byId('invite-close').addEventListener('click', () => this.hideInvite());
    this.#invite.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') this.hideInvite();
    });
  }

  /** The sound switch: shows the state and flips it; the choice is remembered (sounds.ts). */
  bindSound(sounds: Sounds): void {
    const button = byId('mute');
    const show = () => {
      button.textContent = sounds.muted ? 'sound off' : 'sound on';
      button.setAttribute('aria-pressed', String(sounds.muted));
      button.title = sounds.muted ? 'Turn the sound on' : 'Turn the sound off';
    };
    button.addEventListener('click', () => {
      sounds.muted = !sounds.muted;
      show();
    });
    show();
  }

  /**
   * Hands over the invite `link`: the share sheet on a phone, the clipboard where the page may
   * write it, and otherwise (or when either fails) the link shown, selected, to copy by hand.
   */
  invite(link: string): void {
    const way = this.#inviteWay();
    if (way === 'share') {
      navigator.share({ title: 'snakepit', text: 'Play snakepit with me', url: link }).catch((err: unknown) => {
        // Closing the sheet is a choice, not a failure.
        if (!(err instanceof DOMException && err.name === 'AbortError')) this.showInvite(link);
      });
    } else if (way === 'clipboard') {
      navigator.clipboard.writeText(link).then(
        () => this.notice('Invite link copied: send it to a friend.', 2500),
        () => this.showInvite(link),
      );
    } else this.showInvite(link);
  }

  /** How this browser hands over an invite: the share sheet on a touch screen that has one. */
  #inviteWay(): ReturnType<typeof shareWay> {
    return shareWay({
      share: typeof navigator.share === 'function',
      clipboard: typeof navigator.clipboard?.writeText === 'function',
      touch: matchMedia('(pointer: coarse)').matches,
    });
  }

  /** The link in a field, selected, for the player to copy. */
  showInvite(link: string): void {
    this.#inviteLink.value = link;
    this.#invite.hidden = false;
    this.#inviteLink.focus();
    this.#inviteLink.select();
  }

  hideInvite(): void {
    this.#invite.hidden = true;
    if (document.activeElement === this.#inviteLink) this.#inviteLink.blur();
  }

  setRoom(room: string): void {
    this.#room.textContent = room;
    this.#present = null;
    document.title = `snakepit · ${room}`;
  }

  /** What the room runs with, from its welcome; null while not known. */
  setSettings(settings: RoomSettings | null): void {
    this.#settings.textContent = settings ? describeSettings(settings) : '';
  }

  setStatus(state: ConnectionState): void {
    const text =
      state.kind === 'connecting'
        ? state.retry
          ? `reconnecting… (${state.retry})`
          : 'connecting…'
        : state.kind === 'connected'
          ? 'connected'
          : state.kind === 'reconnecting'
            ? `reconnecting${state.inMs >= 1000 ? ` in ${Math.round(state.inMs / 1000)} s` : '…'} (${state.reason})`
            : state.kind === 'refused'
              ? `refused (${state.reason})`
              : 'disconnected';
    this.#status.textContent = text;
    this.#status.dataset.state = state.kind === 'connecting' && state.retry ? 'reconnecting' : state.kind;
  }

  scoreboard(players: readonly PlayerView[], myId: number | null): void {
    const key = JSON.stringify([myId, players.map((p) => [p.id, p.name, p.score, p.alive, p.away, p.bot])]);
    if (key === this.#scoreKey) return;
    this.#scoreKey = key;
    this.#scoreboard.replaceChildren(
      ...players.map((p) => {
        const li = el('li', { className: [p.id === myId ? 'me' : '', p.alive ? '' : 'dead', p.away ? 'away' : ''].join(' ').trim() }, [
          el('span', { className: 'swatch', style: { background: cssColour(snakeColour(p.id)) } }),
          el('span', { className: 'name', text: p.name }),
          p.away ? el('span', { className: 'away-label', text: 'away', title: 'connection lost: their snake waits for them' }) : null,
          p.bot ? el('span', { className: 'bot-label', text: 'bot', title: 'played by the server until more people come' }) : null,
          el('span', { className: 'score', text: String(p.score) }),
        ]);
        li.dataset.playerId = String(p.id);
        return li;
      }),
    );
    if (players.length === 0) this.#scoreboard.replaceChildren(el('li', { className: 'muted', text: 'nobody is playing yet' }));
    const present = new Map(players.map((p) => [p.id, p.name]));
    if (this.#present !== null) {
      const was = this.#present;
      const joined = [...present].filter(([id]) => id !== myId && !was.has(id)).map(([, name]) => `${name} joined`);
      const left = [...was].filter(([id]) => id !== myId && !present.has(id)).map(([, name]) => `${name} left`);
      if (joined.length || left.length) this.announce([...joined, ...left].join('. '));
    }
    this.#present = present;
  }

  /** Says `text` to screen readers (the live region), once. */
  announce(text: string): void {
    this.#announcer.textContent = text;
  }

  topScores(top: readonly TopEntry[]): void {
    const key = JSON.stringify(top);
    if (key === this.#topKey) return;
    this.#topKey = key;
    this.#top.replaceChildren(
      ...top.map((e) =>
        el('li', {}, [el('span', { className: 'name', text: e.name }), el('span', { className: 'score', text: String(e.score) })]),
      ),
    );
    if (top.length === 0) this.#top.replaceChildren(el('li', { className: 'muted', text: 'no scores yet' }));
  }

  /** The game-over panel: how the life ended and, when known, its numbers (game-over.ts). */
  showGameOver(score: number, cause: DeathCause | null, by: string | null, life: LifeSummary | null = null): void {
    this.#gameOver.show(cause, by, life ?? { score, best: score, length: 0, rank: null, players: 0, seconds: null });
    this.announce(`Game over. ${this.#gameOver.reason} Score ${score}. Press Space or Enter to play again.`);
  }

  hideGameOver(): void {
    this.#gameOver.hide();
  }

  get gameOverShown(): boolean {
    return this.#gameOver.shown;
  }

  /**
   * The server speaks a newer protocol than this page: the only way on is a reload. Hides what
   * a game in progress would show and puts the keyboard on the Reload button.
   */
  showOutdated(): void {
    this.hideGameOver();
    this.notice(null);
    this.#status.textContent = 'new version available';
    this.#status.dataset.state = 'closed';
    this.#outdated.hidden = false;
    byId('reload').focus();
  }

  hideOutdated(): void {
    this.#outdated.hidden = true;
  }

  /** Your connection dropped: how long the server holds your snake for you (null: no longer). */
  connectionLost(secondsLeft: number | null): void {
    this.notice(
      secondsLeft === null
        ? 'connection lost — your snake could not wait any longer'
        : `connection lost — your snake is waiting (${secondsLeft} s)`,
    );
  }

  /** A short message over the board; null hides it. Stays until replaced unless `ms` is given. */
  notice(text: string | null, ms?: number): void {
    if (this.#noticeTimer) clearTimeout(this.#noticeTimer);
    this.#noticeTimer = null;
    this.#notice.textContent = text ?? '';
    this.#notice.hidden = text === null;
    if (text !== null && ms) this.#noticeTimer = setTimeout(() => this.notice(null), ms);
  }
}
