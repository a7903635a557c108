// From game states to messages: the full snapshot a joining client needs, and the per-tick
// delta everyone else gets, section by section (sections.ts). The server calls these once per
// room per tick and sends the same bytes to every socket; mirror.ts is the inverse that a
// client (or a bot) runs.
// The contract, tested for every tick of long random games: applying tickMessage(prev, next)
// to a mirror of prev gives a mirror of next.
// Tutorial: docs/tutorial/03-state-sync.md

import { Board } from '../board.js';
import type { GameEvent, GameState, Player } from '../rules/state.js';
import { acknowledged } from '../rules/turns.js';
import type { PlayerView, SnapshotMessage, TickMessage, TopEntry } from './messages.js';
import { SECTIONS, type TickDiff } from './sections.js';

export function snapshotMessage(state: GameState, top: readonly TopEntry[]): SnapshotMessage {
  return {
    type: 'snapshot',
    tick: state.tick,
    board: Board.of(state.config).spec(),
    players: state.players.map((p) => {
      const view: PlayerView = {
        id: p.id,
        name: p.name,
        score: p.score,
        best: p.best,
        alive: p.snake !== null,
        away: p.away,
        ack: acknowledged(p),
      };
      if (p.bot) view.bot = true;
      return view;
    }),
    snakes: state.players.flatMap((p) => (p.snake ? [{ id: p.id, body: [...p.snake.body] }] : [])),
    food: [...state.food].sort((a, b) => a[0] - b[0]),
    stones: [...state.stones],
    top: [...top],
  };
}

/**
 * The delta from `prev` to `next` (one step apart): each section of sections.ts that has
 * something to say, in table order. `top` holds the top-scores lines to send this tick, or null
 * for none. Empty sections are left out to keep quiet ticks small.
 */
export function tickMessage(prev: GameState, next: GameState, events: readonly GameEvent[], top: readonly TopEntry[] | null): TickMessage {
  const before = new Map<number, Player>();
  for (const p of prev.players) before.set(p.id, p);
  const spawned = new Set<number>();
  for (const e of events) if (e.type === 'spawned') spawned.add(e.id);
  const diff: TickDiff = {
    prev,
    next,
    events,
    board: Board.of(next.config),
    was: next.players.map((p) => before.get(p.id)),
    spawned,
    top,
  };
  const msg: Record<string, unknown> = { type: 'tick', tick: next.tick };
  for (const section of SECTIONS) {
    const value = section.diff(diff);
    if (value !== undefined) msg[section.key] = value;
  }
  // The fields are exactly the table's keys with the values its rows produced: TickMessage's shape.
  return msg as TickMessage;
}
