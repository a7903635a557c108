// The keyboard: arrows and WASD steer, Space or Enter plays again after dying.
// Keys typed into a text field are left alone, and held-down repeats are ignored (the server
// keeps at most two turns queued, so repeats could only push out a real turn).
// Tutorial: docs/tutorial/04-drawing.md

import type { DirName } from '@snakepit/shared';

const KEY_DIRS: Record<string, DirName> = {
  ArrowUp: 'up',
  ArrowRight: 'right',
  ArrowDown: 'down',
  ArrowLeft: 'left',
  KeyW: 'up',
  KeyD: 'right',
  KeyS: 'down',
  KeyA: 'left',
};

export function keyDirection(code: string): DirName | null {
  return KEY_DIRS[code] ?? null;
}

export interface KeyHandlers {
  /** Whether the game has the keyboard now (false on the join screen). */
  active(): boolean;
  turn(dir: DirName): void;
  again(): void;
}

/** Listens on `target`; returns the function that stops listening. */
export function bindKeys(target: Window, handlers: KeyHandlers): () => void {
  const onKey = (e: KeyboardEvent) => {
    if (!handlers.active()) return;
    if (e.target instanceof HTMLInputElement || e.target instanceof HTMLTextAreaElement) return;
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    const dir = keyDirection(e.code);
    if (dir) {
      e.preventDefault(); // arrows would scroll the page
      if (!e.repeat) handlers.turn(dir);
      return;
    }
    if (e.code === 'Space' || e.code === 'Enter') {
      // A focused button (Play again, copy invite, leave) handles its own Space and Enter.
      if (e.target instanceof HTMLButtonElement) return;
      e.preventDefault();
      if (!e.repeat) handlers.again();
    }
  };
  target.addEventListener('keydown', onKey);
  return () => target.removeEventListener('keydown', onKey);
}
