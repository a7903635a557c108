// Touch: swipe anywhere on the board to turn, tap to play again after dying. Several turns can
// be chained in one stroke (the start point resets after each recognised swipe).
// Tutorial: docs/tutorial/04-drawing.md

import type { DirName } from '@snakepit/shared';
import { classifySwipe } from './swipe.ts';

export interface TouchHandlers {
  turn(dir: DirName): void;
  tap(): void;
}

export function bindTouch(el: HTMLElement, handlers: TouchHandlers): () => void {
  let start: { x: number; y: number; id: number } | null = null;
  let swiped = false;
  const down = (e: PointerEvent) => {
    if (e.pointerType === 'mouse') return;
    start = { x: e.clientX, y: e.clientY, id: e.pointerId };
    swiped = false;
  };
  const move = (e: PointerEvent) => {
    if (!start || e.pointerId !== start.id) return;
    const dir = classifySwipe(e.clientX - start.x, e.clientY - start.y);
    if (!dir) return;
    handlers.turn(dir);
    swiped = true;
    start = { x: e.clientX, y: e.clientY, id: e.pointerId };
  };
  const up = (e: PointerEvent) => {
    if (!start || e.pointerId !== start.id) return;
    if (!swiped) handlers.tap();
    start = null;
  };
  el.addEventListener('pointerdown', down);
  el.addEventListener('pointermove', move);
  el.addEventListener('pointerup', up);
  el.addEventListener('pointercancel', up);
  return () => {
    el.removeEventListener('pointerdown', down);
    el.removeEventListener('pointermove', move);
    el.removeEventListener('pointerup', up);
    el.removeEventListener('pointercancel', up);
  };
}
