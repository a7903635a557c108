// Step 8, a snapshot once, then deltas: what a page needs of the state (a View), and the change
// between two views (a Delta), small because a tick moves each snake by one cell and changes a
// food item or two. apply(view, diff(view, next)) must give back `next` exactly, for any two
// consecutive ticks: the test checks it over a long game. Pure, no Node or DOM: the page imports
// it. The real version is one table of sections, shared/src/protocol/sections.ts.
// Chapter: docs/tutorial/03-state-sync.md

import type { State } from '../07-rules/rules.ts';

export interface View {
  readonly tick: number;
  readonly width: number;
  readonly height: number;
  readonly snakes: readonly { readonly id: number; readonly body: readonly number[] }[];
  readonly food: readonly number[];
}
/** The change between two ticks. A list with nothing in it is left out, to keep it small. */
export interface Delta {
  readonly tick: number;
  /** Snakes that moved one cell: [id, new head, new length] (the tail follows). */
  readonly moved?: readonly (readonly [id: number, head: number, length: number])[];
  /** Snakes that are new, or did anything but move one cell: the whole body. */
  readonly placed?: readonly { readonly id: number; readonly body: readonly number[] }[];
  readonly gone?: readonly number[];
  readonly foodAdded?: readonly number[];
  readonly foodGone?: readonly number[];
}

/** A view that was not the tick before a delta cannot take it: the page must ask for a snapshot. */
export class GapError extends Error {}

export function view({ tick, width, height, snakes, food }: State): View {
  return { tick, width, height, snakes: snakes.map(({ id, body }) => ({ id, body })), food };
}

const movedBody = (body: readonly number[], head: number, length: number) => [head, ...body].slice(0, length);
const same = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((x, i) => x === b[i]);

export function diff(before: View, after: View): Delta {
  const old = new Map(before.snakes.map((s) => [s.id, s.body]));
  const moved: [number, number, number][] = [];
  const placed: { id: number; body: readonly number[] }[] = [];
  for (const { id, body } of after.snakes) {
    const was = old.get(id);
    if (was !== undefined && same(movedBody(was, body[0]!, body.length), body)) moved.push([id, body[0]!, body.length]);
    else placed.push({ id, body });
  }
  const now = new Set(after.snakes.map((s) => s.id));
  const hadFood = new Set(before.food);
  const hasFood = new Set(after.food);
  const lists = {
    moved,
    placed,
    gone: before.snakes.filter((s) => !now.has(s.id)).map((s) => s.id),
    foodAdded: after.food.filter((c) => !hadFood.has(c)),
    foodGone: before.food.filter((c) => !hasFood.has(c)),
  };
  return { tick: after.tick, ...Object.fromEntries(Object.entries(lists).filter(([, list]) => list.length > 0)) };
}

export function apply(view: View, delta: Delta): View {
  if (delta.tick !== view.tick + 1) throw new GapError(`have tick ${view.tick}, got ${delta.tick}`);
  const { moved = [], placed = [], gone = [], foodAdded = [], foodGone = [] } = delta;
  const replaced = new Set([...gone, ...placed.map((s) => s.id)]);
  const snakes = new Map(view.snakes.filter((s) => !replaced.has(s.id)).map((s) => [s.id, s.body]));
  for (const [id, head, length] of moved) snakes.set(id, movedBody(snakes.get(id) ?? [], head, length));
  for (const { id, body } of placed) snakes.set(id, body);
  const eaten = new Set(foodGone);
  return {
    ...view,
    tick: delta.tick,
    snakes: [...snakes].sort(([a], [b]) => a - b).map(([id, body]) => ({ id, body })),
    food: [...view.food.filter((c) => !eaten.has(c)), ...foodAdded],
  };
}
