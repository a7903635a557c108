// Swipes on touch screens: a finger moving far enough along mostly one axis is a turn.
// The classification is a pure function; touch.ts wires it to pointer events.
// Tutorial: docs/tutorial/04-drawing.md

import type { DirName } from '@snakepit/shared';

/** Distance a finger must travel, in CSS pixels, before it counts as a swipe. */
export const SWIPE_MIN_PX = 24;

export function classifySwipe(dx: number, dy: number, minPx = SWIPE_MIN_PX): DirName | null {
  const ax = Math.abs(dx);
  const ay = Math.abs(dy);
  if (Math.max(ax, ay) < minPx) return null;
  // Mostly-diagonal moves are ambiguous: wait for the finger to commit to an axis.
  if (ax > ay * 0.8 && ay > ax * 0.8) return null;
  if (ax > ay) return dx > 0 ? 'right' : 'left';
  return dy > 0 ? 'down' : 'up';
}
